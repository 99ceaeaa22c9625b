/**
 * Re-sending an escalation whose SNS message did not go: on the redelivery of its own event, or
 * by the sweeper once it has been pending so long that its owner evidently died
 * (./escalation-pending).
 */
import { settleClosedHolds } from './engine-closed-holds';
import type { EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { alarmOfRecord, type EscalationInput, type EscalationKind } from './escalation';
import { automationEvidenceFor } from './escalation-automation';
import { actionsOn, assertDelivered, sendEscalation, sentFields } from './escalation-send';
import { closedAtSec, pendingSince } from './ledger-apply';
import type { EscalationRecord, RemediationRecord } from './ledger-records';

/**
 * How long an escalation may stay pending before the sweeper takes it over. Its owner sends within
 * a Lambda run (SNS and OpsCenter calls take seconds), so a minute without SNS taking it means the
 * owner died between the closing write and the send, or its send failed.
 */
export const STALE_ESCALATION_SEC = 60;

/**
 * A closed remediation whose escalation never reached SNS (the earlier attempt threw so the event
 * would be retried): sends it again. Undefined when there is nothing to re-send, or when another
 * event owns the escalation (`byEventId`) and `takeOverStale` does not apply.
 *
 * `takeOverStale` is the sweeper's way past the ownership check: it re-sends only an escalation
 * pending for more than {@link STALE_ESCALATION_SEC}. The owner may still be alive and re-sending
 * in the rare race (e.g. an EventBridge retry landing at the same moment): then SNS carries the
 * message twice, which is accepted; OpsCenter deduplicates the OpsItem (`/aws/dedup`), and the
 * ledger keeps whichever `recordEscalation` came last, both naming a delivered message.
 *
 * An OpsItem the earlier attempt opened is named again in the message and the record, not asked
 * for again (./escalation-send), so a re-send whose CreateOpsItem would fail cannot forget it.
 */
export async function resendEscalation(
  record: RemediationRecord,
  deps: EngineDeps,
  eventId: string,
  options: { readonly takeOverStale?: boolean } = {},
): Promise<EngineResult | undefined> {
  const previous = record.escalation;
  if (previous === undefined || previous.snsMessageId !== undefined || record.state === 'observed')
    return undefined;
  const since = pendingSince(record);
  const stale = since !== undefined && deps.clock.nowSec() - since > STALE_ESCALATION_SEC;
  if (options.takeOverStale === true && !stale) return undefined;
  // Another event's handler owns this escalation (and may be sending it right now).
  const owned = previous.byEventId !== undefined && previous.byEventId !== eventId;
  if (owned && options.takeOverStale !== true) return undefined;
  await finishClosing(record, previous.kind ?? resentKind(record), deps);
  const input = await recordedEscalation(record, previous, deps, deps.clock.nowSec());
  const sent = await sendEscalation(deps.escalator, input, previous);
  // Closed records cannot transition; this write keeps what the re-send did (or why it failed).
  const escalation = {
    ...sent.record,
    ...(previous.byEventId === undefined ? {} : { byEventId: previous.byEventId }),
  };
  await deps.ledger.recordEscalation(record.id, escalation);
  assertDelivered(record.id, escalation, sent.opsItemCallsFailed);
  return {
    eventId: record.eventId,
    ...aboutRemediation(record),
    outcome: 'escalated',
    reason: `re-sent the undelivered escalation: ${previous.reason}`,
    escalation,
    ...sentFields(sent),
  };
}

/**
 * The input of escalation `recorded` of closed `record` (a re-send, or a retry of its OpsItem), as
 * of `nowSec`: its kind (inferred for records that do not name it: {@link resentKind}) and reason,
 * the alarm as the record names it (./escalation `alarmOfRecord`), and the resource's earlier
 * actions, the rule's freeze and, for a failed automation or verification, the execution
 * (./escalation-automation) read now.
 */
export async function recordedEscalation(
  record: RemediationRecord,
  recorded: EscalationRecord,
  deps: EngineDeps,
  nowSec: number,
): Promise<EscalationInput> {
  const kind = recorded.kind ?? resentKind(record);
  return {
    kind,
    reason: recorded.reason,
    remediation: record,
    alarm: alarmOfRecord(record),
    ...(await automationEvidenceFor(kind, record, deps.automation)),
    ...(await actionsOn(deps.ledger, record.ruleId, record.resourceId)),
    ruleFrozen: await deps.ledger.isRuleFrozen(record.ruleId),
    nowSec,
  };
}

/**
 * The kind of a closed record's escalation, for records whose pending escalation does not name it
 * (written before it was kept). An `escalated` record closed from an open state is a
 * failed verification, with or without an execution: the sweeper also closes a `started` record
 * whose automation never ran (or was never recorded running) at its deadline. It was open when its
 * last `started` is later than its last `blocked` (a resumed start refused its holds moves
 * started → blocked, and the sweeper escalates a blocked record itself). Any other is an
 * escalation without acting.
 */
export function resentKind(
  record: Pick<RemediationRecord, 'state' | 'executionId' | 'stateTimes'>,
): EscalationKind {
  if (record.state === 'failed') return record.executionId === undefined ? 'startFailed' : 'automationFailed';
  const { started, blocked } = record.stateTimes;
  const closedFromOpen =
    record.executionId !== undefined ||
    (started !== undefined && (blocked === undefined || started > blocked));
  return closedFromOpen ? 'verificationFailed' : 'frequencyLimit';
}

/**
 * What the owner does between the closing write and the send, done again (each step is idempotent)
 * in case it died or failed in between: gives back the holds (or, for a record closed from
 * `started` without an execution, keeps them; its closing write counted it as a remediation:
 * ./engine-closed-holds), and counts a failed automation or verification against the error budget
 * under the key the owner uses (the closing time).
 */
async function finishClosing(
  record: RemediationRecord,
  kind: EscalationKind,
  deps: EngineDeps,
): Promise<void> {
  await settleClosedHolds(record, deps);
  if (kind === 'automationFailed' || kind === 'verificationFailed' || kind === 'automationOverran') {
    await deps.ledger.recordFailedVerification(record.ruleId, closedAtSec(record), record.id);
  }
}
