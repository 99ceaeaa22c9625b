/**
 * The live holds behind the guardrail snapshot (./engine-snapshot): who holds the resource's lock
 * and its group's slots. An open remediation is seen in the ledger's open records already; a
 * remediation closed from `started` without an execution is not, yet keeps its lock and slot until
 * they lapse, its start possibly running in SSM (./engine-closed-holds). Reading the holds lets the
 * resourceLock and blastRadius verdicts name it and say until when, instead of passing and leaving
 * the conditional write that follows to refuse it as if two deliveries had raced. A holder with no
 * record yet is exactly such a race (a concurrent start between its holds and its `started`
 * write): left to that write.
 */
import { keepsHoldsClosed } from './engine-closed-holds';
import type { EngineDeps } from './engine-ports';
import type { ClosedHold } from './guardrails';
import type { Hold, RemediationRecord } from './ledger';

type LedgerReads = Pick<EngineDeps['ledger'], 'getRemediation'>;

/** The closed remediation holding `lock`, unless it is one of the `open` ones (or none holds it). */
export async function lockHeldClosed(
  ledger: LedgerReads,
  lock: Hold | undefined,
  open: readonly RemediationRecord[],
): Promise<ClosedHold | undefined> {
  if (lock === undefined || open.some((r) => r.id === lock.remediationId)) return undefined;
  return heldClosed(ledger, lock);
}

/** The closed remediations among `slots`' holders (a group's), the `open` ones left out. */
export async function slotsHeldClosed(
  ledger: LedgerReads,
  slots: readonly Hold[],
  open: readonly RemediationRecord[],
): Promise<ClosedHold[]> {
  const unknown = slots.filter((s) => !open.some((r) => r.id === s.remediationId));
  const found = await Promise.all(unknown.map((s) => heldClosed(ledger, s)));
  return found.filter((h) => h !== undefined);
}

/** `hold` as a closed remediation's, when its holder is one that keeps its holds closed. */
async function heldClosed(ledger: LedgerReads, hold: Hold): Promise<ClosedHold | undefined> {
  const record = await ledger.getRemediation(hold.remediationId);
  if (record === undefined || !keepsHoldsClosed(record)) return undefined;
  return {
    remediationId: record.id,
    resourceId: record.resourceId,
    state: record.state,
    untilSec: hold.expiresAtSec,
  };
}
