import { quantileSorted } from 'simple-statistics';

/** Instances the default target makes the load's 99th percentile need. */
export const DEFAULT_P99_INSTANCES = 15;

/** How the default was derived, echoed in reports and JSON summaries. */
export const DEFAULT_TARGET_RULE = `default: p99 load / ${DEFAULT_P99_INSTANCES}, 2 significant digits`;

/**
 * Default target value per instance for a backtest: the load's 99th percentile divided by
 * {@link DEFAULT_P99_INSTANCES}, rounded to two significant digits, so busy periods need about
 * 15 instances: enough capacity steps for the policies to differ. The peak is not used because
 * real traces carry anomaly spikes (Twitter AAPL's peak is 20 times its p99) that would leave the
 * group at one or two instances most of the time. Used by the CLI and the benchmark alike.
 */
export function defaultTargetValue(values: Float64Array): number {
  if (values.length === 0) return 1;
  const sorted = Array.from(values).sort((a, b) => a - b);
  const p99 = quantileSorted(sorted, 0.99);
  return p99 > 0 ? Number((p99 / DEFAULT_P99_INSTANCES).toPrecision(2)) : 1;
}
