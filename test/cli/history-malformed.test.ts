import { describe, expect, it } from 'vitest';
import type { HistoryLedger, OpenLedger } from '../../cli/history-command';
import { main } from '../../cli/main';
import { keys } from '../../lambdas/adapters/dynamodb-ledger-keys';
import {
  decodeRemediationItem,
  remediationFromItem,
} from '../../lambdas/adapters/dynamodb-ledger-record-item';
import { fakeDeps } from './fixtures/fake-deps';
import { DRY_RUN, ESCALATED, RESOLVED } from './fixtures/history-records';
import { memoryIo } from './fixtures/memory-io';

type Item = Record<string, unknown>;

/** An item as the table holds it under the key of remediation `id` (its own `id` may differ). */
const underKey = (id: string, item: object): Item => ({ ...item, ...keys.remediation(id) });

/**
 * A ledger answering with items as a table might hold them, well-formed or not, read through the
 * adapter's decoder; an item without a key is stored under its own `id`.
 */
function ledgerOf(items: readonly object[]): OpenLedger {
  const table = items.map((i): Item => ('pk' in i ? (i as Item) : underKey(String((i as Item).id), i)));
  const ledger: HistoryLedger = {
    readHistory: async (limit) => table.slice(0, limit).map(decodeRemediationItem),
    getRemediation: async (id) => {
      const item = table.find((i) => i.pk === keys.remediation(id).pk);
      return item === undefined ? undefined : remediationFromItem(item);
    },
  };
  return () => ledger;
}

async function history(args: string[], items: readonly object[]) {
  const io = memoryIo();
  const code = await main(['history', '--table', 'T', ...args], io, {
    ...fakeDeps,
    openLedger: ledgerOf(items),
  });
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const { createdAtSec: _created, ...NO_CREATED } = ESCALATED;
const { stateTimes: _times, ...NO_STATE_TIMES } = RESOLVED;

describe('selfheal history on malformed ledger items', () => {
  it('skips an item missing createdAtSec with a note naming its key and the field, and shows the rest', async () => {
    const { code, out, err } = await history([], [DRY_RUN, NO_CREATED, RESOLVED]);

    expect(code).toBe(0);
    expect(err).toBe(
      'selfheal: note: skipped malformed ledger item pk=REM#rem-escalated sk=REM: createdAtSec: missing; required (number)\n',
    );
    expect(out.split('\n')[0]).toBe('2 remediations in T, newest first');
    expect(out).toContain('i-0web');
    expect(out).toContain('i-0abc');
  });

  it('keeps the "latest N" hint when the limit was reached though a malformed item was skipped', async () => {
    const { code, out, err } = await history(['--limit', '2'], [DRY_RUN, NO_CREATED, RESOLVED]);

    expect(code).toBe(0);
    expect(err).toMatch(/^selfheal: note: skipped malformed ledger item pk=REM#rem-escalated sk=REM: /);
    expect(out.split('\n')[0]).toBe('1 remediation in T, newest first');
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      "(the latest 2; --limit N shows up to 500, --id ID one remediation's timeline)",
    );
  });

  it('skips an item found by its key whose id names another remediation, naming both', async () => {
    const { code, out, err } = await history([], [DRY_RUN, underKey('rem-y', RESOLVED)]);

    expect(code).toBe(0);
    expect(err).toBe(
      'selfheal: note: skipped malformed ledger item pk=REM#rem-y sk=REM: id: received "rem-resolved"; expected "rem-y" (the id its key names)\n',
    );
    expect(out.split('\n')[0]).toBe('1 remediation in T, newest first');
  });

  it('fails with --id when the item under the key holds another id (exit 2)', async () => {
    const io = memoryIo();
    const byKey: OpenLedger = () => ({
      readHistory: async () => [],
      getRemediation: async (id) => remediationFromItem(underKey(id, RESOLVED)),
    });

    const code = await main(['history', '--table', 'T', '--id', 'rem-y'], io, {
      ...fakeDeps,
      openLedger: byKey,
    });

    expect(code).toBe(2);
    expect(io.out.join('')).toBe('');
    expect(io.err.join('')).toBe(
      'selfheal: ledger item pk=REM#rem-y sk=REM in T is malformed: id: received "rem-resolved"; expected "rem-y" (the id its key names)\n',
    );
  });

  it.each([
    ['stateTimes missing', NO_STATE_TIMES, 'stateTimes: missing; required (record)'],
    [
      'stateTimes a string',
      { ...RESOLVED, stateTimes: 'soon' },
      'stateTimes: received "soon"; expected record',
    ],
    [
      'a state time a string',
      { ...RESOLVED, stateTimes: { started: '2024-03-04' } },
      'stateTimes.started: received "2024-03-04"; expected number',
    ],
    [
      'createdAtSec a string',
      { ...RESOLVED, createdAtSec: '1709548200' },
      'createdAtSec: received "1709548200"; expected number',
    ],
    [
      'an unknown state',
      { ...RESOLVED, state: 'done' },
      'state: received "done"; expected started | verifying',
    ],
  ])('fails with --id on %s, naming the key, the field and the value (exit 2)', async (_, item, problem) => {
    const { code, out, err } = await history(['--id', RESOLVED.id], [item]);

    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`selfheal: ledger item pk=REM#rem-resolved sk=REM in T is malformed: ${problem}`);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('fails in one line (exit 2) when no item of the listing can be shown', async () => {
    const { code, out, err } = await history(['--json'], [NO_CREATED, NO_STATE_TIMES]);

    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      'selfheal: no record in T can be shown: ledger item pk=REM#rem-escalated sk=REM: createdAtSec: missing; required (number); 1 more malformed item(s)\n',
    );
  });

  it('prints only the well-formed records with --json, noting the skipped one', async () => {
    const { code, out, err } = await history(['--json'], [DRY_RUN, NO_STATE_TIMES]);

    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([DRY_RUN]);
    expect(err).toMatch(
      /^selfheal: note: skipped malformed ledger item pk=REM#rem-resolved sk=REM: stateTimes: missing/,
    );
  });

  // Whoever writes the table chooses the keys too: a key is shown, never sent to the terminal.
  it("shows control characters in a malformed item's key as escapes, in the note and in the one-line failure", async () => {
    const hostile = underKey('rem-x\u001b[2J\u001b]52;c;ZXZpbA==\u0007', NO_CREATED);

    const skipped = await history([], [hostile, RESOLVED]);
    const failed = await history([], [hostile]);

    expect(skipped.code).toBe(0);
    expect(skipped.err).toBe(
      'selfheal: note: skipped malformed ledger item pk=REM#rem-x\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07 sk=REM: createdAtSec: missing; required (number)\n',
    );
    expect(failed.code).toBe(2);
    expect(failed.err).toMatch(
      /^selfheal: no record in T can be shown: ledger item pk=REM#rem-x\\x1b\[2J\\x1b\]52;c;ZXZpbA==\\x07 sk=REM: createdAtSec: missing/,
    );
    expect(failed.err.trimEnd().split('\n')).toHaveLength(1);
  });
});
