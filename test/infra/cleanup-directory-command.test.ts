import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunOptions, runDocumentCommand } from './run-document-command';

/**
 * The cleanup document's CleanUp command, run with `sh` on real files (sparse ones for sizes above
 * 4 GiB: they take no disk). Each test gets its own directory under the system's temporary one.
 */

const GiB = 1024 ** 3;
const TEN_DAYS_AGO = new Date(Date.now() - 10 * 86_400_000);

let root = '';
let restore = () => {};

afterEach(() => {
  restore();
  restore = () => {};
  if (root !== '') rmSync(root, { recursive: true, force: true });
  root = '';
});

/** A fresh root (readable by every user) holding `logs/`, the directory the tests clean up. */
function newLogs(): string {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'selfheal-cleanup-')));
  chmodSync(root, 0o755);
  const logs = join(root, 'logs');
  mkdirSync(logs);
  return logs;
}

/** Writes a file of `size` bytes (sparse) last modified ten days ago. */
function oldFile(path: string, size: number): void {
  writeFileSync(path, '');
  truncateSync(path, size);
  utimesSync(path, TEN_DAYS_AGO, TEN_DAYS_AGO);
}

function cleanUp(logs: string, options: Partial<RunOptions> = {}) {
  return runDocumentCommand(
    'cleanup-directory',
    'CleanUp',
    { Directory: `${logs}/`, OlderThanDays: '7' },
    { prefixes: [`${root}/`], ...options },
  );
}

/**
 * Every awk on this machine, by the name it is known by and the program it runs (duplicates,
 * such as `awk` being mawk on Debian and Ubuntu, are run once). `awk` is always among them; mawk
 * is the default awk of Debian and Ubuntu, gawk of Amazon Linux and RHEL.
 */
function installedAwks(): Array<[name: string, program: string]> {
  const found = new Map<string, string>();
  for (const name of ['awk', 'mawk', 'gawk', 'nawk', 'original-awk']) {
    const where = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    if (where === '') continue;
    const program = realpathSync(where);
    if (![...found.values()].includes(program)) found.set(name, program);
  }
  const busybox = spawnSync('busybox', ['awk', 'BEGIN { exit 0 }'], { encoding: 'utf8' });
  if (busybox.status === 0) {
    const where = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
    found.set('busybox awk', realpathSync(where));
  }
  return [...found.entries()];
}

describe('cleanup-directory CleanUp command', () => {
  it.each(installedAwks())('reports the exact bytes freed above 2^32 when awk is %s', (_name, program) => {
    // Arrange: 4 GiB + 1 byte of old logs; `awk` on PATH is the awk under test.
    const logs = newLogs();
    oldFile(join(logs, 'app.log.1'), 3 * GiB);
    oldFile(join(logs, 'app.log.2'), 1 * GiB + 1);
    const bin = join(root, 'bin');
    mkdirSync(bin);
    symlinkSync(program, join(bin, 'awk'));

    // Act
    const run = cleanUp(logs, { pathFirst: [bin] });

    // Assert: mawk's %d would print 2147483647.
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      directory: logs,
      deletedFiles: 2,
      freedBytes: 4 * GiB + 1,
      failedFiles: 0,
    });
  });

  it('reports nothing deleted, and succeeds, when no file is old enough', () => {
    const logs = newLogs();
    writeFileSync(join(logs, 'today.log'), 'fresh');

    const run = cleanUp(logs);

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      directory: logs,
      deletedFiles: 0,
      freedBytes: 0,
      failedFiles: 0,
    });
    expect(existsSync(join(logs, 'today.log'))).toBe(true);
  });

  it('fails, counting neither the file nor its bytes as freed, when a file cannot be deleted', () => {
    // Arrange: two old files; the one in the read-only `kept/` cannot be unlinked (on an instance:
    // an immutable file, a file system remounted read-only after disk errors). Root ignores
    // permissions, so as root the command runs as the unprivileged user 65534 instead.
    const logs = newLogs();
    const kept = join(logs, 'kept');
    mkdirSync(kept);
    oldFile(join(logs, 'old.log'), 5);
    oldFile(join(kept, 'stuck.log'), 3);
    chmodSync(logs, 0o777);
    chmodSync(kept, 0o555);
    restore = () => chmodSync(kept, 0o755);
    const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

    // Act
    const run = cleanUp(logs, unprivileged);

    // Assert: the output counts only what was deleted, find said why, and the step fails.
    expect(existsSync(join(logs, 'old.log'))).toBe(false);
    expect(existsSync(join(kept, 'stuck.log'))).toBe(true);
    expect(JSON.parse(run.stdout)).toEqual({
      directory: logs,
      deletedFiles: 1,
      freedBytes: 5,
      failedFiles: 1,
    });
    expect(run.stderr).toMatch(/cannot delete .*stuck\.log/);
    expect(run.stderr).toMatch(/find exited with status 1; old files it could not delete: 1/);
    expect(run.status).not.toBe(0);
  });
});
