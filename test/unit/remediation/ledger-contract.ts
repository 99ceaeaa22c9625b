/**
 * The `Ledger` contract: one table-driven suite every implementation must pass (in memory here,
 * DynamoDB on moto in test/emulator). Each test gets a fresh, empty ledger on a fake clock. The
 * tests live in one file per concern; ./ledger-contract-pending is run next to this suite.
 */
import { describe } from 'vitest';
import { actionListingContract } from './ledger-contract-actions';
import { eventClaimContract } from './ledger-contract-claims';
import { guardrailContract } from './ledger-contract-guardrails';
import { listingContract } from './ledger-contract-lists';
import { remediationRecordContract } from './ledger-contract-records';
import { freshLedger, type LedgerFactory } from './ledger-contract-subject';

/** Runs the whole contract against the ledgers `factory` builds, under "Ledger contract: `name`". */
export function ledgerContract(name: string, factory: LedgerFactory): void {
  describe(`Ledger contract: ${name}`, () => {
    const subject = freshLedger(factory);
    eventClaimContract(subject);
    guardrailContract(subject);
    remediationRecordContract(subject);
    listingContract(subject);
    actionListingContract(subject);
  });
}
