import { type Point, type RegularSeries, SeriesError } from './types';

/** How to treat several points that share one timestamp. */
export type DuplicatePolicy = 'mean' | 'last' | 'reject';

export interface RegularizeOptions {
  /**
   * Grid step. Default: the most common positive spacing of the input's timestamps, rows with a
   * NaN value included (see {@link inferStepSec}).
   */
  readonly stepSec?: number;
  /** Default `mean`: CloudWatch and exporters repeat a timestamp when a period is re-published. */
  readonly duplicates?: DuplicatePolicy;
  /**
   * Longest run of missing grid points that may be filled by linear interpolation.
   * Default: unlimited (the forecast protocol fills every gap). Longer gaps raise a {@link SeriesError}.
   */
  readonly maxGapSteps?: number;
  /**
   * Most grid points the series may span. Default: unlimited. A stray timestamp years away from
   * the rest would otherwise ask for billions of points; more raise a {@link SeriesError} before
   * any memory is taken.
   */
  readonly maxPoints?: number;
}

/** A run of consecutive grid points that {@link regularize} filled by interpolation. */
export interface FilledRun {
  /** Grid index of the run's first filled point; the real points around it are `fromIndex - 1` and `fromIndex + steps`. */
  readonly fromIndex: number;
  /** Filled points in the run. */
  readonly steps: number;
}

/** What {@link regularize} had to repair, so callers can report it rather than hide it. */
export interface RegularizeReport {
  readonly inputPoints: number;
  readonly duplicatesMerged: number;
  readonly nonFiniteDropped: number;
  readonly gapPointsFilled: number;
  readonly longestGapSteps: number;
  /**
   * Which points were filled, run by run in time order: each filled value depends on the real
   * point after its run, so a replay must not show it to a decision made before that point.
   */
  readonly filledRuns: readonly FilledRun[];
  /** Points that fell between grid points and were snapped to the nearest one. */
  readonly offGridPoints: number;
}

export interface RegularizeResult {
  readonly series: RegularSeries;
  readonly report: RegularizeReport;
}

/**
 * The most common positive spacing between consecutive timestamps (ties go to the smaller step).
 * Spacings are counted to the whole millisecond (parsed timestamps carry float noise), and from
 * half a second up grouped by the whole second nearest to them: timestamps with sub-second jitter
 * (epoch milliseconds written by a script) repeat almost no exact spacing, so the most common
 * exact one was an arbitrary 59.695 s. Within the winning second, a spacing shared by at least
 * half of its members is the step as written (a 1.5 s grid stays 1.5 s); otherwise the whole
 * second is. Needs at least two distinct timestamps.
 */
export function inferStepSec(points: readonly Point[]): number {
  // How many spacings fall in each whole-second group, and how often each exact (millisecond) one.
  const totals = new Map<number, number>();
  const exacts = new Map<number, Map<number, number>>();
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1];
    const cur = points[i];
    if (prev === undefined || cur === undefined) continue;
    const d = cur.tSec - prev.tSec;
    if (!(d > 0)) continue;
    const exact = Math.round(d * 1000) / 1000 || d;
    const group = exact >= 0.5 ? Math.round(exact) : exact;
    totals.set(group, (totals.get(group) ?? 0) + 1);
    const counts = exacts.get(group) ?? new Map<number, number>();
    counts.set(exact, (counts.get(exact) ?? 0) + 1);
    exacts.set(group, counts);
  }
  const best = mostCommon(totals);
  const written = best === undefined ? undefined : mostCommon(exacts.get(best.key) ?? new Map());
  if (best === undefined || written === undefined)
    throw new SeriesError('cannot infer a step: the series needs at least two distinct timestamps');
  return 2 * written.count >= best.count ? written.key : best.key;
}

/** The key with the highest count, the smaller key on a tie; undefined for an empty map. */
function mostCommon(counts: ReadonlyMap<number, number>): { key: number; count: number } | undefined {
  let best: { key: number; count: number } | undefined;
  for (const [key, count] of counts) {
    if (best === undefined || count > best.count || (count === best.count && key < best.key))
      best = { key, count };
  }
  return best;
}

/**
 * Puts points on the grid `t0 + i * step`: rejects time going backwards, merges duplicate
 * timestamps, drops NaN/Infinity values (treated as missing) and fills missing grid points by
 * linear interpolation between their neighbours.
 */
export function regularize(points: readonly Point[], options: RegularizeOptions = {}): RegularizeResult {
  const policy = options.duplicates ?? 'mean';
  assertMonotonic(points);
  const { merged, duplicatesMerged } = mergeDuplicates(points, policy);
  const finite = merged.filter((p) => Number.isFinite(p.value));
  const nonFiniteDropped = merged.length - finite.length;
  if (finite.length < 2) {
    throw new SeriesError(`need at least 2 points with finite values, got ${finite.length}`);
  }
  // A NaN row is a missing value at a known time: its timestamp still shows the spacing, so the
  // step comes from every row (dropping them first made 3 rows at 300 s with a NaN middle 600 s).
  const stepSec = options.stepSec ?? inferStepSec(merged);
  if (!(stepSec > 0) || !Number.isFinite(stepSec)) {
    throw new SeriesError(`step must be a positive number of seconds, got ${stepSec}`);
  }
  const first = finite[0] as Point;
  const last = finite[finite.length - 1] as Point;
  const startSec = first.tSec;
  const n = Math.round((last.tSec - startSec) / stepSec) + 1;
  const maxPoints = options.maxPoints ?? Number.POSITIVE_INFINITY;
  if (n > maxPoints) {
    throw new SeriesError(
      `${isoOf(startSec)} to ${isoOf(last.tSec)} at the inferred step of ${stepSec} s is ${n.toLocaleString('en-US')} grid points; at most ${maxPoints.toLocaleString('en-US')} are accepted (check for a stray timestamp, or resample to a coarser step)`,
    );
  }
  const values = new Float64Array(n).fill(Number.NaN);
  let offGridPoints = 0;
  for (const p of finite) {
    const exact = (p.tSec - startSec) / stepSec;
    const i = Math.round(exact);
    if (Math.abs(exact - i) > 1e-9) offGridPoints++;
    // Two points snapping to one grid slot: keep the later one, as a re-published period would.
    values[i] = p.value;
  }
  const runs = interpolateGaps(values);
  const filled = runs.reduce((sum, r) => sum + r.steps, 0);
  const longest = runs.reduce((max, r) => Math.max(max, r.steps), 0);
  const maxGap = options.maxGapSteps ?? Number.POSITIVE_INFINITY;
  if (longest > maxGap) {
    throw new SeriesError(`a gap of ${longest} missing steps exceeds the limit of ${maxGap} steps`);
  }
  return {
    series: { startSec, stepSec, values },
    report: {
      inputPoints: points.length,
      duplicatesMerged,
      nonFiniteDropped,
      gapPointsFilled: filled,
      longestGapSteps: longest,
      filledRuns: runs,
      offGridPoints,
    },
  };
}

function assertMonotonic(points: readonly Point[]): void {
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1] as Point;
    const cur = points[i] as Point;
    if (!Number.isFinite(cur.tSec)) throw new SeriesError(`point ${i + 1} has an invalid timestamp`, i);
    if (cur.tSec < prev.tSec) {
      throw new SeriesError(
        `timestamps go backwards at point ${i + 1}: ${isoOf(cur.tSec)} comes after ${isoOf(prev.tSec)}; sort the input by time`,
        i,
      );
    }
  }
}

function mergeDuplicates(
  points: readonly Point[],
  policy: DuplicatePolicy,
): { merged: Point[]; duplicatesMerged: number } {
  const merged: Point[] = [];
  let duplicatesMerged = 0;
  let i = 0;
  while (i < points.length) {
    const head = points[i] as Point;
    let j = i + 1;
    while (j < points.length && (points[j] as Point).tSec === head.tSec) j++;
    if (j - i === 1) {
      merged.push(head);
    } else {
      if (policy === 'reject') {
        throw new SeriesError(`duplicate timestamp ${isoOf(head.tSec)} at point ${i + 2}`, i + 1);
      }
      duplicatesMerged += j - i - 1;
      const group = points.slice(i, j).filter((p) => Number.isFinite(p.value));
      if (group.length === 0) merged.push(head);
      else if (policy === 'last') merged.push(group[group.length - 1] as Point);
      else merged.push({ tSec: head.tSec, value: group.reduce((s, p) => s + p.value, 0) / group.length });
    }
    i = j;
  }
  return { merged, duplicatesMerged };
}

/** Fills NaN runs in place by linear interpolation; the ends are always set by construction. */
function interpolateGaps(values: Float64Array): FilledRun[] {
  const runs: FilledRun[] = [];
  let lastKnown = 0;
  for (let i = 1; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    const gap = i - lastKnown - 1;
    if (gap > 0) {
      const a = values[lastKnown] as number;
      const b = values[i] as number;
      for (let k = 1; k <= gap; k++) values[lastKnown + k] = a + ((b - a) * k) / (gap + 1);
      runs.push({ fromIndex: lastKnown + 1, steps: gap });
    }
    lastKnown = i;
  }
  return runs;
}

function isoOf(tSec: number): string {
  return new Date(tSec * 1000).toISOString();
}
