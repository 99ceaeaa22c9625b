import type { RegularSeries } from '../series/types';

/** A forecast of `horizonSteps` points continuing a series on its own grid. */
export interface Forecast {
  /** Time of the first forecast point: one step after the last history point. */
  readonly startSec: number;
  readonly stepSec: number;
  /** Point forecast, one value per future step. */
  readonly point: Float64Array;
  /** Upper bound at the requested quantile (default p90), from the model's own residuals. */
  readonly upper: Float64Array;
}

export interface ForecastOptions {
  readonly horizonSteps: number;
  /** Quantile of the upper bound, in (0.5, 1). Default 0.9. */
  readonly upperQuantile?: number;
  /**
   * UTC offset, in seconds, of the local time whose Saturday and Sunday are the series' weekend
   * (see `SeriesCalendar`), within ±14 h. Default 0: the weekend of UTC.
   */
  readonly weekendUtcOffsetSec?: number;
}

/** A forecasting method: pure, deterministic, no I/O. */
export interface ForecastModel {
  /** Stable identifier, e.g. `seasonal-naive-daily`; shown to users and in decision records. */
  readonly name: string;
  /** Fewest history points the model needs; with fewer, callers must not use it. */
  minHistoryPoints(stepSec: number): number;
  forecast(history: RegularSeries, options: ForecastOptions): Forecast;
}

/** A model's error on rolling-origin validation over the history it was given. */
export interface ModelScore {
  readonly model: string;
  /**
   * Mean absolute scaled error against the daily seasonal-naive in-sample error, over the origins
   * that have one; NaN when none has.
   */
  readonly mase: number;
  /** Symmetric MAPE, percent, over every origin. */
  readonly smape: number;
  readonly origins: number;
  /**
   * Origins without a MASE: their training window is all zero, so there is no scale to divide
   * by. Absent when every origin has one.
   */
  readonly maseUndefinedOrigins?: number;
}

/** Why a forecast may or may not drive scaling. */
export interface TrustVerdict {
  readonly trusted: boolean;
  /** One sentence a human can act on, e.g. "only 18 h of history; need at least 24 h". */
  readonly reason: string;
}

/**
 * A model's day-ahead forecasts on the validation days of a history: `forecasts[k]` was made from
 * the values before history index `origins[k]` and covers the day from there. Newest origin first.
 */
export interface ValidationDays {
  readonly origins: readonly number[];
  readonly forecasts: readonly Float64Array[];
}

/** The auto-selector's answer: the chosen model's forecast, every candidate's score and the verdict. */
export interface SelectedForecast extends Forecast {
  readonly model: string;
  readonly scores: readonly ModelScore[];
  readonly trust: TrustVerdict;
  /** The chosen model's validation forecasts, when it was validated (for the block-max bound). */
  readonly validation?: ValidationDays;
}

/**
 * A forecaster as the scaler and the backtest call it: `selectForecast` in production, doubles in
 * tests.
 */
export type Forecaster = (history: RegularSeries, options: ForecastOptions) => SelectedForecast;
