/**
 * The alarm's OK for a remediation whose execution has not been seen to end (no status event
 * handled, no success recorded). The OK alone does not close it: an automation that clears the
 * alarm on its way (restart-service stops the service, which clears a CPU alarm) may still fail
 * after it, and one still running must keep its resource lock and its group and global slots, or
 * the caps admit another start beside it. So the execution's status is read: still running (or
 * unreadable), the remediation stays `verifying` with its holds, and its status event (which reads
 * the alarm again on success) or the deadline sweep decides; ended, it is settled now: resolved
 * on success, escalated as a failed automation otherwise, its evidence taken from the same read.
 */
import { automationOutcome } from './automation-event';
import { type AutomationExecutionRead, describeError, type EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import type { RemediationRecord } from './ledger-records';
import { failVerification, resolve } from './verification';

/** Settles open `record` (execution `executionId`) on its alarm's OK event `eventId`; `why` words the OK. */
export async function settleOnOk(
  record: RemediationRecord,
  executionId: string,
  why: string,
  eventId: string,
  deps: EngineDeps,
): Promise<EngineResult> {
  const waiting = (what: string): EngineResult => ({
    eventId,
    executionId,
    ...aboutRemediation(record),
    outcome: 'verifying',
    reason: `${why} while ${what}: its end decides (its status event, or the deadline sweep); holds kept`,
  });
  let read: AutomationExecutionRead | undefined;
  try {
    read = await deps.automation.statusOf(executionId);
  } catch (error) {
    return waiting(`the status of automation ${executionId} could not be read (${describeError(error)})`);
  }
  // SSM knows no such execution: nothing runs that the holds would have to cover.
  if (read === undefined) {
    return resolve(record, deps, `${why}; SSM knows no execution ${executionId}`, eventId, 'OK');
  }
  const { status } = read;
  const outcome = automationOutcome(status);
  if (outcome === 'running') return waiting(`automation ${executionId} is still ${status}`);
  if (outcome === 'succeeded') {
    return resolve(record, deps, `${why}; automation ${executionId} ended ${status}`, eventId, 'OK');
  }
  return failVerification(
    record,
    'automationFailed',
    `automation ${executionId} ended ${status}, read on ${why}`,
    deps,
    eventId,
    { alarmState: 'OK', execution: read.execution },
  );
}
