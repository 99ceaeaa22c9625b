import { blockMaxMargins, blockMaxUpper } from '../forecast/block-max-bound';
import type { PointForecaster } from '../forecast/point-forecaster';
import type { Forecaster } from './predictive-floor';

/** What the predictive floor plans on; see {@link BacktestOptions.planningBound}. */
export type PlanningBound = 'block-max' | 'forecast-upper';

/**
 * Default quantile of the block-maximum errors: 0.5, the median block peak. Chosen once from
 * 0.5, 0.7 and 0.9 on the shared 5-minute traces (equal-cost ratio medians 0.94, 1.02, 1.65):
 * a floor sized for rare block peaks pays for them every hour, while target tracking above the
 * floor meets the rest two steps late.
 */
export const DEFAULT_BLOCK_MAX_QUANTILE = 0.5;

/** Block geometry and quantile of {@link withBlockMaxBound}. */
export interface BlockMaxSettings {
  readonly blockSteps: number;
  readonly leadSteps: number;
  readonly quantile: number;
}

/**
 * Wraps a forecaster so that its upper bound is recalibrated for the planner, which sizes each
 * block on the block's maximum: upper = point + the block-max margin of the chosen model (see
 * `blockMaxMargins`). The chosen model is looked up by name in `models`; a forecast from any
 * other model (a test double), an untrusted one, or one without a validation day is returned
 * unchanged.
 */
export function withBlockMaxBound(
  base: Forecaster,
  models: readonly PointForecaster[],
  s: BlockMaxSettings,
): Forecaster {
  return (history, options) => {
    const forecast = base(history, options);
    const model = models.find((m) => m.name === forecast.model);
    if (model === undefined || !forecast.trust.trusted) return forecast;
    const margins = blockMaxMargins(model, history.values, history.stepSec, s);
    if (margins === undefined) return forecast;
    return { ...forecast, upper: blockMaxUpper(forecast.point, margins, s.blockSteps, s.leadSteps) };
  };
}
