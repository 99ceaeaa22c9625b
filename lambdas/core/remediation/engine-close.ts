/**
 * Closing a remediation whose automation was never started, because it is no longer wanted: a
 * `blocked` one the sweeper re-drives (./redrive-blocked), or a `started` one without an execution
 * whose resume checks again and refuses (./start-recheck). Either nothing (more) is to be done
 * (`skipped`), or a human must hear of it (`escalated`, recorded pending before it is sent). Only
 * the writer whose conditional transition wins closes it; the loser returns `ignored`.
 *
 * A `started` record keeps its holds (resource lock, group and global slots) until they expire at
 * its deadline plus the lock grace, and counts as a remediation for the frequency limit and the
 * cooldown: its starter died inside StartAutomationExecution, most likely after SSM took the
 * request, so an automation may be running that no record tracks. Giving the holds back would let
 * the blast radius and the caps admit another start beside it. (A `blocked` record holds none.)
 */
import type { EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import type { EscalationKind } from './escalation';
import { actionsOn, assertDelivered, sendEscalation } from './escalation-send';
import { StateConflictError } from './ledger';
import type { RecordedVerdict, RemediationRecord } from './ledger-records';

/** The states a remediation may be in when closed without an automation. */
export type UnstartedState = 'blocked' | 'started';

/** `from` → skipped: nothing (more) to do; `why` becomes the record's reason. */
export async function closeSkipped(
  record: RemediationRecord,
  from: UnstartedState,
  why: string,
  deps: EngineDeps,
): Promise<EngineResult> {
  const about = { eventId: record.eventId, ...aboutRemediation(record) };
  try {
    await deps.ledger.transition(record.id, from, 'skipped', { reason: why });
  } catch (error) {
    if (error instanceof StateConflictError)
      return { ...about, outcome: 'ignored', reason: `already ${error.actual}` };
    throw error;
  }
  if (from === 'started') await countAsRun(record, deps);
  return { ...about, outcome: 'skipped', reason: why };
}

/** An escalation of a remediation closed without an automation. */
export interface UnstartedEscalation {
  readonly kind: EscalationKind;
  readonly reason: string;
  /** The sweep or event that escalates: it owns the pending escalation. */
  readonly byEventId: string;
  /** The guardrail verdicts that decided it, when they were evaluated again. */
  readonly verdicts?: readonly RecordedVerdict[];
  /** The reason an `errorBudget` escalation freezes the rule with; `reason` when absent. */
  readonly freezeReason?: string;
}

/**
 * `from` → escalated, the escalation recorded pending before it is sent; the alarm is in ALARM.
 * An `errorBudget` escalation freezes the rule first, as the first decision does (a no-op when it
 * is frozen already). Throws when SNS did not take the message: the sweeper re-sends it.
 */
export async function closeEscalated(
  record: RemediationRecord,
  from: UnstartedState,
  escalation: UnstartedEscalation,
  deps: EngineDeps,
): Promise<EngineResult> {
  const { kind, reason, byEventId, verdicts, freezeReason } = escalation;
  const nowSec = deps.clock.nowSec();
  const about = { eventId: byEventId, ...aboutRemediation(record) };
  const patch = verdicts === undefined ? {} : { verdicts };
  if (kind === 'errorBudget') await deps.ledger.freezeRule(record.ruleId, freezeReason ?? reason);
  try {
    await deps.ledger.transition(record.id, from, 'escalated', {
      reason,
      ...patch,
      escalation: { reason, atSec: nowSec, byEventId, kind },
    });
  } catch (error) {
    if (error instanceof StateConflictError)
      return { ...about, outcome: 'ignored', reason: `already ${error.actual}` };
    throw error;
  }
  if (from === 'started') await countAsRun(record, deps);
  const sent = await sendEscalation(deps.escalator, {
    kind,
    reason,
    remediation: { ...record, state: 'escalated', ...patch },
    alarm: { name: record.alarmName, state: 'ALARM' },
    ...(await actionsOn(deps.ledger, record.ruleId, record.resourceId)),
    ruleFrozen: await deps.ledger.isRuleFrozen(record.ruleId),
    nowSec,
  });
  const sentRecord = { ...sent.record, byEventId };
  await deps.ledger.recordEscalation(record.id, sentRecord);
  assertDelivered(record.id, sentRecord);
  return { ...about, outcome: 'escalated', reason, escalation: sentRecord };
}

/**
 * A closed `started` record counts towards the frequency limit and the cooldown as of when it was
 * decided, as a started one does: its interrupted start may have run (see the file comment).
 * Idempotent (keyed on the record), so a re-send that finishes the close (./escalation-resend)
 * counts it once.
 */
export async function countAsRun(record: RemediationRecord, deps: EngineDeps): Promise<void> {
  await deps.ledger.recordRemediation(record.ruleId, record.resourceId, record.createdAtSec, record.id);
}

/**
 * Whether `record` is a `started` remediation without an execution that was closed here (see the
 * file comment), so keeps its holds until they expire: `skipped`, or `escalated` by the error
 * budget (the one escalation a resumed start's recheck makes; the deadline sweep escalates a
 * `started` record as a failed verification and gives its holds back), its last open state
 * `started` (one re-driven from `blocked` entered `started` later; one moved back to `blocked`,
 * later than `started`, holds none).
 */
export function keepsHoldsClosed(
  record: Pick<RemediationRecord, 'state' | 'executionId' | 'stateTimes' | 'escalation'>,
): boolean {
  const { started, blocked } = record.stateTimes;
  const lastOpenStarted = started !== undefined && (blocked === undefined || started > blocked);
  const closedHere =
    record.state === 'skipped' || (record.state === 'escalated' && record.escalation?.kind === 'errorBudget');
  return closedHere && lastOpenStarted && record.executionId === undefined;
}
