import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderShippedDocument } from '../../lib/ssm-documents/shipped-documents';

/**
 * Runs the cleanup document's CleanUp command as Run Command would (the agent runs the
 * AWS-RunShellScript commands with `sh`), with `awk` resolving to mawk, the awk that Debian 12 and
 * Ubuntu 20.04/22.04 ship as their default (mawk 1.3.4 20200120).
 */
function runCleanUp(root: string, directory: string, olderThanDays: string) {
  const { content } = renderShippedDocument('cleanup-directory', {
    cleanupAllowedPathPrefixes: [`${root}/`],
  });
  const [step] = content.mainSteps as Array<{ inputs: { Parameters: { commands: string[] } } }>;
  const script = (step?.inputs.Parameters.commands[0] ?? '')
    .replaceAll('{{ Directory }}', directory)
    .replaceAll('{{ OlderThanDays }}', olderThanDays);
  const bin = join(root, '.bin');
  mkdirSync(bin);
  symlinkSync('/usr/bin/mawk', join(bin, 'awk'));
  return spawnSync('sh', ['-c', script], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
}

const GiB = 1024 ** 3;
let root = '';

afterEach(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

describe('cleanup-directory on a Debian/Ubuntu instance (mawk)', () => {
  it('reports the bytes it freed when more than 2 GiB of old files are deleted', () => {
    // Arrange: 4 GiB of log files (sparse: they take no disk here) last written 10 days ago.
    root = mkdtempSync('/tmp/selfheal-review-');
    const logs = join(root, 'logs');
    mkdirSync(logs);
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    for (const [name, size] of [
      ['app.log.1', 3 * GiB],
      ['app.log.2', 1 * GiB],
    ] as const) {
      const file = join(logs, name);
      writeFileSync(file, '');
      truncateSync(file, size);
      utimesSync(file, tenDaysAgo, tenDaysAgo);
    }

    // Act
    const run = runCleanUp(root, `${logs}/`, '7');

    // Assert: both files are gone, and the output says so with their real size.
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ directory: logs, deletedFiles: 2, freedBytes: 4 * GiB });
  });
});
