import { linearTrend } from './linear-trend';
import { toForecastModel } from './model';
import type { PointForecaster } from './point-forecaster';
import { robustSeasonal } from './robust-seasonal';
import { naiveLast, seasonalNaiveDaily, seasonalNaiveWeeklyAr } from './seasonal-naive';
import type { ForecastModel } from './types';

/**
 * Robust trend + daily + weekday/weekend model without short-term correction. Not a selection candidate
 * since the AR(1) correction: its forecast differs from {@link robustSeasonalAr} only in the
 * first hours, where the fitted correction is the better guess (it was never selected on the
 * 21 traces), so validating it only cost time.
 */
export const robustSeasonalModel = robustSeasonal({
  name: 'robust-seasonal',
  weekly: true,
  correctionTauSec: 0,
  levelShift: false,
});

/**
 * The robust model plus a correction toward the latest level that fades over a couple of hours.
 * Not a selection candidate: it differs from {@link robustSeasonalShift} only after a regime
 * change, so it could never clear the challenger margin and would only cost validation time.
 */
export const robustSeasonalCorrected = robustSeasonal({
  name: 'robust-seasonal-corrected',
  weekly: true,
  correctionTauSec: 2 * 3600,
  levelShift: false,
});

/** The corrected model that also adopts a sustained new level (regime change, e.g. a drop to zero). */
export const robustSeasonalShift = robustSeasonal({
  name: 'robust-seasonal-shift',
  weekly: true,
  correctionTauSec: 2 * 3600,
  levelShift: true,
});

/**
 * The robust model with an AR(1) correction fitted per series on its residuals (instead of the
 * fixed two-hour fade) and level-shift handling.
 */
export const robustSeasonalAr = robustSeasonal({
  name: 'robust-seasonal-ar',
  weekly: true,
  correctionTauSec: 0,
  levelShift: true,
  arCorrection: true,
});

/**
 * Every model the selector validates. The first is the default that a challenger must clearly
 * beat; later ones break ties in order. Models whose minimum history is not met are skipped.
 */
export const CANDIDATE_MODELS: readonly PointForecaster[] = [
  robustSeasonalAr,
  seasonalNaiveDaily,
  seasonalNaiveWeeklyAr,
  naiveLast,
  linearTrend,
];

/** The candidates as full {@link ForecastModel}s (point and upper bound), for callers that pick one by name. */
export const CANDIDATE_FORECAST_MODELS: readonly ForecastModel[] = CANDIDATE_MODELS.map(toForecastModel);
