/**
 * The verification side: how a started remediation ends. Automation success with the alarm back
 * to OK resolves it (time to recover recorded); success with the alarm still in ALARM waits for
 * the deadline; failure, time-out or cancellation escalates and counts against the rule's error
 * budget (freezing the rule once it is spent). The alarm's own OK event resolves open ones.
 */
import type { AlarmStateChange } from './alarm-event';
import { type AutomationStatusChange, automationOutcome } from './automation-event';
import { releaseHolds } from './engine-holds';
import type { EngineDeps } from './engine-ports';
import type { EngineResult } from './engine-result';
import type { EscalationKind } from './escalation';
import { actionsOn, assertDelivered, sendEscalation } from './escalation-send';
import { StateConflictError } from './ledger';
import { isOpen, type RemediationRecord } from './ledger-records';

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
  const about = { ...base, ...summary(record) };
  if (!isOpen(record.state)) {
    return (
      (await resendEscalation(record, deps)) ?? {
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
    );
  }
  const state = await deps.alarms.stateOf(record.alarmName);
  if (state === 'OK')
    return resolve(record, deps, `automation succeeded and alarm ${record.alarmName} is OK`, event.eventId);
  const nowSec = deps.clock.nowSec();
  const deadline = record.deadlineSec ?? nowSec;
  const seen = `alarm ${record.alarmName} is ${state ?? 'gone'}`;
  if (nowSec >= deadline) {
    return failVerification(
      record,
      'verificationFailed',
      `automation succeeded but ${seen} at the deadline`,
      deps,
      state,
    );
  }
  return {
    ...about,
    outcome: 'verifying',
    reason: `automation succeeded; ${seen}; waiting until ${new Date(deadline * 1000).toISOString()}`,
  };
}

/** The alarm is back to OK: resolves every remediation it opened. */
export async function handleAlarmOk(event: AlarmStateChange, deps: EngineDeps): Promise<EngineResult> {
  const open = await deps.ledger.findOpenByAlarm(event.alarmName);
  if (open.length === 0) {
    return {
      eventId: event.eventId,
      alarmName: event.alarmName,
      outcome: 'skipped',
      reason: `alarm ${event.alarmName} back to OK; no remediation open`,
    };
  }
  const results: EngineResult[] = [];
  for (const record of open) {
    results.push(await resolve(record, deps, `alarm ${event.alarmName} back to OK`, event.eventId));
  }
  const first = results[0] as EngineResult;
  return results.length === 1
    ? first
    : { ...first, reason: `${first.reason} (${results.length} remediations)` };
}

/** Moves an open remediation to `resolved` (time to recover from its creation) and frees its holds. */
export async function resolve(
  record: RemediationRecord,
  deps: EngineDeps,
  why: string,
  eventId: string,
): Promise<EngineResult> {
  const about = { eventId, ...summary(record) };
  try {
    const done = await deps.ledger.transition(record.id, record.state, 'resolved', { reason: why });
    await releaseHolds(deps, record);
    return {
      ...about,
      outcome: 'resolved',
      reason: why,
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
 * rule when its error budget is spent. Throws when the escalation's SNS message did not go.
 */
export async function failVerification(
  record: RemediationRecord,
  kind: Extract<EscalationKind, 'automationFailed' | 'verificationFailed'>,
  reason: string,
  deps: EngineDeps,
  alarmState?: string,
): Promise<EngineResult> {
  const { ledger } = deps;
  const nowSec = deps.clock.nowSec();
  const to = kind === 'automationFailed' ? ('failed' as const) : ('escalated' as const);
  await ledger.recordFailedVerification(record.ruleId, nowSec, record.id);
  const froze = await spendErrorBudget(record.ruleId, deps, nowSec);
  const frozen = froze !== undefined || (await ledger.isRuleFrozen(record.ruleId));
  const sent = await sendEscalation(deps.escalator, {
    kind,
    reason: froze === undefined ? reason : `${reason}; ${froze}`,
    remediation: { ...record, state: to },
    alarm: { name: record.alarmName, ...(alarmState === undefined ? {} : { state: alarmState }) },
    actions: await actionsOn(ledger, record.ruleId, record.resourceId),
    ruleFrozen: frozen,
    nowSec,
  });
  const about = { eventId: record.eventId, ...summary(record) };
  try {
    await ledger.transition(record.id, record.state, to, { reason, escalation: sent.record });
  } catch (error) {
    if (!(error instanceof StateConflictError)) throw error;
    return {
      ...about,
      outcome: 'ignored',
      reason: `already ${error.actual} (escalation sent anyway)`,
      escalation: sent.record,
    };
  }
  await releaseHolds(deps, record);
  assertDelivered(record.id, sent.record);
  return {
    ...about,
    outcome: 'verificationFailed',
    reason,
    escalation: sent.record,
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

/**
 * A closed remediation whose escalation never reached SNS (the earlier attempt threw so the event
 * would be retried): sends it again. Undefined when there is nothing to re-send.
 */
export async function resendEscalation(
  record: RemediationRecord,
  deps: EngineDeps,
): Promise<EngineResult | undefined> {
  const previous = record.escalation;
  if (previous === undefined || previous.snsMessageId !== undefined || record.state === 'observed')
    return undefined;
  const kind: EscalationKind =
    record.state === 'failed'
      ? record.executionId === undefined
        ? 'startFailed'
        : 'automationFailed'
      : record.executionId === undefined
        ? 'frequencyLimit'
        : 'verificationFailed';
  const sent = await sendEscalation(deps.escalator, {
    kind,
    reason: previous.reason,
    remediation: record,
    alarm: { name: record.alarmName },
    actions: await actionsOn(deps.ledger, record.ruleId, record.resourceId),
    ruleFrozen: await deps.ledger.isRuleFrozen(record.ruleId),
    nowSec: deps.clock.nowSec(),
  });
  // Closed records cannot transition; this write keeps what the re-send did (or why it failed).
  await deps.ledger.recordEscalation(record.id, sent.record);
  assertDelivered(record.id, sent.record);
  return {
    eventId: record.eventId,
    ...summary(record),
    outcome: 'escalated',
    reason: `re-sent the undelivered escalation: ${previous.reason}`,
    escalation: sent.record,
  };
}

function summary(r: RemediationRecord) {
  return {
    remediationId: r.id,
    ruleId: r.ruleId,
    resourceId: r.resourceId,
    alarmName: r.alarmName,
    ...(r.executionId === undefined ? {} : { executionId: r.executionId }),
  };
}
