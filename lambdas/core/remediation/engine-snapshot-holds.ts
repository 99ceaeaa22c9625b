/**
 * The live holds behind the guardrail snapshot (./engine-snapshot): who holds the resource's lock
 * and its group's slots. An open remediation is seen in the ledger's open records already; a
 * remediation closed from `started` without an execution is not, yet keeps its lock and slot until
 * they lapse, its start possibly running in SSM (./engine-closed-holds). Reading the holds lets the
 * resourceLock and blastRadius verdicts name it and say until when, instead of passing and leaving
 * the conditional write that follows to refuse it as if two deliveries had raced. A holder with no
 * record yet is exactly such a race (a concurrent start between its holds and its `started`
 * write): left to that write. A holder whose record cannot be read (`MalformedRecordError`: a hand
 * edit, a bug) may be such a closed one, so it counts as holding until its hold lapses, named with
 * the item's key and problem (`unreadable`, which the handler logs at ERROR); failing instead
 * would fail every alarm on the resource and its group, which nothing re-drives.
 */
import { keepsHoldsClosed } from './engine-closed-holds';
import type { EngineDeps } from './engine-ports';
import { type EngineResult, withUnreadable } from './engine-result';
import type { UnreadableItem } from './escalation';
import type { ClosedHold, GuardrailSnapshot } from './guardrails';
import { type Hold, MalformedRecordError, type RemediationRecord, unreadableItem } from './ledger';

type LedgerReads = Pick<EngineDeps['ledger'], 'getRemediation'>;

/**
 * `ledger`'s record reads, each remediation read once: a closed holder usually holds both the
 * resource's lock and a slot of its group, and the snapshot asks about both.
 */
export function readsOnce(ledger: LedgerReads): LedgerReads {
  const reads = new Map<string, ReturnType<LedgerReads['getRemediation']>>();
  return {
    getRemediation: (id) => {
      const read = reads.get(id) ?? ledger.getRemediation(id);
      reads.set(id, read);
      return read;
    },
  };
}

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

/**
 * `hold` as a closed remediation's, when its holder is one that keeps its holds closed, or one
 * whose record cannot be read.
 */
async function heldClosed(ledger: LedgerReads, hold: Hold): Promise<ClosedHold | undefined> {
  let record: RemediationRecord | undefined;
  try {
    record = await ledger.getRemediation(hold.remediationId);
  } catch (error) {
    if (!(error instanceof MalformedRecordError)) throw error;
    return {
      remediationId: hold.remediationId,
      untilSec: hold.expiresAtSec,
      unreadable: unreadableItem(error),
    };
  }
  if (record === undefined || !keepsHoldsClosed(record)) return undefined;
  return {
    remediationId: record.id,
    resourceId: record.resourceId,
    state: record.state,
    untilSec: hold.expiresAtSec,
  };
}

/**
 * `result`, also naming the ledger items of the holders `snapshot` counted without reading them
 * (besides any it names already, e.g. left out of its escalation's evidence), each once: the same
 * holder may hold both the lock and a slot.
 */
export function withUnreadableHolders(result: EngineResult, snapshot: GuardrailSnapshot): EngineResult {
  return withUnreadable(result, unreadableHolders(snapshot));
}

/** The ledger items of the holders `snapshot` counts that could not be read. */
function unreadableHolders(snapshot: GuardrailSnapshot): UnreadableItem[] {
  const holds = [
    ...(snapshot.closedHoldOnResource === undefined ? [] : [snapshot.closedHoldOnResource]),
    ...(snapshot.group?.closedHolds ?? []),
  ];
  return holds.flatMap((h) => ('unreadable' in h ? [h.unreadable] : []));
}
