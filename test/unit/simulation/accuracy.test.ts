import { describe, expect, it } from 'vitest';
import { mase as maseOf, maseScale, smape } from '../../../lambdas/core/forecast/metrics';
import type { Forecast } from '../../../lambdas/core/forecast/types';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import { AccuracyCollector } from '../../../lambdas/core/simulation/accuracy';

const STEP = 300;
const DAY = 288;
const HOUR = 12;

/** `days` days of a daily cycle with deterministic jitter, so seasonal differences are not 0. */
function load(days: number): RegularSeries {
  const values = Float64Array.from(
    { length: days * DAY },
    (_, i) => 100 + 50 * Math.sin((2 * Math.PI * i) / DAY) + ((i * 7919) % 13),
  );
  return { startSec: 0, stepSec: STEP, values };
}

/** A day-long forecast of 120 everywhere from grid index `decision`. */
function flat(decision: number): Forecast {
  const point = new Float64Array(DAY).fill(120);
  return { startSec: decision * STEP, stepSec: STEP, point, upper: point };
}

/** Feeds the collector one forecast per hour from `first` on, as the backtest does. */
function collect(trace: RegularSeries, first: number): AccuracyCollector {
  const collector = new AccuracyCollector(trace, HOUR);
  for (let d = first; d < trace.values.length; d += HOUR) {
    collector.add(d, { ...trace, values: trace.values.subarray(0, d) }, flat(d));
  }
  return collector;
}

describe('AccuracyCollector', () => {
  it('scores MASE and sMAPE over the same origins: none at 24 h when no origin has two days of history', () => {
    // Two days: the only forecast with a day ahead is made on one day of history, too short for a
    // MASE scale. It used to count for sMAPE alone ("24 h  n/a  88.7 %").
    const trace = load(2);

    const result = collect(trace, DAY).result(DAY);

    expect(result.origins24h).toBe(0);
    expect(result.mase24h).toBeNaN();
    expect(result.smape24h).toBeNaN();
    expect(result.origins).toBe(0);
    expect(result.smape1h).toBeNaN();
  });

  it('counts and averages the origins with two days of history and the horizon ahead', () => {
    const trace = load(3);

    const result = collect(trace, DAY).result(DAY);

    // 1 h: decisions from day 2 on (24 of them); 24 h: only the one at the start of day 3.
    expect(result.origins).toBe(24);
    expect(result.origins24h).toBe(1);
    const actual = trace.values.subarray(2 * DAY, 3 * DAY);
    const f = flat(2 * DAY).point;
    const scale = maseScale(trace.values.subarray(0, 2 * DAY), DAY);
    expect(result.mase24h).toBeCloseTo(maseOf(actual, f, scale), 12);
    expect(result.smape24h).toBeCloseTo(smape(actual, f), 12);
  });

  it('scores sMAPE but leaves MASE undefined where the history has no seasonal variation', () => {
    // Every origin sees a flat window (MASE scale 0) and forecasts 120 against 100.
    const trace: RegularSeries = { startSec: 0, stepSec: STEP, values: new Float64Array(3 * DAY).fill(100) };

    const result = collect(trace, 2 * DAY).result(2 * DAY);

    expect(result.origins).toBe(24);
    expect(result.smape1h).toBeCloseTo((100 * 2 * 20) / 220, 10);
    expect(result.mase1h).toBeNaN();
    expect(result.maseUndefinedOrigins).toBe(24);
  });

  it('leaves MASE undefined on an exactly repeating trace forecast perfectly, not a ratio of rounding noise', () => {
    // Arrange: a sine repeating every day; in floating point its seasonal differences are ~1e-14.
    const values = Float64Array.from(
      { length: 4 * DAY },
      (_, i) => 100 + 50 * Math.sin((2 * Math.PI * i) / DAY),
    );
    const trace: RegularSeries = { startSec: 0, stepSec: STEP, values };
    const collector = new AccuracyCollector(trace, HOUR);
    for (let d = 2 * DAY; d < values.length; d += HOUR) {
      // The perfect forecast, a day earlier's values: off from the actual by rounding noise only.
      const point = values.slice(d - DAY, d);
      collector.add(
        d,
        { ...trace, values: values.subarray(0, d) },
        { startSec: d * STEP, stepSec: STEP, point, upper: point },
      );
    }

    // Act
    const result = collector.result(2 * DAY);

    // Assert
    expect(result.origins).toBe(48);
    expect(result.origins24h).toBe(25);
    expect(result.smape1h).toBeCloseTo(0, 10);
    expect(result.mase1h).toBeNaN();
    expect(result.mase24h).toBeNaN();
    expect(result.maseUndefinedOrigins).toBe(48);
    expect(result.maseUndefinedOrigins24h).toBe(25);
  });

  it('counts no undefined MASE on a trace with seasonal variation', () => {
    const result = collect(load(3), DAY).result(DAY);

    expect(result.maseUndefinedOrigins).toBe(0);
    expect(result.maseUndefinedOrigins24h).toBe(0);
  });

  it('leaves bias undefined over a scored load of all zero, not 0 % for a forecast over it everywhere', () => {
    // Arrange: 3 days of zero load on 1 h steps; one forecast of 5 at every step of day 3.
    // README: biasPercent is 100 · Σ(forecast − load) / Σ load, and a figure with nothing to
    // score is null; with no load that ratio is undefined.
    const stepSec = 3600;
    const zero: RegularSeries = { startSec: 0, stepSec, values: new Float64Array(72) };
    const collector = new AccuracyCollector(zero, 24);
    const history: RegularSeries = { startSec: 0, stepSec, values: zero.values.subarray(0, 48) };
    const forecast: Forecast = {
      startSec: 48 * stepSec,
      stepSec,
      point: new Float64Array(24).fill(5),
      upper: new Float64Array(24).fill(6),
    };

    // Act
    collector.add(48, history, forecast);
    const accuracy = collector.result(48);

    // Assert: 120 units over-forecast against no load is not "bias 0.0 %".
    expect(accuracy.biasPercent).toBeNaN();
  });
});
