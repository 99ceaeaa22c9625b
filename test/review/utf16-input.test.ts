/**
 * Found in review (failing now): a UTF-16 CSV (what Windows PowerShell 5.1's `>` and `Out-File`
 * write by default, with a byte-order mark) is read as UTF-8, and the error blames the content:
 * `selfheal: <stdin>:2: expected 2 columns (timestamp,value), found 1: "\x00"`. Every line of the
 * file has two columns in any editor; the problem is the encoding, which the message never names.
 *
 * about_Character_Encoding: in Windows PowerShell 5.1, Out-File and the redirection operators
 * `>` and `>>` create UTF-16LE files, with a byte-order mark
 * (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding).
 * `readStdin` and `readFile` (cli/node-io.ts) decode every input as UTF-8; the issue asks for
 * "one clear line naming the file, line and problem".
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the real entry through tsx with `input` on stdin, as test/cli/entry.e2e.test.ts does. */
function selfheal(args: string[], input: Buffer) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bin/selfheal.ts'), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, SELFHEAL_DEBUG: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CSV = 'timestamp,value\r\n2014-04-10 00:00:00,1\r\n2014-04-10 00:05:00,2\r\n2014-04-10 00:10:00,3\r\n';
const ARGS = ['forecast', '--input', '-', '--horizon-steps', '1', '--format', 'csv'];

describe('selfheal forecast on a UTF-16 CSV with a byte-order mark', () => {
  it('reads it as its UTF-8 twin, or says the file is UTF-16', () => {
    // Arrange
    const utf16 = Buffer.from(`\uFEFF${CSV}`, 'utf16le');
    const twin = selfheal(ARGS, Buffer.from(CSV, 'utf8'));

    // Act
    const r = selfheal(ARGS, utf16);

    // Assert
    expect(twin.code).toBe(0);
    expect(r.stderr).not.toMatch(/expected 2 columns/);
    const understood = r.code === 0 ? r.stdout === twin.stdout : r.code === 2 && /UTF-16/.test(r.stderr);
    expect(understood, `exit ${r.code}: ${r.stderr}`).toBe(true);
  });
});
