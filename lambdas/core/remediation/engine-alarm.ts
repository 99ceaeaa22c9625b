/**
 * The alarm side of the engine: one "CloudWatch Alarm State Change" in, one {@link EngineResult}
 * out. Claims the event id (a redelivery does nothing, unless it resumes work an earlier attempt
 * left half done or takes over the claim of an attempt that died before recording anything; an
 * attempt that failed before recording anything gives the claim back: ./engine-redelivery), reads
 * the guardrail snapshot, calls decide() and carries the decision out: start (./engine-start),
 * record dryRun / observed (observe also notifies, at most once), escalate without acting
 * (./engine-escalate), or record the skip. An alarm back to OK resolves its open remediations.
 */
import type { AlarmStateChange } from './alarm-event';
import { refuseForeignAlarm } from './alarm-identity';
import { alarmTimestampMs } from './alarm-timestamp';
import { decide, decideTarget } from './decide';
import type { Decision, RecordOnlyDecision, TargetedDecision } from './decision';
import { escalateDecision } from './engine-escalate';
import { describeError, type EngineDeps, remediationIdFor } from './engine-ports';
import { type AlarmAttempt, decideOwned, handleRedelivery } from './engine-redelivery';
import { recordRefusal } from './engine-refusal';
import { aboutRemediation, type EngineResult } from './engine-result';
import { readSnapshot } from './engine-snapshot';
import { withUnreadableHolders } from './engine-snapshot-holds';
import { startRemediation } from './engine-start';
import { alarmOfEvent, buildEvidence } from './escalation';
import { notificationFor } from './escalation-render';
import { newClaim } from './event-claim';
import { EMPTY_SNAPSHOT, type GuardrailSnapshot, type GuardrailVerdict, lockLapses } from './guardrails';
import type { EscalationRecord, NewRemediation, RemediationRecord } from './ledger-records';
import { handleAlarmOk } from './verification';

export type { AlarmAttempt } from './engine-redelivery';

/**
 * Handles one parsed alarm state change. One from another account or Region than the engine's is
 * refused (`rejected`) before anything is claimed or read (./alarm-identity). Throws only for
 * transient failures (retry applies).
 */
export async function handleAlarmEvent(
  event: AlarmStateChange,
  deps: EngineDeps,
  attempt: AlarmAttempt = {},
): Promise<EngineResult> {
  const foreign = refuseForeignAlarm(event, deps.engine.home);
  if (foreign !== undefined) return foreign;
  if (event.state.value === 'OK') return handleAlarmOk(event, deps);
  const nowSec = deps.clock.nowSec();
  const claim = newClaim(nowSec, deps.eventClaimLeaseSec, attempt.requestId);
  if (!(await deps.ledger.claimEvent(event.eventId, claim))) {
    return handleRedelivery(event, deps, attempt, handleClaimed);
  }
  return decideOwned(event, deps, nowSec, claim, handleClaimed);
}

/** Decides and acts on a first delivery (its event id just claimed). */
async function handleClaimed(
  event: AlarmStateChange,
  deps: EngineDeps,
  nowSec: number,
): Promise<EngineResult> {
  const target = decideTarget(event, deps.config.rules);
  const snapshot = target.ok
    ? await readSnapshot(deps, target.rule, target.resource, remediationIdFor(event.eventId), nowSec)
    : EMPTY_SNAPSHOT;
  const decision = decide({
    event,
    rules: deps.config.rules,
    config: deps.config,
    snapshot,
    nowSec,
    engine: deps.engine,
  });
  return withUnreadableHolders(await carryOut(decision, event, deps, snapshot), snapshot);
}

async function carryOut(
  d: Decision,
  event: AlarmStateChange,
  deps: EngineDeps,
  snapshot: GuardrailSnapshot,
): Promise<EngineResult> {
  const groupFacts = snapshot.group;
  const group = groupFacts?.name;
  if (d.outcome === 'skip') {
    const result = {
      eventId: d.eventId,
      outcome: 'skipped' as const,
      reason: d.reason,
      alarmName: d.alarmName,
    };
    if (d.ruleId === undefined && d.ruleEvaluations.length > 0) {
      return { ...result, ruleEvaluations: d.ruleEvaluations };
    }
    if (d.ruleId === undefined || d.resource === undefined || d.blockedBy === undefined) return result;
    // A guardrail stopped a matched alarm: kept in the ledger, so the history shows every alarm.
    const mode = deps.config.rules.find((r) => r.id === d.ruleId)?.mode ?? 'enforce';
    const base = baseRecord({ ...d, ruleId: d.ruleId, resource: d.resource, mode }, event, mode, group);
    // A lock a closed remediation still holds lapses by itself at a known time: wait for it.
    const lapses = d.blockedBy === 'resourceLock' && lockLapses(snapshot);
    return recordRefusal(base, d.blockedBy, d.reason, deps, lapses);
  }
  if (d.outcome === 'resolveCandidate') return handleAlarmOk(event, deps);
  const base = baseRecord(d, event, d.mode, group);
  if (d.outcome === 'start') return startRemediation(d, base, deps, alarmOfEvent(event), groupFacts);
  if (d.outcome === 'escalate') return escalateDecision(d, base, event, deps);
  return recordOnly(d, base, event, deps);
}

async function recordOnly(
  d: RecordOnlyDecision,
  base: Omit<NewRemediation, 'state'>,
  event: AlarmStateChange,
  deps: EngineDeps,
): Promise<EngineResult> {
  const state = d.outcome === 'dryRun' ? ('dryRun' as const) : ('observed' as const);
  const nowSec = deps.clock.nowSec();
  // observe: the notification is recorded (pending) with the record, before it is sent. The
  // create is conditional, so of an attempt and the retry that took its claim over only the one
  // that recorded it sends, and a redelivery that finds the record sends nothing: at most once.
  const pending: EscalationRecord | undefined =
    d.outcome === 'observe'
      ? {
          reason: `observe mode: would start ${d.request.DocumentName}`,
          atSec: nowSec,
          byEventId: event.eventId,
          kind: 'observed',
        }
      : undefined;
  const created = await deps.ledger.createRemediation({
    ...base,
    state,
    ...(pending === undefined ? {} : { escalation: pending }),
  });
  const escalation =
    pending === undefined ? undefined : await notifyObserved(d, created, event, deps, pending);
  const would =
    d.enforceWould.guardrail === undefined
      ? d.enforceWould.outcome
      : `${d.enforceWould.outcome} (${d.enforceWould.guardrail})`;
  return {
    ...aboutRemediation(base),
    eventId: d.eventId,
    outcome: state,
    reason: `${d.reason}; enforce would: ${would}`,
    ...(escalation === undefined ? {} : { escalation }),
  };
}

/**
 * observe mode tells the escalation topic what it would have run (`pending`, already recorded
 * with `created`, the record the evidence shows), then records what SNS answered; a failed
 * publish is recorded, not retried.
 */
async function notifyObserved(
  d: RecordOnlyDecision,
  created: RemediationRecord,
  event: AlarmStateChange,
  deps: EngineDeps,
  pending: EscalationRecord,
): Promise<EscalationRecord> {
  const evidence = buildEvidence({
    kind: 'observed',
    reason: d.reason,
    remediation: created,
    alarm: alarmOfEvent(event),
    actions: [],
    ruleFrozen: false,
    nowSec: pending.atSec,
  });
  let sent: EscalationRecord;
  try {
    sent = { ...pending, snsMessageId: await deps.escalator.notify(notificationFor(evidence)) };
  } catch (error) {
    sent = { ...pending, snsError: describeError(error) };
  }
  await deps.ledger.recordEscalation(created.id, sent);
  return sent;
}

function baseRecord(
  d: TargetedDecision & {
    readonly guardrails: readonly GuardrailVerdict[];
    readonly request?: {
      readonly DocumentName: string;
      readonly Parameters: Readonly<Record<string, readonly string[]>>;
    };
  },
  event: AlarmStateChange,
  mode: NewRemediation['mode'],
  group: string | undefined,
): Omit<NewRemediation, 'state'> {
  return {
    id: remediationIdFor(event.eventId),
    ruleId: d.ruleId,
    resourceId: d.resource.id,
    alarmName: event.alarmName,
    ...(event.alarmArn === undefined ? {} : { alarmArn: event.alarmArn }),
    eventId: event.eventId,
    alarmStateAtMs: alarmTimestampMs(event.state.timestamp),
    mode,
    verdicts: d.guardrails,
    reason: d.reason,
    ...(group === undefined ? {} : { autoScalingGroupName: group }),
    ...(d.request === undefined
      ? {}
      : { documentName: d.request.DocumentName, parameters: d.request.Parameters }),
  };
}
