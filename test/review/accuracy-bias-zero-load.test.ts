import { describe, expect, it } from 'vitest';
import type { Forecast } from '../../lambdas/core/forecast/types';
import type { RegularSeries } from '../../lambdas/core/series/types';
import { AccuracyCollector } from '../../lambdas/core/simulation/accuracy';

/*
 * README `backtest --json` schema: `forecast.biasPercent` is 100 · Σ(forecast − load) / Σ load,
 * and "Accuracy figures with nothing to score are null". Over a scored period whose load is all
 * zero that ratio is undefined, yet it is reported as 0 (metrics.ts bias: `volume === 0 ? 0`), so
 * the report prints "bias 0.0 %" for a forecast that over-forecasts at every step.
 */
describe('AccuracyCollector bias over an all-zero load', () => {
  it('does not report a forecast that over-forecasts every step as unbiased', () => {
    // Arrange: 3 days of zero load on 1 h steps; one forecast of 5 at every step of day 3.
    const stepSec = 3600;
    const load: RegularSeries = { startSec: 0, stepSec, values: new Float64Array(72) };
    const collector = new AccuracyCollector(load, 24);
    const history: RegularSeries = { startSec: 0, stepSec, values: load.values.subarray(0, 48) };
    const forecast: Forecast = {
      startSec: 48 * stepSec,
      stepSec,
      point: new Float64Array(24).fill(5),
      upper: new Float64Array(24).fill(6),
    };

    // Act
    collector.add(48, history, forecast);
    const accuracy = collector.result(48);

    // Assert: 120 units over-forecast against no load is not "0 % bias".
    expect(accuracy.biasPercent).not.toBe(0);
  });
});
