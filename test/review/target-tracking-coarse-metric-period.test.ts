import { describe, expect, it } from 'vitest';
import { defaultMetricPeriodSec } from '../../cli/backtest-command';
import type { RegularSeries } from '../../lambdas/core/series/types';
import { simulateTargetTracking } from '../../lambdas/core/simulation/target-tracking';

/*
 * A CloudWatch alarm compares one datapoint per Period, and that datapoint is the metric's
 * statistic over the period ("The period, in seconds, over which the statistic is applied":
 * https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/cloudwatch/aws.sdk.kotlin.services.cloudwatch.model/-metric-alarm/period.html).
 * When the trace's step is finer than the alarm period, one datapoint aggregates several steps;
 * the simulator instead needs every one of those steps to breach (target-tracking.ts alarmSteps).
 */
describe('simulateTargetTracking with a metric period coarser than the trace step', () => {
  it('scales out when every 1-minute datapoint of a 15 s trace is above the target', () => {
    // Arrange: the backtest CLI gives a 15 s trace a 60 s alarm period by default.
    const stepSec = 15;
    const metricPeriodSec = defaultMetricPeriodSec(stepSec);
    expect(metricPeriodSec).toBe(60);
    // Each minute (4 steps) carries 150, 150, 150, 50: a 1-minute average of 125 per instance
    // against a target of 100, so every datapoint breaches; 20 minutes of it.
    const minute = [150, 150, 150, 50];
    const load: RegularSeries = {
      startSec: 0,
      stepSec,
      values: Float64Array.from({ length: 80 }, (_, i) => minute[i % 4] as number),
    };

    // Act
    const run = simulateTargetTracking(load, {
      targetValue: 100,
      minCapacity: 1,
      maxCapacity: 10,
      warmupSec: 0,
      metricPeriodSec,
    });

    // Assert: 3 breaching datapoints take 3 minutes; AWS scales out (ceil(1 × 125 / 100) = 2).
    expect(run.actions.reduce((s, a) => s + a, 0)).toBeGreaterThanOrEqual(1);
    expect(run.inService.at(-1)).toBeGreaterThanOrEqual(2);
  });
});
