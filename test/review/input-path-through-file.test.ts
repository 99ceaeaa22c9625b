/**
 * Found in review (failing now): an input path that runs through a file (`data.csv/`,
 * `data.csv/x.csv`, a `$DIR/$FILE` whose `$DIR` is a file) is reported as a bug: exit 1 and
 * `selfheal: internal error: ENOTDIR: not a directory, open '...' (set SELFHEAL_DEBUG=1 for
 * details)`. The file is missing, and the user can fix the path.
 *
 * README exit codes: 2 for "bad input or usage: missing/unreadable file ..."; 1 for "internal
 * error (a bug)". `readTextSource` (cli/text-source.ts) maps only ENOENT, EISDIR, EACCES and
 * EPERM to usage errors; Node's `readFile` fails with ENOTDIR here (open(2): "A component used as
 * a directory in pathname is not, in fact, a directory").
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the real entry through tsx, as test/cli/entry.e2e.test.ts does. */
function selfheal(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bin/selfheal.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SELFHEAL_DEBUG: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('selfheal forecast --input through a file', () => {
  let dir = '';
  let file = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'selfheal-enotdir-'));
    file = join(dir, 'data.csv');
    writeFileSync(file, 'timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:05:00,2\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { what: 'with a trailing slash', suffix: '/' },
    { what: 'as a directory holding the input', suffix: '/x.csv' },
  ])('exits 2 with one line naming the path, not an internal error, for a file $what', ({ suffix }) => {
    const input = `${file}${suffix}`;

    const r = selfheal(['forecast', '--input', input]);

    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(`selfheal: ${input}: `)).toBe(true);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stdout).toBe('');
  });
});
