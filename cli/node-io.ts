import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { CliIo, OutputFile } from './io';
import { decodeText } from './text-encoding';

/** {@link CliIo} over the real process: stdout, stderr, stdin and the file system. */
export function nodeIo(
  defaultTracePath: string,
  debug: boolean,
  defaultConfigPath?: string,
  shippedDocumentsDir?: string,
): CliIo {
  // `selfheal forecast ... | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
    readFile: readTextFile,
    writeFiles,
    checkWritable,
    realPath,
    readStdin,
    defaultTracePath,
    ...(defaultConfigPath === undefined ? {} : { defaultConfigPath }),
    ...(shippedDocumentsDir === undefined ? {} : { shippedDocumentsDir }),
    ...operator(process.env.USER),
    debug,
  };
}

/** `$USER@<hostname>`, or nothing when `$USER` is unset or blank. */
function operator(user: string | undefined): { operator?: string } {
  const name = user?.trim() ?? '';
  return name === '' ? {} : { operator: `${name}@${hostname()}` };
}

/** {@link CliIo.readFile} on the file system, decoded by {@link decodeText} (UTF-8 or UTF-16). */
export async function readTextFile(path: string): Promise<string> {
  return decodeText(await readFile(path));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return decodeText(Buffer.concat(chunks));
}

/** {@link CliIo.checkWritable} on the file system: the file if it exists, else its directory. */
export async function checkWritable(path: string): Promise<void> {
  const existing = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (existing?.isDirectory()) {
    throw Object.assign(new Error(`EISDIR: illegal operation on a directory, '${path}'`), { code: 'EISDIR' });
  }
  await access(existing === undefined ? dirname(path) : path, constants.W_OK);
}

/** {@link CliIo.realPath} on the file system: a missing file resolves through its directory. */
export async function realPath(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    // Not there yet (an output), or unreadable: its directory decides where it would be written.
    const dir = await realpath(dirname(path)).catch(() => resolve(dirname(path)));
    return join(dir, basename(path));
  }
}

/**
 * {@link CliIo.writeFiles} on the file system: each file is written to a hidden sibling, and only
 * once all are complete are they renamed into place (a rename within a directory is atomic). Only
 * a rename failing after another succeeded, into directories checked moments before, could leave
 * a partial set.
 *
 * The sibling's name is random and it is created exclusively (`wx`: O_CREAT|O_EXCL, which does not
 * follow a symbolic link): in a directory others can write, a link planted at a name they could
 * predict would otherwise have the write truncate the link's target and the rename leave the
 * output a link to it. A file already at the name fails the write (EEXIST, with `stagingPath`)
 * and is left alone: it is not ours to remove.
 */
export async function writeFiles(files: readonly OutputFile[]): Promise<void> {
  const staged: { readonly temp: string; readonly path: string }[] = [];
  try {
    for (const { path, text } of files) {
      const temp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
      const handle = await open(temp, 'wx').catch((err: NodeJS.ErrnoException) => {
        throw Object.assign(err, { path }, err.code === 'EEXIST' ? { stagingPath: temp } : {});
      });
      staged.push({ temp, path });
      try {
        await handle.writeFile(text, 'utf8');
      } catch (err) {
        throw Object.assign(err as Error, { path });
      } finally {
        await handle.close();
      }
    }
    for (const { temp, path } of staged) {
      await rename(temp, path).catch((err: unknown) => {
        throw Object.assign(err as Error, { path });
      });
    }
  } catch (err) {
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true }).catch(() => undefined)));
    throw err;
  }
}
