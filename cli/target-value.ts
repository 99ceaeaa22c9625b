/** Instances the default target value makes the trace's peak need. */
export const DEFAULT_PEAK_INSTANCES = 15;

/** How the default was derived, echoed in the report and the JSON summary. */
export const DEFAULT_TARGET_RULE = `default: peak load / ${DEFAULT_PEAK_INSTANCES}, 2 significant digits`;

/**
 * The default target value per instance: the peak divided by {@link DEFAULT_PEAK_INSTANCES},
 * rounded to two significant digits, so the busiest step needs about 15 instances — enough
 * capacity steps for the policies to differ, few enough to read on a chart.
 */
export function defaultTargetValue(values: Float64Array): number {
  let peak = 0;
  for (const v of values) if (v > peak) peak = v;
  if (peak <= 0) return 1;
  return Number((peak / DEFAULT_PEAK_INSTANCES).toPrecision(2));
}
