/**
 * A start SSM refused (./engine-start; `StartRefusedError`: SSM answered every attempt with an
 * error): the remediation is recorded `failed` with its escalation pending (kind `startFailed`),
 * the holds are given back, then the escalation is sent and what it did recorded. A first start
 * SSM refused only for the moment (./start-refusal `ssmBlocker`) is recorded `blocked` instead,
 * its holds given back, for the sweeper to start it again until its deadline ({@link blockStart}).
 * If another attempt moved the record first, it owns the holds and the outcome
 * (./engine-start-overtaken). A start that failed in transit or on SSM's side is not one: it may
 * have started the automation (./engine-start-uncertain).
 */
import { releaseHolds } from './engine-holds';
import type { EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { startOvertaken } from './engine-start-overtaken';
import type { EscalationInput } from './escalation';
import { actionsOn, escalateClosed, sentFields } from './escalation-send';
import { StateConflictError } from './ledger';
import type { RemediationRecord } from './ledger-records';

/** Records the failed start and escalates it; throws when the escalation's SNS message did not go. */
export async function failStart(
  record: RemediationRecord,
  reason: string,
  deps: EngineDeps,
  alarm: EscalationInput['alarm'],
): Promise<EngineResult> {
  const nowSec = deps.clock.nowSec();
  const byEventId = record.eventId;
  // Recorded before sending: a crash or an SNS failure leaves a pending escalation to re-send.
  let closed: RemediationRecord;
  try {
    closed = await deps.ledger.transition(record.id, 'started', 'failed', {
      reason,
      escalation: { reason, atSec: nowSec, byEventId, kind: 'startFailed' },
    });
  } catch (error) {
    // Another attempt moved it first and owns the holds (same remediation id): leave them.
    if (error instanceof StateConflictError) return startOvertaken(record, error, deps, { failed: reason });
    throw error;
  }
  // Given back, not kept as other records closed from `started` without an execution keep them
  // (./engine-closed-holds): SSM answered every attempt with a refusal, so it runs no automation
  // for this request, nor for an earlier one with its ClientToken (a first start had none; a
  // resume comes here only for a refusal of the very request sent first: ./start-refusal). (No
  // answer, or a failure on SSM's side, never comes here: that start may have reached SSM, and
  // keeps its holds: ./engine-start-uncertain.)
  await releaseHolds(deps, record);
  const { escalation, sent } = await escalateClosed(
    deps,
    closed,
    {
      kind: 'startFailed',
      reason,
      alarm,
      ...(await actionsOn(deps.ledger, record.ruleId, record.resourceId)),
      ruleFrozen: false,
      nowSec,
    },
    byEventId,
  );
  return {
    eventId: record.eventId,
    outcome: 'startFailed',
    reason,
    ...aboutRemediation(record),
    escalation,
    ...sentFields(sent),
  };
}

/**
 * started → blocked by `blockedBy` until `untilSec`: a first start SSM refused for the moment,
 * `refused` naming its error. No request with the ClientToken reached SSM, so the holds are given
 * back and the sweeper re-drives it (./redrive-blocked) as a first start, every sweep until
 * `untilSec`, when a start still refused fails ({@link failStart}).
 */
export async function blockStart(
  record: RemediationRecord,
  blockedBy: string,
  refused: string,
  untilSec: number,
  deps: EngineDeps,
): Promise<EngineResult> {
  const until = new Date(untilSec * 1000).toISOString();
  const reason = `${blockedBy}: ${refused}; blocked: the sweeper starts it again once SSM accepts, until ${until}`;
  try {
    await deps.ledger.transition(record.id, 'started', 'blocked', {
      blockedBy,
      deadlineSec: untilSec,
      reason,
    });
  } catch (error) {
    if (error instanceof StateConflictError) return startOvertaken(record, error, deps, { failed: reason });
    throw error;
  }
  await releaseHolds(deps, record);
  return { eventId: record.eventId, ...aboutRemediation(record), outcome: 'skipped', reason };
}
