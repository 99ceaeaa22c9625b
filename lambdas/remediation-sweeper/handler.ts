/**
 * Remediation deadline sweeper (EventBridge schedule, every minute): escalates remediations past
 * their verification deadline with the alarm still in ALARM, resolves those whose OK event was
 * lost, re-drives blocked ones, resumes starts whose starter died (no execution recorded, lease
 * over), re-sends stale escalations and reclaims expired global slots. What a step cannot finish
 * (a malformed ledger item, a refused AWS call) is logged and the sweep goes on; the run fails
 * at the end.
 */

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { REMEDIATION_METRICS } from '../../lib/config/metric-names';
import { retryFailed } from '../core/remediation/escalation-opsitem-retry';
import { describeSweepErrors } from '../core/remediation/sweep-steps';
import { type SweepSummary, sweepDeadlines } from '../core/remediation/verification-sweep';
import { remediationRuntime } from '../remediation-common/runtime';

const runtime = remediationRuntime();

/** Some steps of the sweep could not finish; each is retried on the next run. */
export class SweepIncompleteError extends Error {
  override readonly name = 'SweepIncompleteError';
}

/**
 * Runs one sweep; every step runs whatever the others met. Throws {@link SweepIncompleteError}
 * afterwards when any step had an error, so the function's Errors alarm fires.
 */
export async function handler(
  event: ScheduledEvent,
  context: Context,
): Promise<Omit<SweepSummary, 'results' | 'opsItemRetries'>> {
  runtime.logger.addContext(context);
  runtime.beginInvocation(context.getRemainingTimeInMillis());
  try {
    const summary = await sweepDeadlines(runtime.deps, event.id);
    for (const result of summary.results) {
      runtime.record(result, { unreadableReportedApart: true, opsItemsFailedReportedApart: true });
    }
    // One record per OpsItem retried; a failure is alarmed through OpsItemsFailed below.
    for (const retry of summary.opsItemRetries) {
      const level = !retryFailed(retry) ? 'info' : retry.retriedAgain ? 'warn' : 'error';
      runtime.logger[level]('OpsItem retried', { retry, eventId: event.id });
    }
    runtime.metrics.addMetric(REMEDIATION_METRICS.slotsReclaimed, MetricUnit.Count, summary.reclaimedSlots);
    // Stale escalations re-sent mean a sender died mid-escalation: the Sweeper's EscalationsResent alarm.
    runtime.metrics.addMetric(
      REMEDIATION_METRICS.escalationsResent,
      MetricUnit.Count,
      summary.resentEscalations,
    );
    // CreateOpsItem calls that failed, of every step (0 too): the Sweeper's OpsItemsFailed alarm.
    runtime.metrics.addMetric(REMEDIATION_METRICS.opsItemsFailed, MetricUnit.Count, summary.opsItemsFailed);
    // Every malformed item the sweep met, once however many steps and records met it: the
    // Sweeper's UnreadableLedgerItems alarm.
    runtime.reportUnreadable(summary.unreadableLedgerItems, event.id);
    runtime.metrics.publishStoredMetrics();
    // One record per failure, naming the step and the record (or the key of an unreadable item).
    for (const sweepError of summary.errors) runtime.logger.error('sweep step failed', { ...sweepError });
    const { results: _results, opsItemRetries: _retries, ...counts } = summary;
    runtime.logger.info('sweep finished', { summary: counts });
    if (summary.errors.length > 0) {
      throw new SweepIncompleteError(describeSweepErrors(summary.errors));
    }
    return counts;
  } catch (error) {
    runtime.logger.error('remediation sweep failed', { error, eventId: event.id });
    throw error;
  }
}
