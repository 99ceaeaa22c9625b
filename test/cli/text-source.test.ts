import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../../cli/errors';
import { readTextSource } from '../../cli/text-source';
import { memoryIo } from './fixtures/memory-io';

/** An io whose every file read fails with `code`. */
function failingIo(code: string) {
  const io = memoryIo();
  return { ...io, readFile: async () => Promise.reject(Object.assign(new Error(code), { code })) };
}

describe('readTextSource', () => {
  it('reads a file under its path and standard input as <stdin>', async () => {
    const io = memoryIo({ 'a.json': '{}' }, 'from stdin');

    await expect(readTextSource(io, 'a.json', 'JSON')).resolves.toEqual({ label: 'a.json', text: '{}' });
    await expect(readTextSource(io, '-', 'JSON')).resolves.toEqual({ label: '<stdin>', text: 'from stdin' });
  });

  it.each([
    ['ENOENT', 'CSV', 'x: no such file'],
    ['EISDIR', 'CSV', 'x: is a directory, expected a CSV file'],
    ['EISDIR', 'JSON', 'x: is a directory, expected a JSON file'],
    ['EACCES', 'JSON', 'x: permission denied'],
    ['EPERM', 'CSV', 'x: permission denied'],
    ['ENOTDIR', 'CSV', 'x: no such file (part of the path is a file, not a directory)'],
    ['ENAMETOOLONG', 'CSV', 'x: path too long'],
    ['ELOOP', 'JSON', 'x: too many levels of symbolic links'],
  ])('turns %s into one usage line (%s)', async (code, kind, message) => {
    const err = await readTextSource(failingIo(code), 'x', kind).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(CliUsageError);
    expect((err as Error).message).toBe(message);
  });

  it('lets other file-system errors through unchanged', async () => {
    await expect(readTextSource(failingIo('EIO'), 'x', 'CSV')).rejects.toThrow('EIO');
  });
});
