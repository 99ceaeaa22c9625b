/**
 * Found in review (fixed): when a trusted forecast was followed by an untrusted one, the backtest
 * cancelled every block of the trusted plan whose action had not run yet, while the deployed
 * scaler leaves them on the group to run, as far ahead as it plans (48 h by default).
 *
 * Deployed (lambdas/core/scaler/run-cycle.ts): "An untrusted forecast writes nothing: the target's
 * earlier actions, if any, run out on their own and end with their restore to the baseline." The
 * backtest (lambdas/core/simulation/predictive-floor.ts, `decide`): "An untrusted plan cancels the
 * actions that have not run yet". README ("How the predictive scaler decides", 5): "The deployed
 * forecaster and the backtest call the same function, so the backtest shows what the scaler
 * would have done"; ("How the backtest simulates scaling"): the plan raises and lowers the minimum
 * "as the deployed scaler's actions do". Trust does flip on real traces: on the benchmark's 21 NAB
 * traces a trusted forecast is followed by an untrusted one 0 to 40 times per
 * trace (nyc_taxi 40, Twitter AAPL 11, ec2_disk_write_bytes_1ef3de 10), and each time the replay
 * drops capacity the deployed scaler would still add.
 */
import { describe, expect, it } from 'vitest';
import type { Forecaster, SelectedForecast } from '../../../lambdas/core/forecast/types';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import { runBacktest } from '../../../lambdas/core/simulation/backtest';

const STEP = 300;
const DAY = 288;

describe('runBacktest when a trusted forecast is followed by untrusted ones', () => {
  it('keeps the trusted plan’s later blocks, as the scheduled actions already written would run', () => {
    // Arrange: a flat load of 400 (4 instances at target 100); the first forecast (trusted) says
    // 1,000 for the next day, every later one is untrusted.
    const flat: RegularSeries = { startSec: 0, stepSec: STEP, values: new Float64Array(2 * DAY).fill(400) };
    let calls = 0;
    const forecaster: Forecaster = (history, options): SelectedForecast => {
      calls++;
      const level = calls === 1 ? 1_000 : 400;
      const values = new Float64Array(options.horizonSteps).fill(level);
      return {
        startSec: history.startSec + history.values.length * STEP,
        stepSec: STEP,
        point: values,
        upper: values,
        model: 'scripted',
        scores: [],
        trust:
          calls === 1 ? { trusted: true, reason: 'test double' } : { trusted: false, reason: 'test double' },
      };
    };

    // Act
    const { capacity } = runBacktest(flat, { targetValue: 100, forecaster }).timeline;

    // Assert: four hours after the first decision, its block for that hour is still on the group.
    expect(capacity.predictive[DAY + 48]).toBe(10);
  });

  it('keeps them as far ahead as the deployed scaler plans by default (48 h), and no further', () => {
    // Arrange: four flat days, so the first plan's 48 h end inside the trace.
    const flat: RegularSeries = { startSec: 0, stepSec: STEP, values: new Float64Array(4 * DAY).fill(400) };
    const horizons: number[] = [];
    let calls = 0;
    const forecaster: Forecaster = (history, options): SelectedForecast => {
      calls++;
      horizons.push(options.horizonSteps);
      const values = new Float64Array(options.horizonSteps).fill(calls === 1 ? 1_000 : 400);
      return {
        startSec: history.startSec + history.values.length * STEP,
        stepSec: STEP,
        point: values,
        upper: values,
        model: 'scripted',
        scores: [],
        trust: { trusted: calls === 1, reason: 'test double' },
      };
    };

    // Act
    const { capacity } = runBacktest(flat, { targetValue: 100, forecaster }).timeline;

    // Assert: asked for 48 h; the last block (from 47 h 05 min) ends 48 h 05 min after the
    // decision, when target tracking, long below its scale-in threshold, goes back to 4.
    expect(horizons[0]).toBe(2 * DAY);
    expect(capacity.predictive[DAY + 47 * 12]).toBe(10);
    expect(capacity.predictive[DAY + 2 * DAY]).toBe(10);
    expect(capacity.predictive[DAY + 2 * DAY + 6]).toBe(4);
  });
});
