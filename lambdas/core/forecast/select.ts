import type { RegularSeries } from '../series/types';
import { type Backtest, backtestAll, DEFAULT_VALIDATION_ORIGINS } from './backtest';
import { upperBound } from './bounds';
import { CANDIDATE_MODELS } from './candidates';
import { forecastOf } from './model';
import { resolveOptions, stepsPerDay } from './options';
import type { FitMemo, PointForecaster, SeriesCalendar } from './point-forecaster';
import { naiveLast, seasonalNaiveDaily } from './seasonal-naive';
import { SERIES_CACHE_KEY, SeriesCache } from './series-cache';
import { trustVerdict } from './trust-gate';
import type { ForecastOptions, SelectedForecast } from './types';

/**
 * Chooses a model per series by rolling-origin validation on the series' own history (the last
 * days, each origin seeing only the values before it; see {@link backtest}), then forecasts with
 * the winner on the full history. The first candidate (the robust seasonal model) is the default;
 * another wins only with a validation MASE at least {@link CHALLENGER_MARGIN} lower, because three
 * validation days are a noisy judge and switching on noise costs more than it gains. The upper
 * bound comes from the winner's validation errors. When no candidate can be
 * validated (under three days of history: a validation day after two days of training) it falls back to repeating the last day, or the
 * last value under one day, and the trust verdict says the forecast is not trusted.
 *
 * Throws {@link ForecastOptionsError} for bad options and a plain Error for an empty history.
 */
export function selectForecast(
  history: RegularSeries,
  options: ForecastOptions,
  candidates: readonly PointForecaster[] = CANDIDATE_MODELS,
): SelectedForecast {
  const { horizonSteps, upperQuantile, weekendUtcOffsetSec } = resolveOptions(options);
  const { values, stepSec } = history;
  if (values.length === 0) throw new Error('cannot forecast an empty history: got 0 points');
  const shared: FitMemo = new Map([[SERIES_CACHE_KEY, new SeriesCache(values, stepsPerDay(stepSec))]]);
  const calendar: SeriesCalendar = { startSec: history.startSec, weekendUtcOffsetSec };
  const backtests = backtestAll(candidates, values, stepSec, DEFAULT_VALIDATION_ORIGINS, shared, calendar);
  const results: Array<{ model: PointForecaster; bt: Backtest }> = [];
  candidates.forEach((model, i) => {
    const bt = backtests[i];
    if (bt !== undefined && bt.score.origins > 0) results.push({ model, bt });
  });
  const best = pickWinner(results);
  const model = best?.model ?? (values.length >= stepsPerDay(stepSec) ? seasonalNaiveDaily : naiveLast);
  const point = model.point(values, stepSec, horizonSteps, new Map(shared), calendar);
  const upper = upperBound(point, best?.bt.errors ?? [], upperQuantile, values);
  return {
    ...forecastOf(history, point, upper),
    model: model.name,
    scores: results.map((r) => r.bt.score),
    trust: trustVerdict(values.length * stepSec, best?.bt.score),
    ...(best === undefined ? {} : { validation: best.bt.validation }),
  };
}

/**
 * How much lower (as a fraction) a challenger's validation MASE must be to displace the default
 * candidate: 0.2, i.e. 20 %. Fixed once for all series, not tuned per series.
 */
export const CHALLENGER_MARGIN = 0.2;

function pickWinner<T extends { bt: Backtest }>(results: readonly T[]): T | undefined {
  const fallback = results[0];
  let best = fallback;
  for (const r of results) if (best !== undefined && r.bt.score.mase < best.bt.score.mase) best = r;
  if (best === undefined || fallback === undefined) return best;
  return best.bt.score.mase < (1 - CHALLENGER_MARGIN) * fallback.bt.score.mase ? best : fallback;
}
