/**
 * Forecaster Lambda (EventBridge schedule): forecasts every configured target, writes scheduled
 * actions for trusted `forecastAndScale` targets and publishes the forecasts. Thin: environment and
 * configuration are read once at cold start, the core does the thinking.
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { FORECASTER_METRICS } from '../../lib/config/metric-names';
import { parseAppConfig } from '../../lib/config/parse';
import { AutoScalingActions } from '../adapters/auto-scaling-actions';
import { AutoScalingGroups } from '../adapters/auto-scaling-groups';
import { CloudWatchHistory } from '../adapters/cloudwatch-history';
import { CloudWatchPublisher } from '../adapters/cloudwatch-publisher';
import {
  type CycleDeadline,
  type CycleSummary,
  cycleDeadlineMs,
  type DecisionRecord,
  runForecastCycle,
} from '../core/scaler';
import { sdkClientConfig } from '../runtime/sdk-client-config';
import { loadForecasterEnv } from './env';

/** Every target failed in this run; the invocation fails so retries and the DLQ apply. */
export class AllTargetsFailedError extends Error {
  constructor(readonly total: number) {
    super(`all ${total} target(s) failed; see the decision records`);
    this.name = 'AllTargetsFailedError';
  }
}

/** The longest one attempt of an AWS call waits for its answer. */
const FORECASTER_MAX_ATTEMPT_MS = 20_000;
/** The longest one call, retries included, may take. */
const FORECASTER_CALL_BUDGET_MS = 120_000;

const env = loadForecasterEnv(process.env);
const config = parseAppConfig(JSON.parse(readFileSync(env.configPath, 'utf8')), env.configPath);
const targets = config.predictiveScaling.targets;
const logger = new Logger({ serviceName: env.serviceName });
const metrics = new Metrics({ namespace: env.metricNamespace, serviceName: env.serviceName });
/**
 * Each attempt of a call times out (GetMetricData of 500 queries over two weeks answers in
 * seconds): a call that gets no answer fails after 5 attempts × 20 s and the backoff, well within
 * the default 300 s timeout; the run's deadline ({@link cycleDeadline}) covers a shorter one.
 */
const clients = sdkClientConfig({
  maxAttempts: env.sdkMaxAttempts,
  callBudgetMs: FORECASTER_CALL_BUDGET_MS,
  maxAttemptMs: FORECASTER_MAX_ATTEMPT_MS,
});
const cloudwatch = new CloudWatchClient(clients);
const autoscaling = new AutoScalingClient(clients);
const ports = {
  metrics: new CloudWatchHistory(cloudwatch),
  groups: new AutoScalingGroups(autoscaling),
  actuator: new AutoScalingActions(autoscaling),
  publisher: new CloudWatchPublisher(cloudwatch, {
    namespace: env.metricNamespace,
    stackName: env.stackName,
  }),
};
const clock = { nowSec: () => Math.floor(Date.now() / 1000) };

/** Runs one forecast cycle; throws {@link AllTargetsFailedError} only when every target failed. */
export async function handler(
  event: ScheduledEvent,
  context: Context,
): Promise<Omit<CycleSummary, 'records'>> {
  logger.addContext(context);
  const deadline = cycleDeadline(context.getRemainingTimeInMillis());
  try {
    const summary = await runForecastCycle(targets, ports, clock, {
      concurrency: env.concurrency,
      historyPointsPerChunk: env.historyPointsPerChunk,
      deadline: deadline.signals,
    });
    for (const record of summary.records) {
      if (record.status === 'failed') logger.error('decision', { decision: record });
      else logger.info('decision', { decision: record });
      logWarnings(record);
    }
    metrics.addMetric(FORECASTER_METRICS.targetsSucceeded, MetricUnit.Count, summary.succeeded);
    metrics.addMetric(FORECASTER_METRICS.targetsFailed, MetricUnit.Count, summary.failed);
    metrics.addMetric(FORECASTER_METRICS.targetsUntrusted, MetricUnit.Count, summary.untrusted);
    metrics.publishStoredMetrics();
    const { records: _records, ...counts } = summary;
    logger.info('forecast cycle finished', { summary: counts });
    if (summary.total > 0 && summary.failed === summary.total) throw new AllTargetsFailedError(summary.total);
    return counts;
  } catch (error) {
    logger.error('forecast cycle failed', { error, eventId: event.id, targets: targets.length });
    throw error;
  } finally {
    deadline.clear();
  }
}

/** The WARN lines a decision record calls for, each naming the target and its group. */
function logWarnings(record: DecisionRecord): void {
  const at = { targetId: record.targetId, autoScalingGroupName: record.autoScalingGroupName };
  // A user's scheduled action the plan could not follow: its MinSize became a floor from now on
  // (and, when its Recurrence cannot be read, its run times are unknown).
  for (const warning of record.actions?.warnings ?? []) {
    logger.warn('user scheduled action not followed', { ...at, warning });
  }
  // A forecastOnly target's group that forecastAndScale would refuse or not scale fully.
  for (const warning of record.groupCheck ?? []) {
    logger.warn('group not ready for forecastAndScale', { ...at, warning });
  }
  // A suspended process under which the written plan will not take full effect.
  for (const warning of record.actions?.groupWarnings ?? []) {
    logger.warn('group will not follow the plan fully', { ...at, warning });
  }
  // A floor found on the group that only a person ends: said every run, with how to release it.
  const baseline = record.actions?.baseline;
  if (baseline?.release !== undefined) {
    logger.warn('floor held', {
      ...at,
      floor: baseline.minSize,
      reason: baseline.reason,
      release: baseline.release,
    });
  }
  // Another forecaster target's plan still on the group (a scaled target moved or renamed).
  for (const warning of record.actions?.otherPlans ?? []) {
    logger.warn('other forecaster target actions on the group', { ...at, warning });
  }
}

/**
 * The run's deadline from the invocation's time left ({@link cycleDeadlineMs}), so a call that
 * never answers still leaves a record for every target, the forecasts finished published and the
 * metrics emitted.
 */
function cycleDeadline(remainingMs: number): { signals: CycleDeadline; clear: () => void } {
  const { stopTargetsMs, stopAllMs } = cycleDeadlineMs(remainingMs);
  const stopTargets = new AbortController();
  const stopAll = new AbortController();
  // Every target in flight (up to SELFHEAL_CONCURRENCY) and its SDK call wait on these signals;
  // past 10 listeners Node would print a MaxListenersExceededWarning, a raw line in the log. Each
  // listener is removed when its work settles, so there is no leak to warn of.
  setMaxListeners(0, stopTargets.signal, stopAll.signal);
  const left = `${remainingMs} ms were left when the invocation started`;
  const timers = [
    setTimeout(
      () => stopTargets.abort(new Error(`the invocation's time to process targets ran out (${left})`)),
      stopTargetsMs,
    ),
    setTimeout(() => stopAll.abort(new Error(`the invocation's time ran out (${left})`)), stopAllMs),
  ];
  return {
    signals: { stopTargets: stopTargets.signal, stopAll: stopAll.signal },
    clear: () => {
      for (const t of timers) clearTimeout(t);
    },
  };
}
