/** The ledger each contract test runs against: fresh and empty, on a fake clock at `NOW`. */
import { beforeEach } from 'vitest';
import type { Ledger } from '../../../lambdas/core/remediation/ledger';
import { FakeClock, NOW } from './ledger-fixtures';

/** Builds a fresh, empty ledger reading time from `clock`. */
export type LedgerFactory = (clock: FakeClock) => Promise<Ledger>;

/** The running test's ledger and the clock it reads. */
export type LedgerSubject = () => { readonly ledger: Ledger; readonly clock: FakeClock };

/** Gives every test of the enclosing `describe` a fresh ledger from `factory` (in a `beforeEach`). */
export function freshLedger(factory: LedgerFactory): LedgerSubject {
  let current: { ledger: Ledger; clock: FakeClock } | undefined;
  beforeEach(async () => {
    const clock = new FakeClock(NOW);
    current = { clock, ledger: await factory(clock) };
  });
  return () => {
    if (current === undefined) throw new Error('the contract ledger exists only inside a test');
    return current;
  };
}
