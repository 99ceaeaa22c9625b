import type { RegularSeries } from '../series/types';
import { type Backtest, backtestAll } from './backtest';
import { upperBound } from './bounds';
import { CANDIDATE_MODELS } from './candidates';
import { forecastOf } from './model';
import { resolveOptions, stepsPerDay } from './options';
import type { PointForecaster } from './point-forecaster';
import { naiveLast, seasonalNaiveDaily } from './seasonal-naive';
import { trustVerdict } from './trust-gate';
import type { ForecastOptions, SelectedForecast } from './types';

/**
 * Chooses a model per series by rolling-origin validation on the series' own history (the last
 * days, each origin seeing only the values before it; see {@link backtest}), then forecasts with
 * the winner on the full history. The winner is the lowest mean validation MASE (ties go to the
 * earlier candidate); its upper bound comes from its validation errors. When no candidate can be
 * validated (under about two days of history) it falls back to repeating the last day, or the
 * last value under one day, and the trust verdict says the forecast is not trusted.
 *
 * Throws {@link ForecastOptionsError} for bad options and a plain Error for an empty history.
 */
export function selectForecast(
  history: RegularSeries,
  options: ForecastOptions,
  candidates: readonly PointForecaster[] = CANDIDATE_MODELS,
): SelectedForecast {
  const { horizonSteps, upperQuantile } = resolveOptions(options);
  const { values, stepSec } = history;
  if (values.length === 0) throw new Error('cannot forecast an empty history: got 0 points');
  const backtests = backtestAll(candidates, values, stepSec, horizonSteps);
  const results: Array<{ model: PointForecaster; bt: Backtest }> = [];
  candidates.forEach((model, i) => {
    const bt = backtests[i];
    if (bt !== undefined && bt.score.origins > 0) results.push({ model, bt });
  });
  let best = results[0];
  for (const r of results) if (best !== undefined && r.bt.score.mase < best.bt.score.mase) best = r;
  const model = best?.model ?? (values.length >= stepsPerDay(stepSec) ? seasonalNaiveDaily : naiveLast);
  const point = model.point(values, stepSec, horizonSteps);
  const upper = upperBound(point, best?.bt.errors ?? [], upperQuantile, values);
  return {
    ...forecastOf(history, point, upper),
    model: model.name,
    scores: results.map((r) => r.bt.score),
    trust: trustVerdict(values.length * stepSec, best?.bt.score),
  };
}
