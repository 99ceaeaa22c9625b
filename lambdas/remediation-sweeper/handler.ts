/**
 * Remediation deadline sweeper (EventBridge schedule, every minute): escalates remediations past
 * their verification deadline with the alarm still in ALARM, resolves those whose OK event was
 * lost, re-drives blocked ones, resumes starts whose starter died (no execution recorded, lease
 * over), re-sends stale escalations and reclaims expired global slots.
 */

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { REMEDIATION_METRICS, SERVICE_NAMES } from '../../lib/config/metric-names';
import { type SweepSummary, sweepDeadlines } from '../core/remediation/verification-sweep';
import { remediationRuntime } from '../remediation-common/runtime';

const runtime = remediationRuntime(SERVICE_NAMES.remediationSweeper);

/** Some overdue remediations could not be handled; they are retried on the next run. */
export class SweepIncompleteError extends Error {
  override readonly name = 'SweepIncompleteError';
}

/** Runs one sweep; throws {@link SweepIncompleteError} when any remediation could not be handled. */
export async function handler(
  event: ScheduledEvent,
  context: Context,
): Promise<Omit<SweepSummary, 'results'>> {
  runtime.logger.addContext(context);
  try {
    const summary = await sweepDeadlines(runtime.deps, event.id);
    for (const result of summary.results) runtime.record(result);
    runtime.metrics.addMetric(REMEDIATION_METRICS.slotsReclaimed, MetricUnit.Count, summary.reclaimedSlots);
    // Stale escalations re-sent mean a sender died mid-escalation: the Sweeper's EscalationsResent alarm.
    runtime.metrics.addMetric(
      REMEDIATION_METRICS.escalationsResent,
      MetricUnit.Count,
      summary.resentEscalations,
    );
    runtime.metrics.publishStoredMetrics();
    const { results: _results, ...counts } = summary;
    runtime.logger.info('sweep finished', { summary: counts });
    if (summary.errors.length > 0) {
      throw new SweepIncompleteError(
        `${summary.errors.length} of ${summary.checked} overdue remediation(s) not handled`,
      );
    }
    return counts;
  } catch (error) {
    runtime.logger.error('remediation sweep failed', { error, eventId: event.id });
    throw error;
  }
}
