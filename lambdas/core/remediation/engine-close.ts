/**
 * Closing a remediation whose automation was never started, because it is no longer wanted: a
 * `blocked` one the sweeper re-drives (./redrive-blocked), or a `started` one without an execution
 * whose resume checks again and refuses (./start-recheck). Either nothing (more) is to be done
 * (`skipped`), or a human must hear of it (`escalated`, recorded pending before it is sent). Only
 * the writer whose conditional transition wins closes it; the loser returns `ignored`.
 *
 * A `started` record (it has no execution) keeps its holds until they expire and counts as a
 * remediation, counted by the closing write itself, as every remediation closed from `started`
 * without an execution does (./engine-closed-holds). A `blocked` record holds none.
 */
import { CLOSING, settleClosedHolds } from './engine-closed-holds';
import type { EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { alarmOfRecord, type EscalationKind } from './escalation';
import { actionsOn, escalateClosed, sentFields } from './escalation-send';
import { StateConflictError } from './ledger';
import type { RecordedVerdict, RemediationRecord } from './ledger-records';

/** The states a remediation may be in when closed without an automation. */
type UnstartedState = 'blocked' | 'started';

/** `from` → skipped: nothing (more) to do; `why` becomes the record's reason. */
export async function closeSkipped(
  record: RemediationRecord,
  from: UnstartedState,
  why: string,
  deps: EngineDeps,
): Promise<EngineResult> {
  const about = { eventId: record.eventId, ...aboutRemediation(record) };
  let closed: RemediationRecord;
  try {
    closed = await deps.ledger.transition(record.id, from, 'skipped', { reason: why }, CLOSING);
  } catch (error) {
    if (error instanceof StateConflictError)
      return { ...about, outcome: 'ignored', reason: `already ${error.actual}` };
    throw error;
  }
  // A `blocked` record holds nothing to give back or keep.
  if (from === 'started') await settleClosedHolds(closed, deps);
  return { ...about, outcome: 'skipped', reason: why };
}

/** An escalation of a remediation closed without an automation. */
interface UnstartedEscalation {
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
  let closed: RemediationRecord;
  try {
    closed = await deps.ledger.transition(
      record.id,
      from,
      'escalated',
      { reason, ...patch, escalation: { reason, atSec: nowSec, byEventId, kind } },
      CLOSING,
    );
  } catch (error) {
    if (error instanceof StateConflictError)
      return { ...about, outcome: 'ignored', reason: `already ${error.actual}` };
    throw error;
  }
  // A `blocked` record holds nothing to give back or keep.
  if (from === 'started') await settleClosedHolds(closed, deps);
  const { escalation: sentRecord, sent } = await escalateClosed(
    deps,
    closed,
    {
      kind,
      reason,
      alarm: alarmOfRecord(record, 'ALARM'),
      ...(await actionsOn(deps.ledger, record.ruleId, record.resourceId)),
      // An errorBudget escalation froze it above; anything else asks.
      ruleFrozen: kind === 'errorBudget' || (await deps.ledger.isRuleFrozen(record.ruleId)),
      nowSec,
    },
    byEventId,
  );
  return { ...about, outcome: 'escalated', reason, escalation: sentRecord, ...sentFields(sent) };
}
