import { medianNear, NEAR_CAPACITY, type SigmaGuess } from './median-near';
import type { FitMemo } from './point-forecaster';
import { SIGMA_SAMPLE } from './robust-stats';

/** Most days a decomposition looks at (two weeks). */
export const MAX_WINDOW_DAYS = 14;

/** {@link FitMemo} key under which a {@link SeriesCache} is shared with every fit of one series. */
export const SERIES_CACHE_KEY = 'series';

/**
 * Work shared by every fit of one series in one selection: the validation origins and the final
 * fit all see prefixes of the same values, so a day block's median, or whether a prefix holds a
 * negative value, is computed once and looked up by absolute position afterwards. Results are
 * exactly those of computing them per fit (same arithmetic on the same values, same order).
 * One cache per call; never module-level state.
 */
export class SeriesCache {
  private readonly blockMedians = new Map<number, number>();
  /**
   * Latest fit's deseasonalised median per day block (by absolute start) and daily-profile median
   * per absolute phase: guesses for {@link medianNear}, which returns exact medians whatever the guess.
   */
  readonly dayMedianGuess = new Map<number, number>();
  readonly slotMedianGuess: Float64Array;
  /** Scratch for {@link medianNear}. */
  readonly near = new Float64Array(NEAR_CAPACITY);
  /**
   * Previous fit's robust-sigma medians: of the day-type profile's residuals, and of the remainder.
   * Both are residuals around a median, so before the first fit their centre is guessed as 0.
   */
  readonly dayTypeSigmaGuess: SigmaGuess = { centre: 0, mad: Number.NaN, near: this.near };
  readonly remainderSigmaGuess: SigmaGuess = { centre: 0, mad: Number.NaN, near: this.near };
  private readonly scratch: Float64Array;
  /** Index of the first negative value, or the length when there is none. */
  private readonly firstNegative: number;

  /**
   * @param values the full history; fits must pass views (`subarray`) of it
   * @param day steps per day: the length of a block
   */
  constructor(
    readonly values: Float64Array,
    readonly day: number,
  ) {
    this.scratch = new Float64Array(day);
    this.slotMedianGuess = new Float64Array(day).fill(Number.NaN);
    this.workspace = newWorkspace(day);
    let i = 0;
    while (i < values.length && !((values[i] as number) < 0)) i++;
    this.firstNegative = i;
  }

  /** Scratch arrays reused by every fit of this series (see {@link workspaceFor}). */
  readonly workspace: FitWorkspace;

  private ahead = new Float64Array(0);
  private residualBuffer = new Float64Array(0);

  /**
   * A scratch array of `len` values for in-sample residuals (the AR(1) corrections' window),
   * reused by every fit: contents undefined, valid until the next call.
   */
  residuals(len: number): Float64Array {
    if (this.residualBuffer.length < len) this.residualBuffer = new Float64Array(len);
    return this.residualBuffer.subarray(0, len);
  }

  /**
   * `day · (1 − e^(−h/day))` for every h in `[0, horizon)`: how many steps of slope a damped trend
   * adds h steps ahead (see `robust-seasonal.ts`), the same for every fit of the series.
   */
  dampedAhead(horizon: number): Float64Array {
    if (this.ahead.length < horizon) {
      const { day } = this;
      this.ahead = new Float64Array(horizon);
      for (let h = 0; h < horizon; h++) this.ahead[h] = day * (1 - Math.exp(-h / day));
    }
    return this.ahead;
  }

  /** Offset of `view` inside the cached values when it is a view of them, else -1. */
  offsetOf(view: Float64Array): number {
    if (view.buffer !== this.values.buffer) return -1;
    const off = (view.byteOffset - this.values.byteOffset) / Float64Array.BYTES_PER_ELEMENT;
    return Number.isInteger(off) && off >= 0 && off + view.length <= this.values.length ? off : -1;
  }

  /** Median of `values[start, start + day)`, computed once per block. */
  blockMedian(start: number): number {
    const cached = this.blockMedians.get(start);
    if (cached !== undefined) return cached;
    const { day, scratch } = this;
    scratch.set(this.values.subarray(start, start + day));
    // The day before's median is a close guess for level series; medianNear is exact regardless.
    const m = medianNear(scratch, day, this.blockMedians.get(start - day) ?? Number.NaN, this.near);
    this.blockMedians.set(start, m);
    return m;
  }

  /** Whether the view (of these values) has no negative value; undefined when it is not a prefix of them. */
  nonNegative(view: Float64Array): boolean | undefined {
    return this.offsetOf(view) === 0 ? view.length <= this.firstNegative : undefined;
  }
}

/** The {@link SeriesCache} in a memo, if any. */
export function seriesCacheOf(memo: FitMemo | undefined): SeriesCache | undefined {
  const cache = memo?.get(SERIES_CACHE_KEY);
  return cache instanceof SeriesCache ? cache : undefined;
}

/**
 * Scratch arrays of one decomposition, never part of its result: a general scratch (a day, a
 * slot's days or a robust-sigma sample), the sampled residuals, the raw daily profile, the weekly
 * slot sums and the day-type profile's sums and counts (weekdays, then the weekend) before
 * smoothing. Their contents are undefined on entry.
 */
export interface FitWorkspace {
  readonly scratch: Float64Array;
  readonly samples: Float64Array;
  readonly raw: Float64Array;
  readonly weekSum: Float64Array;
  readonly typeSum: Float64Array;
  readonly typeCount: Float64Array;
}

function newWorkspace(day: number): FitWorkspace {
  return {
    scratch: new Float64Array(Math.max(day, MAX_WINDOW_DAYS, SIGMA_SAMPLE)),
    samples: new Float64Array(SIGMA_SAMPLE),
    raw: new Float64Array(day),
    weekSum: new Float64Array(7 * day),
    typeSum: new Float64Array(2 * day),
    typeCount: new Float64Array(2 * day),
  };
}

/** The cache's workspace when it is for this day length, else a fresh one. */
export function workspaceFor(cache: SeriesCache | undefined, day: number): FitWorkspace {
  return cache !== undefined && cache.day === day ? cache.workspace : newWorkspace(day);
}
