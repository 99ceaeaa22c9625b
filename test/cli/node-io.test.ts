import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { checkWritable, readTextFile, realPath, writeFiles } from '../../cli/node-io';

/** The next staging-name suffix randomUUID returns, when a test needs to know it; else random. */
const uuid = vi.hoisted(() => ({ next: undefined as string | undefined }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    randomUUID: () => {
      const next = uuid.next;
      uuid.next = undefined;
      return next ?? actual.randomUUID();
    },
  };
});

afterEach(() => {
  uuid.next = undefined;
});

const root = mkdtempSync(join(tmpdir(), 'selfheal-node-io-'));
mkdirSync(join(root, 'dir'));
writeFileSync(join(root, 'file.txt'), 'x');

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('realPath', () => {
  it('resolves a symbolic link and a relative spelling to the file they name', async () => {
    symlinkSync(join(root, 'file.txt'), join(root, 'link.txt'));

    const real = await realPath(join(root, 'file.txt'));

    expect(await realPath(join(root, 'link.txt'))).toBe(real);
    expect(await realPath(join(root, 'dir', '..', 'file.txt'))).toBe(real);
  });

  it('resolves a file not written yet through its directory', async () => {
    symlinkSync(join(root, 'dir'), join(root, 'dir-link'));

    expect(await realPath(join(root, 'dir-link', 'new.json'))).toBe(
      join(await realPath(join(root, 'dir')), 'new.json'),
    );
  });
});

describe('readTextFile', () => {
  it('reads a UTF-16LE file with a byte-order mark, as Windows PowerShell 5.1 writes one, as its text', async () => {
    const path = join(root, 'utf16.csv');
    writeFileSync(path, Buffer.from('\uFEFFtimestamp,value\r\n1397088000,1\r\n', 'utf16le'));

    await expect(readTextFile(path)).resolves.toBe('timestamp,value\r\n1397088000,1\r\n');
  });

  // readTextSource (cli/text-source.ts) turns these codes into usage errors naming the path.
  it.each([
    {
      what: 'a path through a file, with a trailing slash',
      path: () => join(root, 'file.txt/'),
      code: 'ENOTDIR',
    },
    { what: 'a path through a file', path: () => join(root, 'file.txt', 'x.csv'), code: 'ENOTDIR' },
    {
      what: 'a name longer than 255 bytes',
      path: () => join(root, `${'x'.repeat(300)}.csv`),
      code: 'ENAMETOOLONG',
    },
    { what: 'a symbolic link to itself', path: () => join(root, 'loop.csv'), code: 'ELOOP' },
  ])('fails with $code for $what', async ({ path, code }) => {
    if (code === 'ELOOP') symlinkSync(join(root, 'loop.csv'), join(root, 'loop.csv'));

    await expect(readTextFile(path())).rejects.toMatchObject({ code });
  });
});

describe('checkWritable', () => {
  it('accepts a new file in an existing directory without creating it', async () => {
    const path = join(root, 'new.json');

    await expect(checkWritable(path)).resolves.toBeUndefined();
    expect(existsSync(path)).toBe(false);
  });

  it('accepts an existing file', async () => {
    await expect(checkWritable(join(root, 'file.txt'))).resolves.toBeUndefined();
  });

  it.each([
    { path: 'missing/out.json', code: 'ENOENT' },
    { path: 'dir', code: 'EISDIR' },
    { path: 'file.txt/out.json', code: 'ENOTDIR' },
  ])('fails with $code for $path', async ({ path, code }) => {
    await expect(checkWritable(join(root, path))).rejects.toMatchObject({ code });
  });
});

describe('writeFiles', () => {
  it('writes every file', async () => {
    const dir = mkdtempSync(join(root, 'all-'));

    await writeFiles([
      { path: join(dir, 'a.json'), text: 'a' },
      { path: join(dir, 'b.svg'), text: 'b' },
    ]);

    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('a');
    expect(readFileSync(join(dir, 'b.svg'), 'utf8')).toBe('b');
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.svg']);
  });

  it('replaces a symbolic link at the path instead of writing through it', async () => {
    // Arrange: out.json is a link to a file the write must leave alone.
    const dir = mkdtempSync(join(root, 'link-'));
    writeFileSync(join(dir, 'target.json'), 'old');
    symlinkSync(join(dir, 'target.json'), join(dir, 'out.json'));

    // Act
    await writeFiles([{ path: join(dir, 'out.json'), text: 'new' }]);

    // Assert
    expect(lstatSync(join(dir, 'out.json')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('new');
    expect(readFileSync(join(dir, 'target.json'), 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['out.json', 'target.json']);
  });

  it('fails naming the file that could not be written, leaving the others untouched and no temporaries', async () => {
    // Arrange: a.json exists with old content; the second file's directory is missing.
    const dir = mkdtempSync(join(root, 'none-'));
    writeFileSync(join(dir, 'a.json'), 'old');
    const missing = join(dir, 'missing', 'b.svg');

    // Act
    const failure = writeFiles([
      { path: join(dir, 'a.json'), text: 'new' },
      { path: missing, text: 'b' },
    ]);

    // Assert
    await expect(failure).rejects.toMatchObject({ code: 'ENOENT', path: missing });
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  // Another user of a shared output directory could plant a link at a staging name they can
  // predict (the old one was `.<name>.<pid>-<i>.tmp`, and the pid is public): a write through it
  // truncates the link's target, and the rename leaves the output itself a link to it.
  it('writes nothing through a link planted at the staging name the pid would predict', async () => {
    const dir = mkdtempSync(join(root, 'pid-link-'));
    writeFileSync(join(dir, 'victim.conf'), 'precious\n');
    const output = join(dir, 'summary.json');
    symlinkSync(join(dir, 'victim.conf'), join(dir, `.summary.json.${process.pid}-0.tmp`));

    await writeFiles([{ path: output, text: '{"ok":true}\n' }]).catch(() => undefined);

    expect(readFileSync(join(dir, 'victim.conf'), 'utf8')).toBe('precious\n');
    expect(lstatSync(output, { throwIfNoEntry: false })?.isSymbolicLink() ?? false).toBe(false);
  });

  it('creates the staging file exclusively: a link already at its name fails the write and is left alone', async () => {
    // Arrange: the staging name is known in advance here (randomUUID stubbed); a link is planted there.
    const dir = mkdtempSync(join(root, 'excl-'));
    writeFileSync(join(dir, 'victim.conf'), 'precious\n');
    const output = join(dir, 'summary.json');
    const staging = join(dir, '.summary.json.00000000-0000-4000-8000-000000000000.tmp');
    symlinkSync(join(dir, 'victim.conf'), staging);
    uuid.next = '00000000-0000-4000-8000-000000000000';

    // Act
    const failure = writeFiles([{ path: output, text: '{"ok":true}\n' }]);

    // Assert
    await expect(failure).rejects.toMatchObject({ code: 'EEXIST', path: output, stagingPath: staging });
    expect(readFileSync(join(dir, 'victim.conf'), 'utf8')).toBe('precious\n');
    expect(lstatSync(staging).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([
      '.summary.json.00000000-0000-4000-8000-000000000000.tmp',
      'victim.conf',
    ]);
  });
});
