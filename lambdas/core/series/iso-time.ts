/** Epoch seconds as ISO 8601 UTC without milliseconds, e.g. `2014-04-10T00:05:00Z`. */
export function isoUtc(tSec: number): string {
  return new Date(Math.round(tSec) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Epoch seconds as ISO 8601 UTC with milliseconds, e.g. `2014-04-10T00:00:04.500Z`. */
export function isoUtcMillis(tSec: number): string {
  return new Date(Math.round(tSec * 1000)).toISOString();
}

/**
 * The formatter for the times of a grid `stepSec` apart: {@link isoUtc} when the step is a whole
 * number of seconds (the grid of minute rows with sub-second jitter stays on the second), else
 * {@link isoUtcMillis}, so a 1.5 s or 0.5 s grid keeps each time distinct and evenly spaced. One
 * precision for every time of the grid, so a column of them sorts as text in time order.
 */
export function gridTimeFormat(stepSec: number): (tSec: number) => string {
  const stepMs = Math.round(stepSec * 1000);
  return stepMs > 0 && stepMs % 1000 === 0 ? isoUtc : isoUtcMillis;
}
