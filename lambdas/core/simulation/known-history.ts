import type { FilledRun } from '../series/regularize';

/** The part of a trace a decision may see, in grid indices, and the holes inside it. */
export interface KnownHistory {
  /** First point: the first real point at or after the window's start. */
  readonly from: number;
  /** One past the last point: one past the last real point before the decision. */
  readonly to: number;
  /** Longest run of filled points inside `[from, to)` (0 when none). */
  readonly longestGapSteps: number;
}

/**
 * What a replay's decision may know of a regularized trace, given the runs `regularize` filled
 * (`filledRuns`, in time order). A filled point is interpolated towards the real point after its
 * run; when that point comes at or after the decision, the value was not known at decision time
 * (it is look-ahead), so the history ends at the last real point before the run, as a metric read
 * at that moment would: the deployed scaler then forecasts from that point on and judges its age.
 * Filled points at the window's start are dropped too, as a read of the window returns nothing
 * before its first real point. Filled runs between two real points inside the history stay, as
 * the scaler interpolates them, and count towards the gap check.
 */
export class TraceKnowledge {
  constructor(private readonly runs: readonly FilledRun[]) {}

  /**
   * The known history of a decision at grid index `decision` whose window starts at
   * `windowStart`; `undefined` when it holds fewer than 2 real points (nothing to forecast from:
   * the deployed scaler's read would fail).
   */
  at(windowStart: number, decision: number): KnownHistory | undefined {
    const startRun = this.runAt(windowStart);
    const endRun = this.runAt(decision - 1);
    const from = startRun === undefined ? windowStart : startRun.fromIndex + startRun.steps;
    const to = endRun === undefined ? decision : endRun.fromIndex;
    if (to - from < 2) return undefined;
    let longestGapSteps = 0;
    for (let k = this.firstFrom(from); k < this.runs.length; k++) {
      const run = this.runs[k] as FilledRun;
      if (run.fromIndex >= to) break;
      longestGapSteps = Math.max(longestGapSteps, run.steps);
    }
    return { from, to, longestGapSteps };
  }

  /** The filled run holding grid index `i`, if any. */
  private runAt(i: number): FilledRun | undefined {
    const k = this.firstFrom(i + 1) - 1;
    const run = this.runs[k];
    return run !== undefined && i < run.fromIndex + run.steps ? run : undefined;
  }

  /** Index of the first run starting at or after grid index `i` (binary search). */
  private firstFrom(i: number): number {
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.runs[mid] as FilledRun).fromIndex < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
