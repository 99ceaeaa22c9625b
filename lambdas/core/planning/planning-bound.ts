import { DEFAULT_PLANNING_BOUND, PLANNING_BOUNDS } from '../../../lib/config/schema';
import { backtest } from '../forecast/backtest';
import { type BlockGeometry, blockMaxMargins, blockMaxUpper } from '../forecast/block-max-bound';
import { CANDIDATE_MODELS } from '../forecast/candidates';
import type { PointForecaster } from '../forecast/point-forecaster';
import type { SelectedForecast, ValidationDays } from '../forecast/types';
import type { RegularSeries } from '../series/types';

/**
 * What the planner sizes each block on: `block-max`, the point forecast plus a margin calibrated
 * on the chosen model's errors of each block's maximum; `upper`, the selector's upper bound at the
 * configured quantile (`upperQuantile`, default p90).
 */
export type PlanningBound = (typeof PLANNING_BOUNDS)[number];

/** Every planning bound and the default: owned by the config schema, which validates them. */
export { DEFAULT_PLANNING_BOUND, PLANNING_BOUNDS };

/**
 * Default quantile of the block-maximum errors: 0.5, the median block peak. Chosen once from
 * 0.5, 0.7 and 0.9 on the shared 5-minute traces (equal-cost ratio medians 0.94, 1.02, 1.65):
 * a floor sized for rare block peaks pays for them every hour, while target tracking above the
 * floor meets the rest two steps late.
 */
export const DEFAULT_BLOCK_MAX_QUANTILE = 0.5;

/** The bound asked for and the blocks the planner will cut the forecast into. */
export interface PlanningBoundOptions extends BlockGeometry {
  readonly bound: PlanningBound;
  /** Quantile of the block-maximum errors. Default {@link DEFAULT_BLOCK_MAX_QUANTILE}. */
  readonly quantile?: number;
  /**
   * Models a forecast without validation days (not from the selector) is looked up in by `model`
   * and validated again to calibrate `block-max`. Default: the candidates.
   */
  readonly models?: readonly PointForecaster[];
  /** The forecast's weekend offset (`ForecastOptions.weekendUtcOffsetSec`), for that validation. Default 0. */
  readonly weekendUtcOffsetSec?: number;
}

/** The forecast the planner consumes, and which bound its `upper` holds. */
export interface PlanningForecast {
  /** The selected forecast with `upper` replaced by the planning bound (unchanged for `upper`). */
  readonly forecast: SelectedForecast;
  /** The bound `forecast.upper` holds. */
  readonly bound: PlanningBound;
  /** Set when `block-max` was asked for but could not be calibrated: why `upper` was kept. */
  readonly fallback?: string;
}

/**
 * Turns a selected forecast into the forecast the planner consumes, for the forecaster Lambda and
 * the backtest alike. With `block-max`, upper = point + the block-maximum margin of the chosen
 * model (see `blockMaxMargins`), its validation blocks at the same times of day as the blocks the
 * planner will plan (`blockSteps`, `firstBlockStep`), on the selector's own validation forecasts
 * (fitted again only for a forecast the selector did not make, from a model in `models`); the
 * selector's upper bound is kept when the forecast is untrusted (it plans nothing), comes from a
 * model it cannot validate, or has no validation day. `history` is what the forecast was made
 * from. Pure.
 */
export function planningForecast(
  forecast: SelectedForecast,
  history: RegularSeries,
  o: PlanningBoundOptions,
): PlanningForecast {
  if (o.bound === 'upper') return { forecast, bound: 'upper' };
  const keep = (fallback: string): PlanningForecast => ({ forecast, bound: 'upper', fallback });
  if (!forecast.trust.trusted) return keep('the forecast is not trusted');
  const days =
    forecast.validation ??
    revalidate(forecast.model, history, o.models ?? CANDIDATE_MODELS, o.weekendUtcOffsetSec ?? 0);
  if (days === undefined) return keep(`model ${forecast.model} cannot be re-validated per block`);
  const geometry = { blockSteps: o.blockSteps, firstBlockStep: o.firstBlockStep };
  const margins = blockMaxMargins(days, history.values, history.stepSec, {
    ...geometry,
    quantile: o.quantile ?? DEFAULT_BLOCK_MAX_QUANTILE,
  });
  if (margins === undefined) return keep('no validation day has a day of history before it');
  const upper = blockMaxUpper(forecast.point, margins, history.stepSec, geometry);
  return { forecast: { ...forecast, upper }, bound: 'block-max' };
}

/** The validation days of `name` on `history`, fitted again: for forecasts the selector did not make. */
function revalidate(
  name: string,
  history: RegularSeries,
  models: readonly PointForecaster[],
  weekendUtcOffsetSec: number,
): ValidationDays | undefined {
  const model = models.find((m) => m.name === name);
  if (model === undefined) return undefined;
  const calendar = { startSec: history.startSec, weekendUtcOffsetSec };
  return backtest(model, history.values, history.stepSec, undefined, calendar).validation;
}
