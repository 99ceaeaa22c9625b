import type { Point } from './types';

/** Where {@link fillMissingWithZero} puts zeros: the grid of `stepSec` from the first point, before `endSec`. */
export interface ZeroFillWindow {
  readonly stepSec: number;
  /** End of the read window (exclusive): the last grid time filled is the last one before it. */
  readonly endSec: number;
}

export interface ZeroFillResult {
  /** The input's points and the added zeros, in time order. */
  readonly points: readonly Point[];
  /** Grid times that had no point and now hold 0. */
  readonly filled: number;
}

/**
 * Adds a point of value 0 at every grid time `first + k * stepSec` before `endSec` that no input
 * point falls on (a point counts for the grid time nearest to it, as in `regularize`), for a
 * metric whose source reports nothing while there is no load. Nothing is added before the first
 * point: a period before it may predate the resource, not be idle. Expects points in time order;
 * returns them unchanged, `filled` 0, when there are none.
 */
export function fillMissingWithZero(points: readonly Point[], window: ZeroFillWindow): ZeroFillResult {
  const first = points[0];
  const { stepSec, endSec } = window;
  if (first === undefined || !(stepSec > 0)) return { points, filled: 0 };
  const slots = Math.ceil((endSec - first.tSec) / stepSec);
  const held = new Set(points.map((p) => Math.round((p.tSec - first.tSec) / stepSec)));
  const zeros: Point[] = [];
  for (let k = 0; k < slots; k++) {
    if (!held.has(k)) zeros.push({ tSec: first.tSec + k * stepSec, value: 0 });
  }
  if (zeros.length === 0) return { points, filled: 0 };
  const merged = [...points, ...zeros].sort((a, b) => a.tSec - b.tSec);
  return { points: merged, filled: zeros.length };
}
