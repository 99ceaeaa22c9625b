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
   * Must be deterministic and must not read past the end of `history`.
   */
  point(history: Float64Array, stepSec: number, horizon: number, memo?: FitMemo): Float64Array;
}

/**
 * Scratch shared by the models forecasting from one and the same history view, so variants of a
 * model (e.g. with and without a short-term correction) fit their common decomposition once.
 * Callers create one per history and drop it afterwards; it is never module-level state.
 */
export type FitMemo = Map<string, unknown>;
