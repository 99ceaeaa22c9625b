import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderShippedDocument } from '../../lib/ssm-documents/shipped-documents';

/** Runs the cleanup document's CleanUp command as Run Command would (AWS-RunShellScript: `sh`). */
function runCleanUp(root: string, directory: string, olderThanDays: string) {
  const { content } = renderShippedDocument('cleanup-directory', {
    cleanupAllowedPathPrefixes: [`${root}/`],
  });
  const [step] = content.mainSteps as Array<{ inputs: { Parameters: { commands: string[] } } }>;
  const script = (step?.inputs.Parameters.commands[0] ?? '')
    .replaceAll('{{ Directory }}', directory)
    .replaceAll('{{ OlderThanDays }}', olderThanDays);
  return spawnSync('sh', ['-c', script], { encoding: 'utf8' });
}

/**
 * Makes `file` impossible to unlink: immutable (`chattr +i`) when running as root, as the SSM
 * agent does and for whom permissions do not stop an unlink; else its directory read-only.
 */
function protect(file: string, dir: string): () => void {
  if (process.getuid?.() === 0) {
    const set = spawnSync('chattr', ['+i', file], { encoding: 'utf8' });
    if (set.status !== 0) throw new Error(`chattr +i ${file} failed: ${set.stderr}`);
    return () => void spawnSync('chattr', ['-i', file]);
  }
  chmodSync(dir, 0o555);
  return () => chmodSync(dir, 0o755);
}

let root = '';
let unprotect = () => {};

afterEach(() => {
  unprotect();
  unprotect = () => {};
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

describe('cleanup-directory when a file cannot be deleted', () => {
  it('does not report a file it failed to delete as deleted, nor its bytes as freed', () => {
    // Arrange: two old files; the one in `kept/` cannot be unlinked (immutable, read-only fs, …).
    root = mkdtempSync('/tmp/selfheal-review-');
    const logs = join(root, 'logs');
    const kept = join(logs, 'kept');
    mkdirSync(kept, { recursive: true });
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    const deletable = join(logs, 'old.log');
    const stuck = join(kept, 'stuck.log');
    writeFileSync(deletable, '12345');
    writeFileSync(stuck, '123');
    for (const f of [deletable, stuck]) utimesSync(f, tenDaysAgo, tenDaysAgo);
    unprotect = protect(stuck, kept);

    // Act
    const run = runCleanUp(root, `${logs}/`, '7');

    // Assert: find could not delete stuck.log and said so; the report must not count it.
    expect(existsSync(deletable)).toBe(false);
    expect(existsSync(stuck)).toBe(true);
    expect(run.stderr).toMatch(/cannot delete/);
    expect(JSON.parse(run.stdout)).toEqual({ directory: logs, deletedFiles: 1, freedBytes: 5 });
  });
});
