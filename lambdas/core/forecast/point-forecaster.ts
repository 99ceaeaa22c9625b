/**
 * The inner contract every model implements: a point forecast from plain values. The shared
 * machinery (backtest, upper bounds, selection) wraps it into a {@link ForecastModel}.
 */
export interface PointForecaster {
  /** Stable identifier, e.g. `seasonal-naive-daily`. */
  readonly name: string;
  /** Fewest history points the model needs at this step. */
  minHistoryPoints(stepSec: number): number;
  /**
   * Forecasts `horizon` steps after the last value of `history` (a view; never mutated).
   * Must be deterministic and must not read past the end of `history`. `calendar` places the
   * history in time for models that follow the local week; without it the history is taken to
   * start at {@link EPOCH_CALENDAR}, so callers that know the times pass them (`selectForecast` does).
   */
  point(
    history: Float64Array,
    stepSec: number,
    horizon: number,
    memo?: FitMemo,
    calendar?: SeriesCalendar,
  ): Float64Array;
}

/**
 * Where a history sits in time, for the profile that follows the local week (its weekend). Every
 * fit of one selection sees a prefix of the same history, so they share its calendar.
 */
export interface SeriesCalendar {
  /** Epoch seconds of the history's first value. */
  readonly startSec: number;
  /**
   * UTC offset, in seconds, of the local time whose Saturday and Sunday are the series' weekend
   * (e.g. 32,400 for Tokyo). A fixed offset: daylight saving time moves the weekend by an hour,
   * which the profile's ±2 h smoothing absorbs.
   */
  readonly weekendUtcOffsetSec: number;
}

/** The calendar of a history whose times are unknown: it starts at 1970-01-01T00:00Z, weekend on UTC. */
export const EPOCH_CALENDAR: SeriesCalendar = { startSec: 0, weekendUtcOffsetSec: 0 };

/**
 * Scratch shared by the models forecasting from one and the same history view, so variants of a
 * model (e.g. with and without a short-term correction) fit their common decomposition once.
 * Callers create one per history and drop it afterwards; it is never module-level state.
 */
export type FitMemo = Map<string, unknown>;
