/**
 * A start whose StartAutomationExecution got no certain answer (./engine-ports
 * `StartUncertainError`: a timeout or network error with no answer, a failure on SSM's side, or
 * anything else the runner threw but a refusal). SSM may have started the automation, so unlike a
 * refusal (./engine-start-failed) nothing is written and nothing given back: the record stays
 * `started` without an execution, its resource lock, group slot and global slot stay taken, so no
 * second automation can start on the resource or beyond the group's blast radius, and nobody is
 * told yet. The start is resumed with the same ClientToken (SSM runs at most one execution for it:
 * the resume records the one SSM started, or starts it if the request never arrived), after the
 * recheck (./start-recheck), by whoever comes first:
 * - Lambda's retry of the alarm handler, which fails its invocation on this outcome; the retry
 *   carries the claim owner's request id, so it resumes at once (./start-lease), about a minute later;
 * - the sweeper's stalled-start step (./resume-stalled), once the claim lease has passed since the
 *   record entered `started` (the only resume of a sweeper's own re-drive).
 * A resume's refusal lands here too unless it proves the earlier request started nothing either
 * (./start-refusal).
 * If none succeeds before the deadline, the deadline sweep escalates it, saying no execution was
 * recorded, and it keeps its holds until they expire (./engine-closed-holds).
 */
import type { StartAutomationRequest } from './automation-request';
import { describeError, StartRefusedError, StartUncertainError } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import type { RemediationRecord } from './ledger-records';

/**
 * The `startUncertain` result of `record`'s start, whose StartAutomationExecution threw `error`;
 * `doubt` when it was a refusal of a resume that proves nothing about the earlier request
 * (./start-refusal).
 */
export function startUncertain(
  record: RemediationRecord,
  request: StartAutomationRequest,
  error: unknown,
  doubt?: string,
): EngineResult {
  const call = `StartAutomationExecution of ${request.DocumentName} on ${record.resourceId}`;
  const kept = `so remediation ${record.id} stays started with its holds, to be resumed with the same ClientToken`;
  if (doubt !== undefined) {
    return {
      eventId: record.eventId,
      ...aboutRemediation(record),
      outcome: 'startUncertain',
      reason: `${call} was refused by SSM on resuming: ${describeStartError(error)}; but ${doubt}, ${kept}`,
    };
  }
  return {
    eventId: record.eventId,
    ...aboutRemediation(record),
    outcome: 'startUncertain',
    reason: `${call} got no certain answer: ${describeStartError(error)}; SSM may have started it, ${kept}`,
  };
}

function describeStartError(error: unknown): string {
  return error instanceof StartUncertainError || error instanceof StartRefusedError
    ? error.message
    : describeError(error);
}
