/**
 * The sweeper's resume of stalled starts: `started` remediations without an execution id whose
 * starter can no longer be running (./start-lease, the rule a redelivery of the alarm event
 * applies). A redelivery resumes such a start only if one comes; nothing redelivers a start the
 * sweeper's own re-drive (./redrive-blocked) left half done or got no certain answer for
 * (./engine-start-uncertain), nor one whose alarm handler's retries ran out. Each is checked
 * again first, as the first decision checked it (./start-recheck: alarm still in ALARM, rule still enforcing and not frozen; else the record is closed), then resumed
 * through `resumeStart`: it retakes the holds (or moves to `blocked`) and sends the recorded
 * ClientToken, so SSM runs at most one execution whoever resumes it. Each is read again just
 * before: one resolved, escalated or resumed since the listing is left alone. One past its
 * deadline is left to the deadline sweep, which escalates it.
 */
import type { EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { resumeStart } from './engine-start';
import { OVERDUE_LIMIT } from './ledger';
import type { RemediationRecord } from './ledger-records';
import { judgeStartLease } from './start-lease';
import { recheckStart } from './start-recheck';
import { forEachListed, type SweepError } from './sweep-steps';

/** What the sweep did with stalled starts. */
export interface StalledResumes {
  readonly results: readonly EngineResult[];
  /** Stalled starts the sweep resumed, whatever the resumed start then did. */
  readonly resumed: number;
}

/**
 * Resumes at most `OVERDUE_LIMIT` stalled starts, earliest first, one at a time; a start that
 * cannot be read or resumed goes to `errors` and the others go on (./sweep-steps).
 */
export async function resumeStalledStarts(
  deps: EngineDeps,
  sweepId: string,
  errors: SweepError[],
): Promise<StalledResumes> {
  const nowSec = deps.clock.nowSec();
  const { done } = await forEachListed(
    'resume stalled starts',
    () => deps.ledger.listStalledStarts(nowSec - deps.eventClaimLeaseSec, OVERDUE_LIMIT),
    (listed) => resumeStalled(listed.id, deps, sweepId, nowSec),
    errors,
  );
  const handled = done.filter((d) => d !== undefined);
  return { results: handled.map((d) => d.result), resumed: handled.filter((d) => d.resumed).length };
}

/** What resuming one listed start did; undefined when it was no longer stalled. */
async function resumeStalled(
  id: string,
  deps: EngineDeps,
  sweepId: string,
  nowSec: number,
): Promise<{ readonly result: EngineResult; readonly resumed: boolean } | undefined> {
  // Read again: an earlier resume may have taken long enough for this one to be resolved,
  // escalated or resumed since the listing, and a stale record would retake its holds and start.
  const record = await stillStalled(id, deps);
  if (record === undefined) return undefined;
  const verdict = judgeStartLease(record, nowSec, deps.eventClaimLeaseSec);
  if (verdict.kind === 'held' || nowSec >= (record.deadlineSec ?? nowSec)) return undefined;
  const why = `no execution recorded since ${verdict.startedAtSec}, lease over at ${verdict.leaseEndsAtSec}`;
  const refused = await recheckStart(record, deps, sweepId);
  if (refused !== undefined) {
    return { result: { ...refused, reason: `${refused.reason} (sweep ${sweepId}: ${why})` }, resumed: false };
  }
  const result = await resumeStart(record, deps, { mayHaveReachedSsm: true });
  if (result === undefined) {
    const reason = `${why}, but rule ${record.ruleId} is gone or no start request is recorded: the deadline sweep escalates it`;
    return {
      result: { eventId: sweepId, ...aboutRemediation(record), outcome: 'ignored', reason },
      resumed: false,
    };
  }
  return {
    result: { ...result, reason: `${result.reason} (resumed by sweep ${sweepId}: ${why})` },
    resumed: true,
  };
}

/** The record of `id` as it is now, if it is still a start without an execution. */
async function stillStalled(id: string, deps: EngineDeps): Promise<RemediationRecord | undefined> {
  const record = await deps.ledger.getRemediation(id);
  return record?.state === 'started' && record.executionId === undefined ? record : undefined;
}
