/**
 * The deadline sweeper: open remediations past their deadline are resolved when the alarm is OK
 * after all (its OK event was lost), or in INSUFFICIENT_DATA for a rule that accepts it once the
 * recorded automation succeeded (./recovery), and escalated as failed verifications otherwise; blocked
 * remediations are re-driven (./redrive-blocked); escalations pending for more than
 * `STALE_ESCALATION_SEC` (their sender died between the closing write and SNS) are re-sent;
 * expired global slots are reclaimed. Expired resource locks need no sweep: acquiring one
 * overwrites an expired lock in the same conditional write.
 */
import { describeError, type EngineDeps } from './engine-ports';
import type { EngineResult } from './engine-result';
import { resendEscalation, STALE_ESCALATION_SEC } from './escalation-resend';
import { OVERDUE_LIMIT } from './ledger';
import { acceptedStates, automationSucceeded, recoveredBy, whyNotRecovered } from './recovery';
import { redriveBlocked } from './redrive-blocked';
import { failVerification, recoveredWording, resolve } from './verification';

/** What one sweep did. */
export interface SweepSummary {
  readonly checked: number;
  readonly resolved: number;
  readonly escalated: number;
  /** Blocked remediations started because their blocker went away. */
  readonly redriven: number;
  /** Blocked remediations looked at. */
  readonly blocked: number;
  /** Stale pending escalations the sweep re-sent (SNS took them). */
  readonly resentEscalations: number;
  readonly reclaimedSlots: number;
  /** Remediations the sweep could not finish (retried next minute), with the error. */
  readonly errors: ReadonlyArray<{ readonly remediationId: string; readonly error: string }>;
  readonly results: readonly EngineResult[];
}

/** Sweeps overdue remediations (at most `OVERDUE_LIMIT` per run), one at a time. */
export async function sweepDeadlines(deps: EngineDeps, sweepId: string): Promise<SweepSummary> {
  const nowSec = deps.clock.nowSec();
  const overdue = await deps.ledger.listOverdue(nowSec, OVERDUE_LIMIT);
  const results: EngineResult[] = [];
  const errors: Array<{ remediationId: string; error: string }> = [];
  for (const record of overdue) {
    try {
      const state = await deps.alarms.stateOf(record.alarmName);
      const late = nowSec - (record.deadlineSec ?? nowSec);
      const check = {
        alarmState: state,
        accepted: acceptedStates(deps.config.rules, record.ruleId),
        automationSucceeded: automationSucceeded(record),
      };
      const recovered = recoveredBy(check);
      const not = whyNotRecovered(check);
      results.push(
        recovered !== undefined
          ? await resolve(
              record,
              deps,
              `alarm ${record.alarmName} found ${recoveredWording(recovered)} by the deadline sweep`,
              sweepId,
              recovered,
            )
          : await failVerification(
              record,
              'verificationFailed',
              `verification deadline passed ${late} s ago with alarm ${record.alarmName} ${state ?? 'gone'}${not === undefined ? '' : ` (${not})`}`,
              deps,
              sweepId,
              state,
            ),
      );
    } catch (error) {
      errors.push({
        remediationId: record.id,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  }
  const blocked = await deps.ledger.listBlocked(OVERDUE_LIMIT);
  for (const record of blocked) {
    try {
      results.push(await redriveBlocked(record, deps, sweepId));
    } catch (error) {
      errors.push({ remediationId: record.id, error: describeError(error) });
    }
  }
  const resentEscalations = await resendStale(deps, sweepId, nowSec, errors);
  const reclaimedSlots = await deps.ledger.reclaimExpiredSlots();
  return {
    checked: overdue.length,
    resolved: results.filter((r) => r.outcome === 'resolved').length,
    escalated: results.filter((r) => r.outcome === 'verificationFailed' || r.outcome === 'escalated').length,
    redriven: results.filter((r) => r.outcome === 'started').length,
    blocked: blocked.length,
    resentEscalations,
    reclaimedSlots,
    errors,
    results,
  };
}

/** Re-sends escalations pending since before `nowSec - STALE_ESCALATION_SEC`; returns how many went. */
async function resendStale(
  deps: EngineDeps,
  sweepId: string,
  nowSec: number,
  errors: Array<{ remediationId: string; error: string }>,
): Promise<number> {
  const pending = await deps.ledger.listPendingEscalations(nowSec - STALE_ESCALATION_SEC, OVERDUE_LIMIT);
  let resent = 0;
  for (const record of pending) {
    try {
      const result = await resendEscalation(record, deps, sweepId, { takeOverStale: true });
      if (result !== undefined) resent += 1;
    } catch (error) {
      // Still pending (SNS refused again): the next sweep retries it.
      errors.push({ remediationId: record.id, error: describeError(error) });
    }
  }
  return resent;
}
