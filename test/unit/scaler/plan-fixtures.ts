/** Planned blocks, bounds and a replay of scheduled actions, for the scheduled-action tests. */
import type { PlannedBlock } from '../../../lambdas/core/planning';
import type { ActionBounds, ScheduledActionState } from '../../../lambdas/core/scaler';

export const H = 3600;
/** 2024-03-04T11:00:00Z. */
export const T0 = 1_709_550_000;
/** An hour before the first block. */
export const NOW = T0 - H;

/** Hourly blocks from `startSec`: a number is a floor (maximum 20), a pair is [floor, maximum]. */
export function blocks(
  caps: ReadonlyArray<number | readonly [number, number]>,
  startSec = T0,
  bufferSec = 300,
): PlannedBlock[] {
  return caps.map((c, i) => {
    const [min, max] = typeof c === 'number' ? [c, 20] : c;
    const blockStartSec = startSec + i * H;
    return {
      blockStartSec,
      blockEndSec: blockStartSec + H,
      actionAtSec: blockStartSec - bufferSec,
      forecastLoad: min * 100,
      neededCapacity: min,
      minCapacity: min,
      maxCapacity: max,
    };
  });
}

/** Honor, configured 2–20, a group at 2–20, the whole quota free. */
export const bounds: ActionBounds = {
  targetId: 'web',
  baseline: 2,
  held: false,
  maxCapacity: 20,
  raiseMax: false,
  groupMinSize: 2,
  groupMaxSize: 20,
  slots: 125,
  ownExisting: [],
  foreign: [],
};

/** The group's sizes at `tSec` once every action that started by then has run, in start order. */
export function sizesAt(
  actions: readonly ScheduledActionState[],
  group: { readonly minSize: number; readonly maxSize: number },
  tSec: number,
): { minSize: number; maxSize: number } {
  let { minSize, maxSize } = group;
  const due = actions.filter((a) => (a.startTimeSec ?? 0) <= tSec);
  for (const a of [...due].sort((x, y) => (x.startTimeSec ?? 0) - (y.startTimeSec ?? 0))) {
    minSize = a.minSize ?? minSize;
    maxSize = a.maxSize ?? maxSize;
  }
  return { minSize, maxSize };
}

/** Every minute from `fromSec` (inclusive) to `toSec` (exclusive). */
export function minutes(fromSec: number, toSec: number): number[] {
  const out: number[] = [];
  for (let t = fromSec; t < toSec; t += 60) out.push(t);
  return out;
}
