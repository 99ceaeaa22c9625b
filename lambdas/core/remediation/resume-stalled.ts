/**
 * The sweeper's resume of stalled starts: `started` remediations without an execution id whose
 * starter can no longer be running (./start-lease, the rule a redelivery of the alarm event
 * applies). A redelivery resumes such a start only if one comes; nothing redelivers a start the
 * sweeper's own re-drive (./redrive-blocked) left half done, nor one whose alarm handler's retries
 * ran out. Each is checked again first, as the first decision checked it (./start-recheck: alarm
 * still in ALARM, rule still enforcing and not frozen; else the record is closed), then resumed
 * through `resumeStart`: it retakes the holds (or moves to `blocked`) and sends the recorded
 * ClientToken, so SSM runs at most one execution whoever resumes it. Each is read again just
 * before: one resolved, escalated or resumed since the listing is left alone. One past its
 * deadline is left to the deadline sweep, which escalates it.
 */
import { describeError, type EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { resumeStart } from './engine-start';
import { OVERDUE_LIMIT } from './ledger';
import type { RemediationRecord } from './ledger-records';
import { judgeStartLease } from './start-lease';
import { recheckStart } from './start-recheck';

/** What the sweep did with stalled starts. */
export interface StalledResumes {
  readonly results: readonly EngineResult[];
  /** Stalled starts the sweep resumed, whatever the resumed start then did. */
  readonly resumed: number;
}

/** Resumes at most `OVERDUE_LIMIT` stalled starts, earliest first; failures go to `errors`. */
export async function resumeStalledStarts(
  deps: EngineDeps,
  sweepId: string,
  errors: Array<{ remediationId: string; error: string }>,
): Promise<StalledResumes> {
  const nowSec = deps.clock.nowSec();
  const lease = deps.eventClaimLeaseSec;
  const stalled = await deps.ledger.listStalledStarts(nowSec - lease, OVERDUE_LIMIT);
  const results: EngineResult[] = [];
  let resumed = 0;
  for (const listed of stalled) {
    // Read again: an earlier resume may have taken long enough for this one to be resolved,
    // escalated or resumed since the listing, and a stale record would retake its holds and start.
    const record = await stillStalled(listed.id, deps);
    if (record === undefined) continue;
    const verdict = judgeStartLease(record, nowSec, lease);
    if (verdict.kind === 'held' || nowSec >= (record.deadlineSec ?? nowSec)) continue;
    const why = `no execution recorded since ${verdict.startedAtSec}, lease over at ${verdict.leaseEndsAtSec}`;
    try {
      const refused = await recheckStart(record, deps, sweepId);
      if (refused !== undefined) {
        results.push({ ...refused, reason: `${refused.reason} (sweep ${sweepId}: ${why})` });
        continue;
      }
      const result = await resumeStart(record, deps);
      if (result === undefined) {
        results.push({
          eventId: sweepId,
          ...aboutRemediation(record),
          outcome: 'ignored',
          reason: `${why}, but rule ${record.ruleId} is gone or no start request is recorded: the deadline sweep escalates it`,
        });
        continue;
      }
      resumed += 1;
      results.push({ ...result, reason: `${result.reason} (resumed by sweep ${sweepId}: ${why})` });
    } catch (error) {
      errors.push({ remediationId: record.id, error: describeError(error) });
    }
  }
  return { results, resumed };
}

/** The record of `id` as it is now, if it is still a start without an execution. */
async function stillStalled(id: string, deps: EngineDeps): Promise<RemediationRecord | undefined> {
  const record = await deps.ledger.getRemediation(id);
  return record?.state === 'started' && record.executionId === undefined ? record : undefined;
}
