/**
 * The verification side: how a started remediation ends. It resolves (time to recover recorded)
 * on the alarm's own OK event, or when its automation succeeded and the alarm is back to OK (or in
 * INSUFFICIENT_DATA, for a rule that accepts it: ./recovery); a failed automation or verification
 * escalates and counts against the rule's error budget (freezing the rule once it is spent). What
 * the automation's status says is decided in ./verification-automation.
 */
import { earlierEpisode } from './alarm-episode';
import type { AlarmStateChange } from './alarm-event';
import { refuseForeignAlarm } from './alarm-identity';
import { CLOSING, settleClosedHolds } from './engine-closed-holds';
import type { AutomationExecutionDetails, EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { readErrorBudget } from './engine-snapshot';
import { alarmOfRecord, type EscalationKind } from './escalation';
import { automationEvidenceFor } from './escalation-automation';
import { actionsOn, escalateClosed, sentFields } from './escalation-send';
import { StateConflictError } from './ledger';
import { closedAtSec } from './ledger-apply';
import type { RemediationRecord } from './ledger-records';
import type { RecoveredState } from './recovery';
import { settleOnOk } from './verification-ok';

/** How a resolve reason names the recovered state. */
export function recoveredWording(state: RecoveredState): string {
  return state === 'OK'
    ? 'OK'
    : 'INSUFFICIENT_DATA, which the rule counts as recovered after a successful automation (verificationRecoveredStates)';
}

/**
 * The alarm is back to OK: resolves every remediation it opened whose automation is not known to
 * be running. One whose execution has not been seen to end is settled by the execution's status,
 * read now (./verification-ok): an OK while it still runs leaves it `verifying` with its holds,
 * for its status event or the deadline sweep to decide, so a failure after the OK is escalated.
 * One still `started` without an execution is resolved keeping its holds (./engine-closed-holds);
 * its starter, if alive, escalates the execution it then gets as untracked.
 */
export async function handleAlarmOk(event: AlarmStateChange, deps: EngineDeps): Promise<EngineResult> {
  return forEachOpen(event, deps, 'back to OK', (record) => {
    const why = `alarm ${event.alarmName} back to OK`;
    if (record.executionId === undefined || record.automationSucceededAtSec !== undefined) {
      return resolve(record, deps, why, event.eventId, 'OK');
    }
    return settleOnOk(record, record.executionId, why, event.eventId, deps);
  });
}

/**
 * Handles each remediation the alarm of `event` opened (the alarm by its ARN: ./alarm-identity)
 * with `handle`: the first result stands for all (its reason counting them), or a skip when none
 * is open; an event from another account or Region is refused before the ledger is read. `change` words the alarm's move.
 * A remediation opened by an ALARM stamped later than `event` is left alone (`ignored`): the
 * event ended an earlier episode, delivered late or retried (./alarm-episode).
 */
export async function forEachOpen(
  event: AlarmStateChange,
  deps: EngineDeps,
  change: string,
  handle: (record: RemediationRecord) => Promise<EngineResult>,
): Promise<EngineResult> {
  const foreign = refuseForeignAlarm(event, deps.engine.home);
  if (foreign !== undefined) return foreign;
  const open = await deps.ledger.findOpenByAlarm(event);
  if (open.length === 0) {
    return {
      eventId: event.eventId,
      alarmName: event.alarmName,
      outcome: 'skipped',
      reason: `alarm ${event.alarmName} ${change}; no remediation open`,
    };
  }
  const results: EngineResult[] = [];
  for (const record of open) {
    const earlier = earlierEpisode(record, event);
    results.push(
      earlier === undefined
        ? await handle(record)
        : { eventId: event.eventId, ...aboutRemediation(record), outcome: 'ignored', reason: earlier },
    );
  }
  const first = results[0] as EngineResult;
  return results.length === 1
    ? first
    : { ...first, reason: `${first.reason} (${results.length} remediations)` };
}

/**
 * Moves an open remediation to `resolved` (time to recover from its creation, and the alarm state
 * that counted as recovered) and frees its holds, unless it is still `started` without an
 * execution: then its start may have reached SSM, it keeps them and the closing write counts it
 * (./engine-closed-holds).
 */
export async function resolve(
  record: RemediationRecord,
  deps: EngineDeps,
  why: string,
  eventId: string,
  recoveredState: RecoveredState,
): Promise<EngineResult> {
  const about = { eventId, ...aboutRemediation(record) };
  try {
    const done = await deps.ledger.transition(
      record.id,
      record.state,
      'resolved',
      { reason: why, recoveredState },
      CLOSING,
    );
    await settleClosedHolds(done, deps);
    return {
      ...about,
      outcome: 'resolved',
      reason: why,
      recoveredState,
      ...(done.timeToRecoverSec === undefined ? {} : { timeToRecoverSec: done.timeToRecoverSec }),
    };
  } catch (error) {
    if (error instanceof StateConflictError)
      return { ...about, outcome: 'ignored', reason: `already ${error.actual}` };
    throw error;
  }
}

/** What a caller of {@link failVerification} already read. */
export interface FailVerificationReads {
  /** The alarm's state, for the evidence. */
  readonly alarmState?: string | undefined;
  /**
   * GetAutomationExecution's answer about the remediation's execution, when the caller read it to
   * find how it ended: the evidence summarises it instead of sending the call again.
   */
  readonly execution?: AutomationExecutionDetails | undefined;
}

/**
 * Escalates a remediation whose fix did not work, counts the failed verification and freezes the
 * rule when its error budget is spent. The evidence summarises the remediation's execution, when
 * it has one, read once: the caller's read passed on (`reads.execution`), else read here
 * (./escalation-automation). Only the writer whose conditional transition wins does
 * any of it (the sweeper and an automation failure event may race on one remediation); the loser
 * returns `ignored`. The transition stores a pending escalation naming `byEventId`, so only that
 * event's redelivery re-sends it if SNS fails. Throws when the escalation's SNS message did not go.
 */
export async function failVerification(
  record: RemediationRecord,
  kind: Extract<EscalationKind, 'automationFailed' | 'verificationFailed' | 'automationOverran'>,
  reason: string,
  deps: EngineDeps,
  byEventId: string,
  reads: FailVerificationReads = {},
): Promise<EngineResult> {
  const { ledger } = deps;
  const { alarmState, execution } = reads;
  const nowSec = deps.clock.nowSec();
  const to = kind === 'automationFailed' ? ('failed' as const) : ('escalated' as const);
  const about = { eventId: record.eventId, ...aboutRemediation(record) };
  let closed: RemediationRecord;
  try {
    closed = await ledger.transition(
      record.id,
      record.state,
      to,
      { reason, escalation: { reason, atSec: nowSec, byEventId, kind } },
      CLOSING,
    );
  } catch (error) {
    if (!(error instanceof StateConflictError)) throw error;
    return { ...about, outcome: 'ignored', reason: `already ${error.actual}: another writer escalates` };
  }
  // Closed: the holds are settled first (given back, or kept for a `started` record without an
  // execution, which the closing write counted: ./engine-closed-holds), so a failure below does
  // not leave them to wait for the re-send (./escalation-resend), which settles them the same way.
  await settleClosedHolds(closed, deps);
  // Keyed on the closing time, so a re-send that finishes this (./escalation-resend) counts it once.
  await ledger.recordFailedVerification(record.ruleId, closedAtSec(closed), record.id);
  const { froze, frozen } = await spendErrorBudget(record.ruleId, deps, nowSec);
  const full = froze === undefined ? reason : `${reason}; ${froze}`;
  const { escalation, sent } = await escalateClosed(
    deps,
    closed,
    {
      kind,
      reason: full,
      alarm: alarmOfRecord(record, alarmState),
      // Read once, bounded, never throwing: an unreadable execution is said, not waited for.
      ...(await automationEvidenceFor(kind, record, deps.automation, execution)),
      ...(await actionsOn(ledger, record.ruleId, record.resourceId)),
      ruleFrozen: frozen,
      nowSec,
    },
    byEventId,
  );
  return {
    ...about,
    outcome: 'verificationFailed',
    reason,
    escalation,
    ...(froze === undefined ? {} : { froze: record.ruleId }),
    ...sentFields(sent),
  };
}

/**
 * Freezes the rule when its failed verifications reached the budget, counted as the guardrail
 * counts them (readErrorBudget: the window, from the last human reset); returns why, if it did
 * (`froze`), and whether the rule is frozen now, by this or before.
 */
async function spendErrorBudget(
  ruleId: string,
  deps: EngineDeps,
  nowSec: number,
): Promise<{ froze?: string; frozen: boolean }> {
  const rule = deps.config.rules.find((r) => r.id === ruleId);
  if (rule === undefined) return { frozen: await deps.ledger.isRuleFrozen(ruleId) };
  const { failedVerificationsInWindow: failed, ruleFrozen } = await readErrorBudget(
    deps.ledger,
    rule,
    nowSec,
  );
  const { errorBudgetFailures: budget, errorBudgetWindowHours: hours } = rule.limits;
  if (ruleFrozen || failed < budget) return { frozen: ruleFrozen };
  const why = `${failed} failed verification(s) of rule ${ruleId} in ${hours} h (budget ${budget}): rule frozen until a human resets it`;
  await deps.ledger.freezeRule(ruleId, why);
  return { froze: why, frozen: true };
}
