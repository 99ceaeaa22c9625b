/**
 * Found in review (fixed): on a trace whose step is longer than the scheduling buffer (hourly data, which is all
 * CloudWatch keeps after 63 days, and a `periodSec` the deployed scaler accepts), the simulated
 * predictive floor puts its instances in service one step after the block they were planned for.
 *
 * The deployed scaler's action for a block runs `schedulingBufferSec` (300 s) before the block, so
 * with a 300 s warm-up the instances serve from the block's start (README "How the backtest
 * simulates scaling": "the plan raises the group's minimum at each block start minus the
 * buffer"). The simulator only consults the bounds at step starts: an action due at 05:55 was first
 * seen at the 06:00 step, the launch dated 06:00, ready at 06:05, and counted from the 07:00
 * step, so a perfect forecast still left the first hour of every rise under-provisioned. The
 * bounds now say when the minimum was raised, and the launch is dated then.
 *
 * AWS, SchedulingBufferTime: "the forecast says to add capacity at 10:00 AM, and you choose to
 * pre-launch instances by 5 minutes. In that case, the instances will be launched at 9:55 AM"
 * (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/autoscaling/aws.sdk.kotlin.services.autoscaling.model/-predictive-scaling-configuration/scheduling-buffer-time.html).
 * CloudWatch keeps 5-minute data for 63 days and 1-hour data for 455 days
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html),
 * so a trace longer than two months is hourly. (At 600 s and 900 s steps the raise is one step
 * late too, but there each block starts one step after its decision, off the clock hour, so a rise
 * seldom falls on a block's first step.)
 */
import { describe, expect, it } from 'vitest';
import type { Forecaster, ForecastOptions, SelectedForecast } from '../../../lambdas/core/forecast/types';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import { runBacktest } from '../../../lambdas/core/simulation/backtest';

const HOUR = 3600;
const DAY_STEPS = 24;

/** Three days of hourly load: 400 (4 instances at target 100), 1,000 from 06:00 to 08:00 each day. */
function hourlyJumps(): RegularSeries {
  const values = Float64Array.from({ length: 3 * DAY_STEPS }, (_, i) => {
    const hour = i % DAY_STEPS;
    return hour >= 6 && hour < 8 ? 1_000 : 400;
  });
  return { startSec: 0, stepSec: HOUR, values };
}

/** A forecaster that returns exactly what happens next, trusted. */
function perfect(trace: RegularSeries): Forecaster {
  return (history: RegularSeries, options: ForecastOptions): SelectedForecast => {
    const from = (history.startSec - trace.startSec) / trace.stepSec + history.values.length;
    const future = Float64Array.from(
      { length: options.horizonSteps },
      (_, k) => trace.values[from + k] ?? 400,
    );
    return {
      startSec: history.startSec + history.values.length * trace.stepSec,
      stepSec: trace.stepSec,
      point: future,
      upper: future,
      model: 'perfect',
      scores: [],
      trust: { trusted: true, reason: 'test double' },
    };
  };
}

describe('runBacktest on an hourly trace', () => {
  it('has the planned capacity in service when the block starts, as the deployed actions do', () => {
    // Arrange
    const trace = hourlyJumps();

    // Act
    const result = runBacktest(trace, { targetValue: 100, forecaster: perfect(trace), warmupSec: 300 });

    // Assert: with a perfect forecast the floor is in service at 06:00, as on a 5-minute trace.
    const jump = 2 * DAY_STEPS + 6;
    expect(result.timeline.capacity.predictive[jump]).toBe(10);
    expect(result.policies.predictive.underProvisionedFraction).toBe(0);
  });
});
