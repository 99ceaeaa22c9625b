import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWritable } from '../../cli/node-io';

const root = mkdtempSync(join(tmpdir(), 'selfheal-node-io-'));
mkdirSync(join(root, 'dir'));
writeFileSync(join(root, 'file.txt'), 'x');

afterAll(() => rmSync(root, { recursive: true, force: true }));

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
