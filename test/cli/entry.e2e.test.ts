import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { syntheticCsv } from './fixtures/memory-io';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the real entry through tsx, as `npx tsx bin/selfheal.ts` would, without a build step. */
function selfheal(args: string[], input: string | Buffer = '') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bin/selfheal.ts'), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, SELFHEAL_DEBUG: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/selfheal.ts', () => {
  it('exits 2 with one line and no stack trace for a missing file', () => {
    const r = selfheal(['forecast', '--input', 'no/such.csv']);

    expect(r.code).toBe(2);
    expect(r.stderr).toBe('selfheal: no/such.csv: no such file\n');
    expect(r.stdout).toBe('');
  });

  // Node's readFile fails with ENOTDIR there, which was reported as an internal error (exit 1).
  it.each([
    { what: 'with a trailing slash', suffix: '/' },
    { what: 'as a directory holding the input', suffix: '/x.csv' },
  ])('exits 2 with one line naming the path for an input through a file $what', ({ suffix }) => {
    const dir = mkdtempSync(join(tmpdir(), 'selfheal-enotdir-'));
    try {
      const file = join(dir, 'data.csv');
      writeFileSync(file, 'timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:05:00,2\n');

      const r = selfheal(['forecast', '--input', `${file}${suffix}`]);

      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `selfheal: ${file}${suffix}: no such file (part of the path is a file, not a directory)\n`,
      );
      expect(r.stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('forecasts a UTF-16 CSV with a byte-order mark (Windows PowerShell 5.1 `>`) as its UTF-8 twin', () => {
    // It was read as UTF-8 and blamed on its content: `<stdin>:2: expected 2 columns ... "\x00"`.
    const csv =
      'timestamp,value\r\n2014-04-10 00:00:00,1\r\n2014-04-10 00:05:00,2\r\n2014-04-10 00:10:00,3\r\n';
    const args = ['forecast', '--input', '-', '--horizon-steps', '1', '--format', 'csv'];

    const twin = selfheal(args, Buffer.from(csv, 'utf8'));
    const r = selfheal(args, Buffer.from(`\uFEFF${csv}`, 'utf16le'));

    expect(twin.code).toBe(0);
    expect(r.stderr).toBe(twin.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(twin.stdout);
    expect(r.stdout).toMatch(/^timestamp,value,upper\n2014-04-10T00:15:00Z,[\d.]+,[\d.]+\n$/);
  });

  it('exits 2 naming the line of a malformed CSV read from stdin', () => {
    const r = selfheal(
      ['forecast', '--input', '-'],
      'timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:05:00,x\n',
    );

    expect(r.code).toBe(2);
    expect(r.stderr).toBe('selfheal: <stdin>:3: value "x" is not a number\n');
  });

  it('forecasts stdin to CSV on stdout with exit 0', () => {
    const r = selfheal(
      ['forecast', '--input', '-', '--horizon-steps', '2', '--format', 'csv'],
      syntheticCsv(24),
    );

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^timestamp,value,upper\n2014-04-10T02:00:00Z,[\d.]+,[\d.]+\n2014-04-10T02:05:00Z,/,
    );
  });

  it('explains from the esbuild bundle, finding the shipped documents one level up as in the repository', () => {
    // The repository's layout in miniature: <root>/dist/selfheal.mjs, <root>/lib/ssm-documents/.
    const copy = mkdtempSync(join(tmpdir(), 'selfheal-bundle-'));
    try {
      const bundle = join(copy, 'dist', 'selfheal.mjs');
      const built = spawnSync(process.execPath, ['scripts/build-cli.mjs', bundle], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(built.status, built.stderr).toBe(0);
      mkdirSync(join(copy, 'lib'));
      cpSync(join(root, 'lib', 'ssm-documents'), join(copy, 'lib', 'ssm-documents'), { recursive: true });
      cpSync(join(root, 'config'), join(copy, 'config'), { recursive: true });

      const event = join(root, 'test', 'fixtures', 'events', 'example-disk-full-alarm.json');
      const r = spawnSync(process.execPath, [bundle, 'explain', '--event', event], {
        cwd: copy,
        encoding: 'utf8',
      });

      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('outcome:   start: every guardrail passed');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
