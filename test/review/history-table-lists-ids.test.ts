/**
 * Review: `selfheal history` (the table) never prints a remediation's id, yet `--id ID` is the way
 * to see one remediation's timeline and the not-found message says "'selfheal history --table T'
 * lists ids". An operator following the hint finds no id in the listing (only `--json` has it).
 */
import { describe, expect, it } from 'vitest';
import type { OpenLedger } from '../../cli/history-command';
import { main } from '../../cli/main';
import { InMemoryLedger } from '../../lambdas/core/remediation/ledger-memory';
import { fakeDeps } from '../cli/fixtures/fake-deps';
import { DRY_RUN, ESCALATED, REPLACED, RESOLVED, seedHistory, T0 } from '../cli/fixtures/history-records';
import { memoryIo } from '../cli/fixtures/memory-io';
import { FakeClock } from '../unit/remediation/ledger-fixtures';

async function seeded(): Promise<OpenLedger> {
  const clock = new FakeClock(T0);
  const ledger = new InMemoryLedger(clock, { retentionDays: 90 });
  await seedHistory(ledger, clock);
  return () => ledger;
}

async function history(args: string[], openLedger: OpenLedger) {
  const io = memoryIo();
  const code = await main(['history', ...args], io, { ...fakeDeps, openLedger });
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('selfheal history listing and --id', () => {
  it('lists the id of every remediation, which the not-found message of --id points to', async () => {
    const openLedger = await seeded();

    const missing = await history(['--table', 't', '--id', 'rem-nope'], openLedger);
    const listing = await history(['--table', 't'], openLedger);

    // The message sends the operator to the listing for ids ...
    expect(missing.err).toContain("'selfheal history --table t' lists ids");
    expect(listing.code).toBe(0);
    // ... so each row must carry the id `--id` takes.
    for (const record of [DRY_RUN, ESCALATED, REPLACED, RESOLVED]) {
      expect(listing.out).toContain(record.id);
    }
  });
});
