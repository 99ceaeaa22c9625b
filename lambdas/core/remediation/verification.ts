/**
 * The verification side: how a started remediation ends. Automation success with the alarm back
 * to OK (or in INSUFFICIENT_DATA, for a rule that accepts it: ./recovery) resolves it (time to
 * recover recorded); success with the alarm not recovered yet is recorded (and the alarm read
 * again, so an INSUFFICIENT_DATA event handled meanwhile still counts) and waits for the
 * deadline; failure, time-out or cancellation escalates and counts against the rule's error
 * budget (freezing the rule once it is spent). The alarm's own OK event resolves open ones.
 */
import type { AlarmStateChange } from './alarm-event';
import { type AutomationStatusChange, automationOutcome } from './automation-event';
import { releaseHolds } from './engine-holds';
import type { EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import type { EscalationKind } from './escalation';
import { resendEscalation } from './escalation-resend';
import { actionsOn, assertDelivered, sendEscalation } from './escalation-send';
import { StateConflictError } from './ledger';
import { closedAtSec } from './ledger-apply';
import { isOpen, type RemediationRecord } from './ledger-records';
import { acceptedStates, type RecoveredState, recoveredBy } from './recovery';

/** Handles one automation status change. */
export async function handleAutomationEvent(
  event: AutomationStatusChange,
  deps: EngineDeps,
): Promise<EngineResult> {
  const record = await deps.ledger.findByExecutionId(event.executionId);
  const base = { eventId: event.eventId, executionId: event.executionId };
  if (record === undefined) {
    return {
      ...base,
      outcome: 'ignored',
      reason: `execution ${event.executionId} was not started by selfheal`,
    };
  }
  const about = { ...base, ...aboutRemediation(record) };
  if (!isOpen(record.state)) {
    return (
      (await resendEscalation(record, deps, event.eventId)) ?? {
        ...about,
        outcome: 'ignored',
        reason: `remediation already ${record.state}`,
      }
    );
  }
  const outcome = automationOutcome(event.status);
  if (outcome === 'running') return { ...about, outcome: 'verifying', reason: `automation ${event.status}` };
  if (outcome !== 'succeeded') {
    return failVerification(
      record,
      'automationFailed',
      `automation ${event.executionId} ended ${event.status}`,
      deps,
      event.eventId,
    );
  }
  const state = await deps.alarms.stateOf(record.alarmName);
  const accepted = acceptedStates(deps.config.rules, record.ruleId);
  const recovered = recoveredBy({ alarmState: state, accepted, automationSucceeded: true });
  if (recovered !== undefined) {
    const why = `automation succeeded and alarm ${record.alarmName} is ${recoveredWording(recovered)}`;
    return resolve(record, deps, why, event.eventId, recovered);
  }
  const nowSec = deps.clock.nowSec();
  const deadline = record.deadlineSec ?? nowSec;
  const seen = `alarm ${record.alarmName} is ${state ?? 'gone'}`;
  if (nowSec >= deadline) {
    return failVerification(
      record,
      'verificationFailed',
      `automation succeeded but ${seen} at the deadline`,
      deps,
      event.eventId,
      state,
    );
  }
  try {
    // Lets a later INSUFFICIENT_DATA (event or sweep) count, for a rule that accepts it.
    await deps.ledger.recordAutomationSucceeded(record.id, nowSec);
  } catch (error) {
    if (error instanceof StateConflictError)
      return { ...about, outcome: 'ignored', reason: `remediation already ${error.actual}` };
    throw error;
  }
  const late = await recoveredSinceRead(record, accepted, deps);
  if (late !== undefined) {
    const why = `automation succeeded and alarm ${record.alarmName} is now ${recoveredWording(late)}`;
    return resolve(record, deps, why, event.eventId, late);
  }
  return {
    ...about,
    outcome: 'verifying',
    reason: `automation succeeded; ${seen}; waiting until ${new Date(deadline * 1000).toISOString()}`,
  };
}

/**
 * The alarm's recovered state read again after the automation's success was recorded, for a rule
 * that accepts INSUFFICIENT_DATA. Its INSUFFICIENT_DATA event may have been handled between the
 * first read and that write: it found no success recorded and did not count, and no later event
 * comes while the alarm stays there. The alarm changed state before that event was sent, so a
 * read after the write sees it. Undefined when the alarm has not recovered (or the rule accepts
 * only OK, whose own event resolves whatever was recorded).
 */
async function recoveredSinceRead(
  record: RemediationRecord,
  accepted: readonly RecoveredState[],
  deps: EngineDeps,
): Promise<RecoveredState | undefined> {
  if (!accepted.includes('INSUFFICIENT_DATA')) return undefined;
  const alarmState = await deps.alarms.stateOf(record.alarmName);
  return recoveredBy({ alarmState, accepted, automationSucceeded: true });
}

/** How a resolve reason names the recovered state. */
export function recoveredWording(state: RecoveredState): string {
  return state === 'OK'
    ? 'OK'
    : 'INSUFFICIENT_DATA, which the rule counts as recovered after a successful automation (verificationRecoveredStates)';
}

/** The alarm is back to OK: resolves every remediation it opened. */
export async function handleAlarmOk(event: AlarmStateChange, deps: EngineDeps): Promise<EngineResult> {
  return forEachOpen(event, deps, 'back to OK', (record) =>
    resolve(record, deps, `alarm ${event.alarmName} back to OK`, event.eventId, 'OK'),
  );
}

/**
 * Handles each remediation the alarm of `event` opened with `handle`: the first result stands for
 * all (its reason counting them), or a skip when none is open. `change` words the alarm's move.
 */
export async function forEachOpen(
  event: AlarmStateChange,
  deps: EngineDeps,
  change: string,
  handle: (record: RemediationRecord) => Promise<EngineResult>,
): Promise<EngineResult> {
  const open = await deps.ledger.findOpenByAlarm(event.alarmName);
  if (open.length === 0) {
    return {
      eventId: event.eventId,
      alarmName: event.alarmName,
      outcome: 'skipped',
      reason: `alarm ${event.alarmName} ${change}; no remediation open`,
    };
  }
  const results: EngineResult[] = [];
  for (const record of open) results.push(await handle(record));
  const first = results[0] as EngineResult;
  return results.length === 1
    ? first
    : { ...first, reason: `${first.reason} (${results.length} remediations)` };
}

/**
 * Moves an open remediation to `resolved` (time to recover from its creation, and the alarm state
 * that counted as recovered) and frees its holds.
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
    const done = await deps.ledger.transition(record.id, record.state, 'resolved', {
      reason: why,
      recoveredState,
    });
    await releaseHolds(deps, record);
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

/**
 * Escalates a remediation whose fix did not work, counts the failed verification and freezes the
 * rule when its error budget is spent. Only the writer whose conditional transition wins does
 * any of it (the sweeper and an automation failure event may race on one remediation); the loser
 * returns `ignored`. The transition stores a pending escalation naming `byEventId`, so only that
 * event's redelivery re-sends it if SNS fails. Throws when the escalation's SNS message did not go.
 */
export async function failVerification(
  record: RemediationRecord,
  kind: Extract<EscalationKind, 'automationFailed' | 'verificationFailed'>,
  reason: string,
  deps: EngineDeps,
  byEventId: string,
  alarmState?: string,
): Promise<EngineResult> {
  const { ledger } = deps;
  const nowSec = deps.clock.nowSec();
  const to = kind === 'automationFailed' ? ('failed' as const) : ('escalated' as const);
  const about = { eventId: record.eventId, ...aboutRemediation(record) };
  let closed: RemediationRecord;
  try {
    closed = await ledger.transition(record.id, record.state, to, {
      reason,
      escalation: { reason, atSec: nowSec, byEventId, kind },
    });
  } catch (error) {
    if (!(error instanceof StateConflictError)) throw error;
    return { ...about, outcome: 'ignored', reason: `already ${error.actual}: another writer escalates` };
  }
  // Closed: the holds go back first, so a failure below cannot keep them until they expire.
  await releaseHolds(deps, record);
  // Keyed on the closing time, so a re-send that finishes this (./escalation-resend) counts it once.
  await ledger.recordFailedVerification(record.ruleId, closedAtSec(closed), record.id);
  const froze = await spendErrorBudget(record.ruleId, deps, nowSec);
  const frozen = froze !== undefined || (await ledger.isRuleFrozen(record.ruleId));
  const full = froze === undefined ? reason : `${reason}; ${froze}`;
  const sent = await sendEscalation(deps.escalator, {
    kind,
    reason: full,
    remediation: { ...record, state: to },
    alarm: { name: record.alarmName, ...(alarmState === undefined ? {} : { state: alarmState }) },
    actions: await actionsOn(ledger, record.ruleId, record.resourceId),
    ruleFrozen: frozen,
    nowSec,
  });
  const escalation = { ...sent.record, byEventId };
  await ledger.recordEscalation(record.id, escalation);
  assertDelivered(record.id, escalation);
  return {
    ...about,
    outcome: 'verificationFailed',
    reason,
    escalation,
    ...(froze === undefined ? {} : { froze: record.ruleId }),
  };
}

/** Freezes the rule when its failed verifications reached the budget; returns why, if it did. */
async function spendErrorBudget(
  ruleId: string,
  deps: EngineDeps,
  nowSec: number,
): Promise<string | undefined> {
  const rule = deps.config.rules.find((r) => r.id === ruleId);
  if (rule === undefined) return undefined;
  const freeze = await deps.ledger.getRuleFreeze(ruleId);
  if (freeze?.frozen === true) return undefined;
  const { errorBudgetFailures: budget, errorBudgetWindowHours: hours } = rule.limits;
  const since = Math.max(nowSec - hours * 3600, freeze?.resetAtSec ?? 0);
  const failed = await deps.ledger.countFailedVerifications(ruleId, since);
  if (failed < budget) return undefined;
  const why = `${failed} failed verification(s) of rule ${ruleId} in ${hours} h (budget ${budget}): rule frozen until a human resets it`;
  await deps.ledger.freezeRule(ruleId, why);
  return why;
}
