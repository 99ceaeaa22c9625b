import { median } from 'simple-statistics';
import { medianCounted } from './median-near';
import { stepsPerDay } from './options';
import type { SeriesCalendar } from './point-forecaster';
import { circularSmooth, medianOf } from './robust-stats';
import { dayTypeProfile, deseasonalise, runningMedian, weekendStartSlot } from './seasonal-profiles';
import { MAX_WINDOW_DAYS, type SeriesCache, workspaceFor } from './series-cache';

/**
 * Half-width of the moving average over the daily profile: one hour either side. A per-slot median
 * of at most 14 days is noisy on count series; averaging neighbouring slots over ±1 h cut the
 * median MASE of the 15 non-reference NAB traces from 0.500 to 0.468 (1 h) and 0.759 to 0.729
 * (24 h) for a crest flattened by about 1 % of the amplitude (±10 min, ±30 min and ±90 min tried).
 */
export const PROFILE_SMOOTH_SEC = 3600;

/** A robust level + trend + daily (+ weekday/weekend) decomposition of a history, phases aligned to its end. */
export interface Decomposition {
  /** Steps per day (`m`). */
  readonly day: number;
  /** Deseasonalised level over the last day (median). */
  readonly level: number;
  /** Theil–Sen slope of the daily deseasonalised medians, per day. */
  readonly slopePerDay: number;
  /** Daily profile: `daily[h % day]` is the offset for forecast step `h`. */
  readonly daily: Float64Array;
  /**
   * Day-type (weekday/weekend) residual profile laid out over the week, `weekly[h % (7 * day)]`,
   * or undefined when under 8 days of history.
   */
  readonly weekly: Float64Array | undefined;
  /**
   * The day-type profile with each day type smoothed on its own daily circle: no ramp across the
   * weekend's edges. What the AR(1) correction measures its residuals against (see
   * `robust-seasonal.ts`), so that the ramp is not taken for news; undefined with `weekly`.
   */
  readonly weeklyByType: Float64Array | undefined;
  /** Robust sigma of the remainder, for spike and shift detection. */
  readonly sigma: number;
  /** Seasonal offset (daily + day-type) at history index `t` (negative `t - n` phases work too). */
  seasonalAt(t: number): number;
  /** Writes `seasonalAt(t0 + i)` into `out[i]` for every `i`: one modulo per call, not per step. */
  fillSeasonal(out: Float64Array, t0: number): void;
  /** {@link fillSeasonal} with {@link weeklyByType} in place of `weekly`. */
  fillSeasonalByType(out: Float64Array, t0: number): void;
  /** Number of history points the decomposition was computed for. */
  readonly n: number;
}

/**
 * Decomposes the last {@link MAX_WINDOW_DAYS} days into level, damped-trend inputs, a daily
 * profile from per-slot medians across days (one bad hour moves a median of 14 days not at all)
 * and, with more than a week, a day-type residual profile from residuals Huber-clipped around
 * their day type's centre, its weekend placed by `calendar`. Needs at least one full day.
 */
export function decompose(
  history: Float64Array,
  stepSec: number,
  weeklyWanted: boolean,
  calendar: SeriesCalendar,
  cache?: SeriesCache,
): Decomposition {
  const day = stepsPerDay(stepSec);
  const week = 7 * day;
  const n = history.length;
  const days = Math.min(MAX_WINDOW_DAYS, Math.floor(n / day));
  const start = n - days * day;
  const window = history.subarray(start);
  const work = workspaceFor(cache, day);
  const scratch = work.scratch;
  const blockLevel = blockMedians(history, start, days, day, scratch, cache);
  const useWeekly = weeklyWanted && days >= 8;
  // A day-type model must leave weekday/weekend level differences in the residual, so its
  // reference level is a running median over a week of day medians rather than each day's own.
  const refLevel = useWeekly ? runningMedian(blockLevel, 3) : blockLevel;
  const offset = cache !== undefined && cache.day === day ? cache.offsetOf(history) : -1;
  const shared = offset >= 0 ? cache : undefined;
  const raw = work.raw;
  for (let s = 0, phase = (offset + start) % day; s < day; s++) {
    if (shared === undefined) {
      for (let k = 0; k < days; k++) scratch[k] = (window[k * day + s] as number) - (refLevel[k] as number);
      raw[s] = medianOf(scratch, days, scratch);
      continue;
    }
    // The previous fit's median of this slot, else the neighbouring slot's: both lie close.
    const previous = shared.slotMedianGuess[phase] as number;
    const guess = Number.isNaN(previous) && s > 0 ? (raw[s - 1] as number) : previous;
    let below = 0;
    for (let k = 0; k < days; k++) {
      const v = (window[k * day + s] as number) - (refLevel[k] as number);
      scratch[k] = v;
      if (v < guess) below++;
      else if (!(v >= guess)) below = Number.NEGATIVE_INFINITY;
    }
    const median = medianCounted(scratch, days, guess, below, shared.near);
    raw[s] = median;
    shared.slotMedianGuess[phase] = median;
    if (++phase === day) phase = 0;
  }
  // History beyond two weeks (MAX_WINDOW_DAYS) adds little to the profiles and costs time.
  // The raw profile lives in the workspace: the result must be a copy even when nothing is smoothed.
  const smooth = Math.round(PROFILE_SMOOTH_SEC / stepSec);
  const daily = smooth > 0 ? circularSmooth(raw, smooth) : raw.slice();
  // The window starts a whole number of days before the end, so window index i has daily phase i % day.
  const weekOffset = (((start - n) % week) + week) % week;
  // Weekly slot 0 is history index n: the local time of that index places the weekend.
  const slot0LocalSec = calendar.startSec + n * stepSec + calendar.weekendUtcOffsetSec;
  const weeklyByType = useWeekly ? new Float64Array(week) : undefined;
  const weekly = useWeekly
    ? dayTypeProfile(
        window,
        day,
        weekOffset,
        weekendStartSlot(slot0LocalSec, stepSec, week),
        refLevel,
        daily,
        work,
        shared?.dayTypeSigmaGuess,
        weeklyByType,
      )
    : undefined;
  const guesses =
    shared === undefined
      ? undefined
      : {
          byStart: shared.dayMedianGuess,
          start: offset + start,
          near: shared.near,
          sigma: shared.remainderSigmaGuess,
        };
  const { dayMedians, sigma } = deseasonalise(window, day, daily, weekly, weekOffset, work, guesses);
  return {
    day,
    level: dayMedians[days - 1] as number,
    slopePerDay: theilSen(dayMedians),
    daily,
    weekly,
    weeklyByType,
    sigma,
    // Phases of the profiles are relative to the end of the history: index n has phase 0.
    seasonalAt: (t: number) => {
      const base = daily[(((t - n) % day) + day) % day] as number;
      return weekly === undefined ? base : base + (weekly[(((t - n) % week) + week) % week] as number);
    },
    fillSeasonal: (out: Float64Array, t0: number) => fillProfiles(out, t0 - n, daily, weekly),
    fillSeasonalByType: (out: Float64Array, t0: number) => fillProfiles(out, t0 - n, daily, weeklyByType),
    n,
  };
}

/** Writes the daily plus (when given) weekly profile at phases `phase0 + i` into `out[i]`. */
export function fillProfiles(
  out: Float64Array,
  phase0: number,
  daily: Float64Array,
  weekly: Float64Array | undefined,
): void {
  const day = daily.length;
  let s = ((phase0 % day) + day) % day;
  for (let i = 0; i < out.length; i++) {
    out[i] = daily[s] as number;
    if (++s === day) s = 0;
  }
  if (weekly === undefined) return;
  const week = weekly.length;
  let w = ((phase0 % week) + week) % week;
  for (let i = 0; i < out.length; i++) {
    out[i] = (out[i] as number) + (weekly[w] as number);
    if (++w === week) w = 0;
  }
}

/** Median of each day block of the window, looked up in the series cache when the history is a view of it. */
function blockMedians(
  history: Float64Array,
  start: number,
  days: number,
  day: number,
  scratch: Float64Array,
  cache: SeriesCache | undefined,
): Float64Array {
  const out = new Float64Array(days);
  const offset = cache !== undefined && cache.day === day ? cache.offsetOf(history) : -1;
  for (let k = 0, b = start; k < days; k++, b += day) {
    out[k] =
      cache !== undefined && offset >= 0
        ? cache.blockMedian(offset + b)
        : medianOf(history.subarray(b, b + day), day, scratch);
  }
  return out;
}

/** Median of pairwise slopes: a trend estimate that one outlying day cannot swing. */
function theilSen(y: Float64Array): number {
  const slopes: number[] = [];
  for (let i = 0; i < y.length; i++) {
    for (let j = i + 1; j < y.length; j++) slopes.push(((y[j] as number) - (y[i] as number)) / (j - i));
  }
  return slopes.length === 0 ? 0 : median(slopes);
}
