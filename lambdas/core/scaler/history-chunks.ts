/**
 * Bounding the history a forecast run holds at once. A run reads, forecasts, writes and publishes
 * its targets chunk by chunk, each chunk's histories and forecasts dropped before the next chunk
 * is read; a chunk is sized by the data points its histories hold, not by how many targets it
 * has (one target of 1-minute history holds five times the points of one of 5-minute history).
 */
import type { ScalingTarget } from '../../../lib/config/schema';

/**
 * Heap one history data point takes while a run holds it: a `{ tSec, value }` object in an array,
 * measured at about 75 bytes with the forecaster handler (bench/scaler.ts); rounded up for the
 * regularized copies the forecasts of a chunk make of it.
 */
export const HEAP_BYTES_PER_HISTORY_POINT = 100;
/**
 * Share of the function's memory a chunk's history may take. The rest holds the runtime, the
 * bundled SDK, a GetMetricData page being read (up to 100,800 points, as `Date` objects), the
 * forecasts of the chunk, the decision records of every target, and V8's headroom to collect
 * garbage: Lambda gives a 1,024 MB Node.js function an old space of about 870 MB.
 */
export const HISTORY_MEMORY_SHARE = 0.25;
/** Lambda's smallest memory setting, the default when the function's memory is not known. */
export const MIN_FUNCTION_MEMORY_MIB = 128;
/** Data points one GetMetricData call returns at most: one page of history. */
export const HISTORY_PAGE_POINTS = 100_800;

/**
 * Data points of history a run may hold at once with `memoryMiB` of function memory, in whole
 * pages of {@link HISTORY_PAGE_POINTS} (at least one): chunks of targets with the same window then
 * end on a page boundary (a page holds 25 targets of 5-minute, 14-day history), so reading in
 * chunks takes no more GetMetricData pages than reading every target at once.
 */
export function historyPointBudget(memoryMiB: number): number {
  if (!Number.isFinite(memoryMiB) || memoryMiB <= 0)
    throw new RangeError(`memoryMiB must be a positive number of MiB; received ${memoryMiB}`);
  const points = (memoryMiB * 1024 * 1024 * HISTORY_MEMORY_SHARE) / HEAP_BYTES_PER_HISTORY_POINT;
  return Math.max(1, Math.floor(points / HISTORY_PAGE_POINTS)) * HISTORY_PAGE_POINTS;
}

/** Data points of a target's history read: one per period of its lookback. */
export function historyPoints(target: ScalingTarget): number {
  return Math.ceil((target.lookbackDays * 86_400) / target.periodSec);
}

/**
 * Splits `targets` into chunks of at most `budgetPoints` history points each (a target larger than
 * the budget alone). Targets sharing a history window (period and lookback) are kept together, in
 * their configured order, so a chunk's reads fill GetMetricData calls and pages as one read of
 * every target would; each chunk lists the targets' indexes in `targets`.
 */
export function historyChunks(targets: readonly ScalingTarget[], budgetPoints: number): number[][] {
  if (!Number.isFinite(budgetPoints) || budgetPoints < 1)
    throw new RangeError(`budgetPoints must be at least 1; received ${budgetPoints}`);
  const windowOf = (t: ScalingTarget) => `${t.periodSec}/${t.lookbackDays}`;
  const windows = [...new Set(targets.map(windowOf))];
  const order = targets
    .map((t, index) => ({ index, window: windows.indexOf(windowOf(t)), points: historyPoints(t) }))
    .sort((a, b) => a.window - b.window || a.index - b.index);
  const chunks: number[][] = [];
  let current: number[] = [];
  let held = 0;
  for (const { index, points } of order) {
    if (current.length > 0 && held + points > budgetPoints) {
      chunks.push(current);
      current = [];
      held = 0;
    }
    current.push(index);
    held += points;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
