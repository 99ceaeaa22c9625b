/**
 * An alarm event's claim, as the alarm side of the engine (./engine-alarm) holds it: deciding with
 * the claim held (an attempt that fails before recording anything gives it back), and a
 * redelivery, which finds the claim taken: it resumes a start left half done once its starter
 * cannot still be running (a duplicate delivered meanwhile leaves it to the starter), re-sends an
 * escalation that did not go, takes over the claim of an attempt that died before recording
 * anything (./event-claim), claims the event again if its owner gave the claim back meanwhile, or
 * is a duplicate.
 */
import type { AlarmStateChange } from './alarm-event';
import { type EngineDeps, remediationIdFor } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { resumeStart } from './engine-start';
import { resendEscalation } from './escalation-resend';
import { type EventClaim, judgeClaim, newClaim } from './event-claim';
import type { RemediationRecord } from './ledger-records';
import { judgeStartLease } from './start-lease';
import { recheckStart } from './start-recheck';

/** The attempt handling an event, as the invocation tells it. */
export interface AlarmAttempt {
  /**
   * The Lambda request id (`context.awsRequestId`): stored on the event's claim, and shared by
   * Lambda's retries of the same asynchronous invocation, so a retry recognises its own dead
   * attempt's claim. Without it the claim's lease alone decides.
   */
  readonly requestId?: string;
}

/** Decides and acts on an event whose claim the caller holds (a first delivery or a takeover). */
export type DecideAfresh = (
  event: AlarmStateChange,
  deps: EngineDeps,
  nowSec: number,
) => Promise<EngineResult>;

/**
 * Decides with the event's claim held (`claim`, as this attempt wrote it); a failure before
 * anything was recorded gives it back.
 */
export async function decideOwned(
  event: AlarmStateChange,
  deps: EngineDeps,
  nowSec: number,
  claim: EventClaim,
  decide: DecideAfresh,
): Promise<EngineResult> {
  try {
    return await decide(event, deps, nowSec);
  } catch (error) {
    await releaseUnrecordedClaim(event.eventId, claim, deps);
    throw error;
  }
}

/**
 * A failed attempt that recorded nothing gives its claim back, so the retry decides afresh instead
 * of being dropped as a duplicate; one that recorded something keeps it, and the retry resumes
 * from the record. Best effort: the error that made the attempt fail is the one rethrown.
 */
async function releaseUnrecordedClaim(eventId: string, claim: EventClaim, deps: EngineDeps): Promise<void> {
  try {
    if ((await deps.ledger.getRemediation(remediationIdFor(eventId))) === undefined) {
      // Only this attempt's claim: one a retry took over (it outlived the lease) is the retry's.
      await deps.ledger.releaseEvent(eventId, claim);
    }
  } catch {
    // The ledger is failing too: the claim stays, and Lambda's retry of this request (same request
    // id) takes it over at once, any other delivery once the lease is over (takeOverAbandoned).
  }
}

/** A redelivered event: finish what an earlier attempt left half done, else nothing. */
export async function handleRedelivery(
  event: AlarmStateChange,
  deps: EngineDeps,
  attempt: AlarmAttempt,
  decide: DecideAfresh,
): Promise<EngineResult> {
  const duplicate: EngineResult = {
    eventId: event.eventId,
    alarmName: event.alarmName,
    outcome: 'duplicate',
    reason: `event ${event.eventId} was already processed`,
  };
  const record = await deps.ledger.getRemediation(remediationIdFor(event.eventId));
  if (record === undefined) return takeOverAbandoned({ event, deps, attempt, decide, duplicate });
  if (record.state === 'started') return resumeAbandoned(record, { event, deps, attempt, duplicate });
  const resent = await resendEscalation(record, deps, event.eventId);
  return resent ?? { ...duplicate, ...aboutRemediation(record) };
}

/**
 * A `started` record without an execution id: its starter is inside StartAutomationExecution or
 * died there (or its next write failed), and the record cannot tell which; ./start-lease decides
 * (the same rule the sweeper's resume applies). Resumed at once by Lambda's retry of the claim's
 * owner (it ended), else only once that lease is over: a live starter and a resume would both
 * start, and one of them would find the record moved under it (./engine-start-overtaken). Resumed
 * only if what the first decision checked still holds (./start-recheck), else closed.
 */
async function resumeAbandoned(
  record: RemediationRecord,
  redelivery: Omit<Unrecorded, 'decide'>,
): Promise<EngineResult> {
  const { event, deps, attempt, duplicate } = redelivery;
  const owner = (await deps.ledger.getEventClaim(event.eventId))?.ownerRequestId;
  const verdict = judgeStartLease(record, deps.clock.nowSec(), deps.eventClaimLeaseSec, {
    ownerRequestId: owner,
    requestId: attempt.requestId,
  });
  if (verdict.kind === 'held') {
    return {
      ...duplicate,
      ...aboutRemediation(record),
      reason: `remediation ${record.id} is being started (started at ${verdict.startedAtSec}, no execution recorded yet, lease until ${verdict.leaseEndsAtSec}): its starter records the execution`,
    };
  }
  const refused = await recheckStart(record, deps, event.eventId);
  if (refused !== undefined) return refused;
  return (
    (await resumeStart(record, deps, { mayHaveReachedSsm: true })) ?? {
      ...duplicate,
      ...aboutRemediation(record),
    }
  );
}

/** A redelivery whose event has a claim but no record, as its steps below share it. */
interface Unrecorded {
  readonly event: AlarmStateChange;
  readonly deps: EngineDeps;
  readonly attempt: AlarmAttempt;
  readonly decide: DecideAfresh;
  /** The answer when this delivery leaves the event to another; each step says why in its reason. */
  readonly duplicate: EngineResult;
}

/**
 * A claim without a record: its owner is still deciding, or died before recording anything
 * (timed out, out of memory, sandbox lost), which no error handler saw. A retry carrying the
 * owner's request id is Lambda's retry of that very attempt, which Lambda sends only after it
 * ended: the owner is dead. Otherwise, within the lease the owner may be alive: a duplicate; after
 * it the owner is certainly dead. A dead owner's claim is taken over (only one concurrent retry
 * wins) and the event decided afresh.
 */
async function takeOverAbandoned(redelivery: Unrecorded): Promise<EngineResult> {
  const { event, deps, attempt, decide, duplicate } = redelivery;
  const seen = await deps.ledger.getEventClaim(event.eventId);
  if (seen === undefined) return claimGivenBack(redelivery);
  const nowSec = deps.clock.nowSec();
  const verdict = judgeClaim(seen, nowSec, deps.eventClaimLeaseSec, attempt.requestId);
  const owner = seen.ownerRequestId === undefined ? '' : ` by request ${seen.ownerRequestId}`;
  if (verdict.kind === 'held') {
    const notItsRetry =
      seen.ownerRequestId === undefined
        ? ''
        : `, and request ${attempt.requestId ?? '(none)'} is not its retry`;
    return {
      ...duplicate,
      reason: `event ${event.eventId} is being processed (claimed${owner}, no record yet, lease until ${verdict.leaseEndsAtSec}${notItsRetry})`,
    };
  }
  const claim = newClaim(nowSec, deps.eventClaimLeaseSec, attempt.requestId);
  if (!(await deps.ledger.takeOverEvent(event.eventId, seen, claim))) {
    return { ...duplicate, reason: `event ${event.eventId} was taken over by a concurrent retry` };
  }
  const result = await decideOwned(event, deps, nowSec, claim, decide);
  const why =
    verdict.rule === 'ownRetry'
      ? `this is Lambda's retry of request ${seen.ownerRequestId}, whose attempt ended without recording anything`
      : `its lease ended at ${verdict.leaseEndsAtSec} with nothing recorded`;
  return { ...result, reason: `${result.reason} (took over the event's claim${owner}: ${why})` };
}

/**
 * The claim that stopped this delivery is gone and nothing is recorded: its owner failed and gave
 * it back after this delivery's claim failed. That may have been the owner's last retry, so
 * nobody else is bound to decide the event: claims it once more, and decides afresh if that wins;
 * if another delivery claimed it first, that one decides.
 */
async function claimGivenBack(redelivery: Unrecorded): Promise<EngineResult> {
  const { event, deps, attempt, decide, duplicate } = redelivery;
  const nowSec = deps.clock.nowSec();
  const claim = newClaim(nowSec, deps.eventClaimLeaseSec, attempt.requestId);
  if (!(await deps.ledger.claimEvent(event.eventId, claim))) {
    return {
      ...duplicate,
      reason: `event ${event.eventId} was claimed again by a concurrent delivery after its claim was given back`,
    };
  }
  const result = await decideOwned(event, deps, nowSec, claim, decide);
  return {
    ...result,
    reason: `${result.reason} (claimed the event again: its owner gave the claim back without recording anything)`,
  };
}
