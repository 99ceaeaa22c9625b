/**
 * What a closed remediation does with its holds (resource lock, group and global slots:
 * ./engine-holds), one rule for every path that closes one.
 *
 * A remediation closed from `started` without an execution (`resolved` by its alarm's OK event or
 * the deadline sweep, `escalated` by the deadline sweep or a resumed start's recheck, `skipped` by
 * that recheck) keeps its holds until they expire at its deadline plus the lock grace, and counts
 * as a remediation for the frequency limit and the cooldown. Its starter is inside
 * StartAutomationExecution or died there, most likely after SSM took the request, so an
 * automation may be running that no record tracks: giving the holds back would let the blast
 * radius and the caps admit another start beside it. Any other closed remediation gives them back.
 *
 * Not `failed`: a start SSM refused (./engine-start-failed) gives its holds back there, as SSM
 * runs nothing for a refused request.
 */
import { releaseHolds } from './engine-holds';
import type { EngineDeps } from './engine-ports';
import type { RemediationRecord, RemediationState } from './ledger-records';

/** The closed states a `started` remediation without an execution keeps its holds in. */
const KEEPS_HOLDS: ReadonlySet<RemediationState> = new Set<RemediationState>([
  'resolved',
  'escalated',
  'skipped',
]);

/**
 * Whether closed `record` keeps its holds until they expire (see the file comment): in a closed
 * state other than `failed`, no execution recorded, and its last open state `started` (one
 * re-driven from `blocked` entered `started` later; one moved back to `blocked`, later than
 * `started`, holds none; one created closed never started).
 */
export function keepsHoldsClosed(
  record: Pick<RemediationRecord, 'state' | 'executionId' | 'stateTimes'>,
): boolean {
  const { started, blocked } = record.stateTimes;
  const lastOpenStarted = started !== undefined && (blocked === undefined || started > blocked);
  return KEEPS_HOLDS.has(record.state) && lastOpenStarted && record.executionId === undefined;
}

/**
 * Counts `record` towards the frequency limit and the cooldown as of when it was decided, as a
 * started one is counted: its interrupted start may have run. Idempotent (keyed on the record), so
 * a re-send that finishes a close (./escalation-resend) counts it once.
 */
export async function countAsRun(record: RemediationRecord, deps: Pick<EngineDeps, 'ledger'>): Promise<void> {
  await deps.ledger.recordRemediation(record.ruleId, record.resourceId, record.createdAtSec, record.id);
}

/**
 * What the writer that closed `closed` (the record its winning transition returned) does with
 * its holds: keeps them and counts it ({@link keepsHoldsClosed}), or gives them back. Idempotent,
 * so a re-send that finishes the close does it again safely.
 */
export async function settleClosedHolds(
  closed: RemediationRecord,
  deps: Pick<EngineDeps, 'ledger'>,
): Promise<void> {
  if (keepsHoldsClosed(closed)) await countAsRun(closed, deps);
  else await releaseHolds(deps, closed);
}
