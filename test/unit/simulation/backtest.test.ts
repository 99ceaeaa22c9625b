import { describe, expect, it } from 'vitest';
import type { Forecaster, ForecastOptions, SelectedForecast } from '../../../lambdas/core/forecast/types';
import type { PlanningBound } from '../../../lambdas/core/planning/planning-bound';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import { runBacktest } from '../../../lambdas/core/simulation/backtest';
import { SimulationConfigError } from '../../../lambdas/core/simulation/backtest-options';

const STEP = 300;
const DAY = 288;

/**
 * Three days on a 5-minute grid: 400 (4 instances at target 100), and every day from 06:30 to
 * 08:00 a jump to 1,000 (10 instances) that reactive scaling meets two steps late.
 */
function dailyJumps(): RegularSeries {
  const values = Float64Array.from({ length: 3 * DAY }, (_, i) => {
    const minute = ((i % DAY) * STEP) / 60;
    return minute >= 390 && minute < 480 ? 1_000 : 400;
  });
  return { startSec: 0, stepSec: STEP, values };
}

/** A forecaster that knows the whole trace: returns exactly what happens next. */
function perfect(trace: RegularSeries, seen: Array<{ end: number }> = []): Forecaster {
  return (history: RegularSeries, options: ForecastOptions): SelectedForecast => {
    const from = (history.startSec - trace.startSec) / STEP + history.values.length;
    seen.push({ end: history.startSec + history.values.length * STEP });
    const future = Float64Array.from(
      { length: options.horizonSteps },
      (_, k) => trace.values[from + k] ?? 400,
    );
    return {
      startSec: history.startSec + history.values.length * STEP,
      stepSec: STEP,
      point: future,
      upper: future,
      model: 'perfect',
      scores: [],
      trust: { trusted: true, reason: 'test double' },
    };
  };
}

const untrusted: Forecaster = (history, options) => ({
  ...perfect(dailyJumps())(history, options),
  trust: { trusted: false, reason: 'test double says no' },
});

describe('runBacktest', () => {
  it.each([
    // Scored from day 2: two jumps, each under-provisioned for the alarm and the 1-step warm-up.
    // Default, 5-minute datapoints: 3 alarm steps + 1 = 4 steps per jump.
    { setting: '5-minute datapoints', metricPeriodSec: undefined, stepsPerJump: 4 },
    // 1-minute detailed monitoring: the alarm fires on the first breaching step: 1 + 1 per jump.
    { setting: '1-minute detailed', metricPeriodSec: 60, stepsPerJump: 2 },
  ])(
    'with a perfect forecast, predictive avoids the breaches reactive suffers ($setting)',
    ({ metricPeriodSec, stepsPerJump }) => {
      const trace = dailyJumps();
      const result = runBacktest(trace, {
        targetValue: 100,
        forecaster: perfect(trace),
        reactive: { metricPeriodSec },
      });
      expect(result.policies.reactive.underProvisionedFraction).toBeCloseTo(
        (2 * stepsPerJump) / (2 * DAY),
        12,
      );
      expect(result.policies.predictive.underProvisionedFraction).toBe(0);
      expect(result.policies.oracle.underProvisionedFraction).toBe(0);
      expect(result.policies.reactive.worstShortfall).toBe(6);
      expect(result.policies.predictive.instanceHours).toBeGreaterThan(result.policies.oracle.instanceHours);
      expect(result.equalCostRatio).toBe(0);
      expect(result.scoredFromSec).toBe(DAY * STEP);
    },
  );

  it('forecasts hourly from 24 h of history on, on data strictly before each decision', () => {
    const trace = dailyJumps();
    const seen: Array<{ end: number }> = [];
    const result = runBacktest(trace, { targetValue: 100, forecaster: perfect(trace, seen) });
    expect(seen).toHaveLength(48);
    expect(seen.map((s) => s.end).slice(0, 2)).toEqual([86_400, 90_000]);
    expect(result.forecasts).toEqual({ made: 48, trusted: 48 });
    const { reactive, predictive } = result.timeline.capacity;
    expect([...predictive.subarray(0, DAY - 1)]).toEqual([...reactive.subarray(0, DAY - 1)]);
  });

  it('scores a perfect forecast as perfect', () => {
    // Each day 10 % busier than the last, so the MASE scale (day-over-day change) is not 0.
    const jumps = dailyJumps();
    const values = jumps.values.map((v, i) => v * (1 + Math.floor(i / DAY) / 10));
    const trace = { ...jumps, values };
    const { forecast } = runBacktest(trace, { targetValue: 100, forecaster: perfect(trace) });
    expect(forecast).toMatchObject({
      mase1h: 0,
      smape1h: 0,
      mase24h: 0,
      peakCoverage: 1,
      peakCoverageUpper: 1,
    });
    expect(forecast.biasPercent).toBe(0);
    // Accuracy is scored from two days of history (the MASE scale): the 24 decisions of day 3 at
    // 1 h, the one at its start at 24 h.
    expect(forecast.origins).toBe(24);
    expect(forecast.origins24h).toBe(1);
    expect(forecast.maseUndefinedOrigins).toBe(0);
  });

  it('leaves MASE undefined on a trace that repeats exactly every day, with sMAPE still scored', () => {
    const trace = dailyJumps();

    const { forecast } = runBacktest(trace, { targetValue: 100, forecaster: perfect(trace) });

    expect(forecast.mase1h).toBeNaN();
    expect(forecast.mase24h).toBeNaN();
    expect(forecast.smape1h).toBe(0);
    expect(forecast.smape24h).toBe(0);
    expect(forecast.origins).toBe(24);
    expect(forecast.maseUndefinedOrigins).toBe(24);
    expect(forecast.maseUndefinedOrigins24h).toBe(1);
  });

  it.each([
    {
      name: 'a fresher forecast replaces a block not yet started, lower too',
      // First decision (step 288): 1,000 ahead; later ones: 400 again.
      level: (call: number, _k: number) => (call === 1 ? 1_000 : 400),
      // Launched at the decision, in service a warm-up (one step) later. The block from step 301
      // on comes from the fresher forecast (4 instances); its action at step 300 lowers the
      // minimum, and target tracking, below its scale-in threshold since step 289, scales in
      // after its 15th low datapoint (the end of step 303).
      expected: { 287: 4, 288: 4, 289: 10, 300: 10, 303: 10, 304: 4 },
    },
    {
      name: 'the first block starts one scheduling buffer after the decision',
      // Only the decision step itself is high: it falls inside the buffer, before any block.
      level: (_call: number, k: number) => (k === 0 ? 1_000 : 400),
      expected: { 288: 4, 289: 4, 290: 4 },
    },
  ])('$name', ({ level, expected }) => {
    const flat: RegularSeries = { startSec: 0, stepSec: STEP, values: new Float64Array(2 * DAY).fill(400) };
    let calls = 0;
    const scripted: Forecaster = (history, options) => {
      const f = perfect(flat)(history, options);
      calls++;
      const values = f.point.map((_, k) => level(calls, k));
      return { ...f, point: values, upper: values };
    };
    const { capacity } = runBacktest(flat, { targetValue: 100, forecaster: scripted }).timeline;
    for (const [step, want] of Object.entries(expected))
      expect([step, capacity.predictive[Number(step)]]).toEqual([step, want]);
  });

  it('runs the frontier with the same reactive settings as the reactive policy', () => {
    const trace = dailyJumps();
    for (const metricPeriodSec of [undefined, 60]) {
      const result = runBacktest(trace, {
        targetValue: 100,
        forecaster: untrusted,
        reactive: { metricPeriodSec },
      });
      const atTarget = result.reactiveFrontier.find((p) => p.targetFraction === 1);
      expect(atTarget?.underProvisionedFraction).toBe(result.policies.reactive.underProvisionedFraction);
      expect(atTarget?.instanceHours).toBe(result.policies.reactive.instanceHours);
    }
  });

  it('plans nothing on an untrusted forecast: predictive equals reactive', () => {
    const result = runBacktest(dailyJumps(), { targetValue: 100, forecaster: untrusted });
    expect(result.policies.predictive).toEqual(result.policies.reactive);
    expect(result.forecasts?.trusted).toBe(0);
  });

  it('reports progress after each re-forecast', () => {
    const trace = dailyJumps();
    const calls: Array<[number, number]> = [];
    runBacktest(trace, {
      targetValue: 100,
      forecaster: perfect(trace),
      onProgress: (d, t) => calls.push([d, t]),
    });
    expect(calls[0]).toEqual([1, 48]);
    expect(calls.at(-1)).toEqual([48, 48]);
  });

  it('costs less with 15-minute blocks than hourly ones on a short peak', () => {
    const trace = dailyJumps();
    const run = (blockSec: number) =>
      runBacktest(trace, { targetValue: 100, forecaster: perfect(trace), planner: { blockSec } }).policies
        .predictive;
    expect(run(900).instanceHours).toBeLessThan(run(3_600).instanceHours);
    expect(run(900).underProvisionedFraction).toBe(0);
  });

  it.each([
    {
      name: 'the trace is shorter than the history gate',
      trace: { ...dailyJumps(), values: new Float64Array(100) },
      opts: {},
      msg: 'trace too short',
    },
    {
      name: 'the target is 0',
      trace: dailyJumps(),
      opts: { targetValue: 0 },
      msg: 'targetValue must be > 0, got 0',
    },
    {
      name: 'replanning is not on the grid',
      trace: dailyJumps(),
      opts: { replanEverySec: 400 },
      msg: 'replanEverySec must be a whole number of 300 s steps, got 400',
    },
    {
      name: 'the metric period is 0',
      trace: dailyJumps(),
      opts: { reactive: { metricPeriodSec: 0 } },
      msg: 'metricPeriodSec must be > 0, got 0',
    },
    {
      name: 'the scale-out alarm needs a fractional number of datapoints',
      trace: dailyJumps(),
      opts: { reactive: { scaleOutDatapoints: 1.5 } },
      msg: 'scaleOutDatapoints must be an integer >= 1, got 1.5',
    },
    {
      name: 'the planning bound has its old name',
      trace: dailyJumps(),
      opts: { planningBound: 'forecast-upper' as PlanningBound },
      msg: 'planningBound must be one of block-max, upper, got forecast-upper',
    },
    {
      name: 'a filled run reaches the trace’s last point',
      trace: dailyJumps(),
      opts: { filledRuns: [{ fromIndex: 800, steps: 64 }] },
      msg: 'filledRuns[0] must lie between two real points of the 864-point trace, after the run before it (fromIndex >= 1, steps >= 1, fromIndex + steps <= 863), got fromIndex 800, steps 64',
    },
    {
      name: 'filled runs touch or go back in time',
      trace: dailyJumps(),
      opts: {
        filledRuns: [
          { fromIndex: 10, steps: 2 },
          { fromIndex: 12, steps: 1 },
        ],
      },
      msg: 'filledRuns[1] must lie between two real points of the 864-point trace, after the run before it (fromIndex >= 13,',
    },
  ])('fails when $name', ({ trace, opts, msg }) => {
    const run = () => runBacktest(trace, { targetValue: 100, forecaster: untrusted, ...opts });
    expect(run).toThrow(SimulationConfigError);
    expect(run).toThrow(msg);
  });
});
