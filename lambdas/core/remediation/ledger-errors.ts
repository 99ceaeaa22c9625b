/**
 * The ledger's typed errors (re-exported by ./ledger): what a `Ledger` throws when a write finds
 * the record elsewhere than expected, or a read finds an item that is not a record.
 */
import type { UnreadableItem } from './escalation';
import type { RemediationRecord, RemediationState } from './ledger-records';

/** Base of the ledger's typed errors. */
export class LedgerError extends Error {
  override readonly name: string = 'LedgerError';
}

/** The state machine does not allow `from → to`, whatever the stored state. */
export class IllegalTransitionError extends LedgerError {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly from: RemediationState,
    readonly to: RemediationState,
  ) {
    super(`illegal remediation transition ${from} → ${to}`);
  }
}

/** The record is no longer in the expected state (another writer moved it first). */
export class StateConflictError extends LedgerError {
  override readonly name = 'StateConflictError';
  constructor(
    readonly id: string,
    readonly expected: RemediationState,
    readonly actual: RemediationState,
  ) {
    super(`remediation ${id} is ${actual}, not ${expected}`);
  }
}

export class RemediationNotFoundError extends LedgerError {
  override readonly name = 'RemediationNotFoundError';
  constructor(readonly id: string) {
    super(`remediation ${id} not found`);
  }
}

export class RemediationExistsError extends LedgerError {
  override readonly name = 'RemediationExistsError';
  constructor(readonly id: string) {
    super(`remediation ${id} already recorded`);
  }
}

/** The record cannot be stored as given (e.g. an open state without a deadline). */
export class InvalidRemediationError extends LedgerError {
  override readonly name = 'InvalidRemediationError';
}

/**
 * A stored remediation item that is not a record (a field missing or of the wrong type, or an id
 * other than the one its key names): an older release, a hand edit or another writer left it.
 * Readers that act on records throw it rather than act on garbage; a listing for people (the
 * `history` CLI) reports it and shows the rest.
 */
export class MalformedRecordError extends LedgerError {
  override readonly name = 'MalformedRecordError';
  constructor(
    /** The item's key as `aws dynamodb get-item --key` takes it, e.g. `pk=REM#rem-1 sk=REM`. */
    readonly key: string,
    /** The first bad field with the value received: `createdAtSec: missing; required (number)`. */
    readonly problem: string,
  ) {
    super(`ledger item ${key} is malformed: ${problem}`);
  }
}

/** A malformed item as the evidence, the sweep and the logs name it: its key and first problem. */
export function unreadableItem(error: MalformedRecordError): UnreadableItem {
  return { key: error.key, problem: error.problem };
}

/**
 * Entries read with each malformed item in its place (`Ledger.readHistory`, an index listing),
 * split into the records, in their order, and the malformed items apart.
 */
export function splitMalformed(entries: readonly (RemediationRecord | MalformedRecordError)[]): {
  records: RemediationRecord[];
  malformed: MalformedRecordError[];
} {
  const records: RemediationRecord[] = [];
  const malformed: MalformedRecordError[] = [];
  for (const entry of entries) {
    if (entry instanceof MalformedRecordError) malformed.push(entry);
    else records.push(entry);
  }
  return { records, malformed };
}
