/**
 * An alarm escalated without acting (./engine-alarm carries the decision out): the frequency
 * limit, the error budget (freezing the rule when it is spent now) or a rule defect (a value a
 * document's allowedPattern rejects, or a resource the alarm does not name: ./unresolved-resource;
 * one already escalated within the window is recorded skipped instead: ./engine-defect-repeat).
 * The escalation is recorded pending before it is sent. It takes no lock, slot or window mark.
 */
import type { AlarmStateChange } from './alarm-event';
import type { EscalateDecision } from './decision';
import { skipRepeatedDefect } from './engine-defect-repeat';
import type { EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { alarmOfEvent, type EscalationKind } from './escalation';
import { actionsOn, escalateClosed, sentFields } from './escalation-send';
import type { NewRemediation } from './ledger-records';

/** Records and sends the escalation `d` decided; throws when its SNS message did not go. */
export async function escalateDecision(
  d: EscalateDecision,
  decided: Omit<NewRemediation, 'state'>,
  event: AlarmStateChange,
  deps: EngineDeps,
): Promise<EngineResult> {
  // An unresolved resource: the alarm's metrics are the evidence, kept for every send.
  const base = d.unresolved === undefined ? decided : { ...decided, alarmMetrics: d.unresolved.metrics };
  const nowSec = deps.clock.nowSec();
  if (d.freezeRule) await deps.ledger.freezeRule(d.ruleId, d.reason);
  const kind: EscalationKind =
    d.blockedBy === 'frequencyLimit'
      ? 'frequencyLimit'
      : d.blockedBy === 'errorBudget'
        ? 'errorBudget'
        : 'ruleDefect';
  if (kind === 'ruleDefect') {
    const repeat = await skipRepeatedDefect(d, base, deps);
    if (repeat !== undefined) return repeat;
  }
  const byEventId = event.eventId;
  // Recorded before sending: a crash or an SNS failure leaves a pending escalation to re-send.
  const created = await deps.ledger.createRemediation({
    ...base,
    state: 'escalated',
    escalation: { reason: d.reason, atSec: nowSec, byEventId, kind },
  });
  const { escalation, sent } = await escalateClosed(
    deps,
    created,
    {
      kind,
      reason: d.reason,
      alarm: {
        ...alarmOfEvent(event),
        ...(base.alarmMetrics === undefined ? {} : { metrics: base.alarmMetrics }),
      },
      // The escalated record itself ran nothing, so it is not among the actions (`isAction`).
      ...(await actionsOn(deps.ledger, d.ruleId, d.resource.id)),
      ruleFrozen: d.freezeRule || kind === 'errorBudget',
      nowSec,
    },
    byEventId,
  );
  return {
    ...aboutRemediation(base),
    eventId: d.eventId,
    outcome: 'escalated',
    reason: d.reason,
    escalation,
    ...(d.freezeRule ? { froze: d.ruleId } : {}),
    ...sentFields(sent),
  };
}
