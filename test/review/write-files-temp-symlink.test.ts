/**
 * Review: `writeFiles` (the `backtest --json/--chart` outputs) stages each file at a predictable
 * sibling, `.<name>.<pid>-<i>.tmp`, opened with `writeFile`'s default flag `w` (O_CREAT|O_TRUNC,
 * no O_EXCL, no O_NOFOLLOW). Another user of a shared output directory who plants a symbolic link
 * at that name (the pid is public) gets the operator's process to truncate and overwrite the
 * link's target, and the rename then leaves the output itself a link to it.
 */
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFiles } from '../../cli/node-io';

const root = mkdtempSync(join(tmpdir(), 'selfheal-review-tmp-link-'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeFiles with a link planted at its staging name (review)', () => {
  it('neither writes through the link nor leaves the output a link', async () => {
    const victim = join(root, 'victim.conf');
    writeFileSync(victim, 'precious\n');
    const output = join(root, 'summary.json');
    symlinkSync(victim, join(root, `.summary.json.${process.pid}-0.tmp`));

    await writeFiles([{ path: output, text: '{"ok":true}\n' }]).catch(() => undefined);

    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(output, { throwIfNoEntry: false })?.isSymbolicLink() ?? false).toBe(false);
  });
});
