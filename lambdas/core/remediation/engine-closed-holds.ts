/**
 * What a closed remediation does with its holds (resource lock, group and global slots:
 * ./engine-holds), one rule for every path that closes one.
 *
 * A remediation closed from `started` without an execution (`resolved` by its alarm's OK event or
 * the deadline sweep, `escalated` by the deadline sweep or a resumed start's recheck, `skipped` by
 * that recheck) keeps its holds until they expire at its deadline plus the lock grace, and counts
 * as a remediation for the frequency limit and the cooldown. Its starter is inside
 * StartAutomationExecution or died there, most likely after SSM took the request, or got no
 * certain answer from it (./engine-start-uncertain), so an automation may be running that no
 * record tracks: giving the holds back would let the blast radius and the caps admit another
 * start beside it. Any other closed remediation gives them back.
 * While they are held, a new alarm's guardrails name it (./engine-snapshot-holds).
 *
 * Not `failed`: a start SSM refused (./engine-start-failed: it answered every attempt with an
 * error) gives its holds back there, as SSM runs nothing for a refused request.
 *
 * A remediation the deadline sweep escalated as overrun (`automationOverran`: its automation was
 * still running the longest the sweep waits past the deadline, ./verification-overrun) keeps its
 * holds too, until they lapse, since its automation may still run; it was counted when it started.
 * Its escalation's kind, written by the closing transition, says so, so a re-send
 * (./escalation-resend) settles its holds the same way.
 */
import { releaseHolds } from './engine-holds';
import type { EngineDeps } from './engine-ports';
import type { TransitionEffects } from './ledger';
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
 * The effects of every transition that closes a remediation: one closed keeping its holds
 * ({@link keepsHoldsClosed}) counts towards the frequency limit and the cooldown as of when it
 * was decided, as a started one is counted, since its interrupted start may have run. The count
 * is written with the closing transition itself (DynamoDB: in its transaction), so a writer
 * killed right after the close cannot leave it closed and uncounted.
 */
export const CLOSING: TransitionEffects = {
  remediationCountAtSec: (closed) => (keepsHoldsClosed(closed) ? closed.createdAtSec : undefined),
};

/** Whether closed `record` was escalated as overrun, its automation possibly still running. */
export function closedOverrun(record: Pick<RemediationRecord, 'state' | 'escalation'>): boolean {
  return record.state === 'escalated' && record.escalation?.kind === 'automationOverran';
}

/**
 * What the writer that closed `closed` (the record its winning transition, with {@link CLOSING},
 * returned) does with its holds: keeps them ({@link keepsHoldsClosed}: the transition counted
 * it; {@link closedOverrun}), or gives them back. Idempotent, so a re-send that finishes the close
 * does it again safely.
 */
export async function settleClosedHolds(
  closed: RemediationRecord,
  deps: Pick<EngineDeps, 'ledger'>,
): Promise<void> {
  if (!keepsHoldsClosed(closed) && !closedOverrun(closed)) await releaseHolds(deps, closed);
}
