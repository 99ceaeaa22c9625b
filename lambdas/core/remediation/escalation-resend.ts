/** Re-sending an escalation whose SNS message did not go, on the redelivery of its own event. */
import type { EngineDeps } from './engine-ports';
import type { EngineResult } from './engine-result';
import type { EscalationKind } from './escalation';
import { actionsOn, assertDelivered, sendEscalation } from './escalation-send';
import type { RemediationRecord } from './ledger-records';

/**
 * A closed remediation whose escalation never reached SNS (the earlier attempt threw so the event
 * would be retried): sends it again. Undefined when there is nothing to re-send.
 */
export async function resendEscalation(
  record: RemediationRecord,
  deps: EngineDeps,
  eventId: string,
): Promise<EngineResult | undefined> {
  const previous = record.escalation;
  if (previous === undefined || previous.snsMessageId !== undefined || record.state === 'observed')
    return undefined;
  // Another event's handler owns this escalation (and may be sending it right now).
  if (previous.byEventId !== undefined && previous.byEventId !== eventId) return undefined;
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
  const escalation = {
    ...sent.record,
    ...(previous.byEventId === undefined ? {} : { byEventId: previous.byEventId }),
  };
  await deps.ledger.recordEscalation(record.id, escalation);
  assertDelivered(record.id, escalation);
  return {
    eventId: record.eventId,
    ...summary(record),
    outcome: 'escalated',
    reason: `re-sent the undelivered escalation: ${previous.reason}`,
    escalation,
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
