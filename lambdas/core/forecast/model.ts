import type { RegularSeries } from '../series/types';
import { backtest } from './backtest';
import { upperBound } from './bounds';
import { resolveOptions } from './options';
import type { PointForecaster } from './point-forecaster';
import type { Forecast, ForecastModel, ForecastOptions } from './types';

/** Raised when a model is asked to forecast from less history than it needs. */
export class InsufficientHistoryError extends Error {
  constructor(model: string, have: number, need: number) {
    super(`model ${model} needs at least ${need} history points, got ${have}`);
    this.name = 'InsufficientHistoryError';
  }
}

/** Builds the forecast that continues `history` from a point forecast and its upper bound. */
export function forecastOf(history: RegularSeries, point: Float64Array, upper: Float64Array): Forecast {
  return {
    startSec: history.startSec + history.values.length * history.stepSec,
    stepSec: history.stepSec,
    point,
    upper,
  };
}

/**
 * Wraps a point forecaster into a {@link ForecastModel}: the point forecast from the whole
 * history and an upper bound from the model's own rolling-origin errors on that history.
 */
export function toForecastModel(forecaster: PointForecaster): ForecastModel {
  return {
    name: forecaster.name,
    minHistoryPoints: (stepSec) => forecaster.minHistoryPoints(stepSec),
    forecast(history: RegularSeries, options: ForecastOptions): Forecast {
      const { horizonSteps, upperQuantile, weekendUtcOffsetSec } = resolveOptions(options);
      const { values, stepSec } = history;
      const need = forecaster.minHistoryPoints(stepSec);
      if (values.length < need) throw new InsufficientHistoryError(forecaster.name, values.length, need);
      const calendar = { startSec: history.startSec, weekendUtcOffsetSec };
      const point = forecaster.point(values, stepSec, horizonSteps, undefined, calendar);
      const { errors } = backtest(forecaster, values, stepSec, undefined, calendar);
      return forecastOf(history, point, upperBound(point, errors, upperQuantile, values));
    },
  };
}
