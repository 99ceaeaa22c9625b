/**
 * The pieces of a robust decomposition that touch every point of the window (see `decompose.ts`):
 * reference levels, the day-type (weekday/weekend) residual profile, and the day medians and
 * robust sigma of the deseasonalised series. They work in caller-provided scratch because they run
 * four times per series in the selector's hot path.
 */
import { medianCounted, robustSigmaOfSamples, type SigmaGuess } from './median-near';
import { circularSmooth, medianOf, SIGMA_SAMPLE } from './robust-stats';
import type { FitWorkspace } from './series-cache';

/**
 * Residuals further than this many robust sigmas from their day type's centre are clipped (Huber)
 * before they shape the day-type profile.
 */
const HUBER_K = 2.5;
/** Most weekends a window of two weeks touches, whatever day it starts on. */
const MAX_WEEKENDS = 4;
/**
 * Half-width of the moving average over the day-type profile: two hours either side. The profile
 * pools each 5-minute slot over the 10 weekdays and over the 4 weekend days of two weeks, so it
 * carries less noise than the weekly profile it replaced (two samples per weekly slot, smoothed
 * ±4 h) and keeps more of each day's shape. On the 21 traces (docs/forecasting-experiments.md,
 * session 13), the weekend placed on UTC: six reference series 1 h 0.600 → 0.588, 24 h
 * 0.779 → 0.756; the 15 others 1 h 0.473 / 0.481 → 0.470 / 0.475 and 24 h 0.734 / 0.816 →
 * 0.731 / 0.793 (median / mean); no trace worse by 25 %. ±30 min, ±1 h and ±4 h were tried.
 * With the clip centred per day type (see {@link dayTypeProfile}): six 0.588 / 0.755, others
 * unchanged to three decimals.
 */
export const DAY_TYPE_SMOOTH_SEC = 2 * 3600;

const DAY_SEC = 86_400;
const WEEK_SEC = 7 * DAY_SEC;
/** Local Saturday 00:00 is two days into each epoch week: 1970-01-01 was a Thursday. */
const SATURDAY_SEC = 2 * DAY_SEC;

/**
 * The first weekly slot (`0 ≤ slot < week`) of the local weekend, for a history whose weekly slot
 * 0 falls at local time `slot0LocalSec` (epoch seconds plus the UTC offset): the first slot at or
 * after local Saturday 00:00, so a point is a weekend point when its own local time falls on a
 * Saturday or Sunday. Modulo arithmetic on epoch seconds; no `Date`.
 */
export function weekendStartSlot(slot0LocalSec: number, stepSec: number, week: number): number {
  const sinceSaturday = (((slot0LocalSec - SATURDAY_SEC) % WEEK_SEC) + WEEK_SEC) % WEEK_SEC;
  const back = Math.floor(sinceSaturday / stepSec) % week;
  return back === 0 ? 0 : week - back;
}

/**
 * Day-type residual profile: residuals against the reference level and the daily profile, each
 * taken relative to its day type's centre (see {@link dayTypeCentres}), Huber-clipped at
 * {@link HUBER_K} robust sigmas of those, and averaged per daily slot over the weekdays and over
 * the weekend days; the centre added back, laid out over the week (the weekend is the `2 · day`
 * weekly slots from `weekendFrom`, circular) and smoothed over {@link DAY_TYPE_SMOOTH_SEC} either
 * side. Clipping around each day type's own centre keeps a weekend level many noise sigmas from the
 * weekdays' whole (clipped around a common centre, a weekend 30 lower with noise σ 1 was learnt as
 * 5.9 lower). One pass over the window into per-slot sums, then per-slot work only.
 */
export function dayTypeProfile(
  window: Float64Array,
  day: number,
  weekOffset: number,
  weekendFrom: number,
  refLevel: Float64Array,
  daily: Float64Array,
  work: FitWorkspace,
  sigmaGuess?: SigmaGuess,
  byType?: Float64Array,
): Float64Array {
  const { scratch, samples } = work;
  const len = window.length;
  const week = 7 * day;
  const weekendSlots = 2 * day;
  const centres = dayTypeCentres(window, day, weekOffset, weekendFrom, refLevel, daily, work);
  const { weekday, weekend, sampled } = centres;
  const clip = HUBER_K * clipScale(robustSigmaOfSamples(samples, sampled, scratch, sigmaGuess), daily);
  const sum = work.weekSum.fill(0);
  // e counts the slots since the weekend began: window index i sits at weekly slot (weekOffset + i) mod week.
  for (
    let k = 0, i = 0, w = weekOffset, e = (weekOffset - weekendFrom + week) % week;
    k < refLevel.length;
    k++
  ) {
    const level = refLevel[k] as number;
    for (let s = 0; s < day; s++, i++) {
      const r = (window[i] as number) - level - (daily[s] as number) - (e < weekendSlots ? weekend : weekday);
      // biome-ignore lint/complexity/useMathMinMax: hottest loop of the fit; the ternary measured faster.
      sum[w] = (sum[w] as number) + (r > clip ? clip : r < -clip ? -clip : r);
      if (++w === week) w = 0;
      if (++e === week) e = 0;
    }
  }
  // Weekly slot w holds the window indices d, d + week, … with d = (w − weekOffset) mod week, and
  // has daily phase w mod day (weekOffset is whole days). Pool them per day type and daily slot:
  // index s for weekdays, day + s for the weekend.
  const { typeSum, typeCount } = work;
  typeSum.fill(0);
  typeCount.fill(0);
  const fullWeeks = Math.floor(len / week);
  const rest = len - fullWeeks * week;
  for (let d = 0, w = weekOffset, s = 0, e = (weekOffset - weekendFrom + week) % week; d < week; d++) {
    const k = e < weekendSlots ? day + s : s;
    typeSum[k] = (typeSum[k] as number) + (sum[w] as number);
    typeCount[k] = (typeCount[k] as number) + fullWeeks + (d < rest ? 1 : 0);
    if (++w === week) w = 0;
    if (++s === day) s = 0;
    if (++e === week) e = 0;
  }
  // Each day type's daily shape: the mean of its slot, its centre added back.
  const weekdayShape = new Float64Array(day);
  const weekendShape = new Float64Array(day);
  for (let s = 0; s < day; s++) {
    const weekdays = typeCount[s] as number;
    const weekends = typeCount[day + s] as number;
    weekdayShape[s] = weekdays > 0 ? (typeSum[s] as number) / weekdays + weekday : 0;
    weekendShape[s] = weekends > 0 ? (typeSum[day + s] as number) / weekends + weekend : 0;
  }
  layOut(sum, weekdayShape, weekendShape, weekendFrom);
  const half = Math.round((day * DAY_TYPE_SMOOTH_SEC) / DAY_SEC);
  // The same shapes each smoothed on its own daily circle: without the ramp that smoothing over
  // the week puts across the weekend's edges (the AR(1) start and the level-shift test use it).
  if (byType !== undefined)
    layOut(byType, circularSmooth(weekdayShape, half), circularSmooth(weekendShape, half), weekendFrom);
  const split = saturdaySundaySplit(window, day, weekOffset, weekendFrom, refLevel);
  if (split !== undefined) {
    // Only the weekend's slots move: Saturday's (e < day) up by half, Sunday's down by half.
    for (let e = 0, w = weekendFrom % week; e < weekendSlots; e++) {
      const d = e < day ? (split[e] as number) / 2 : -(split[e - day] as number) / 2;
      sum[w] = (sum[w] as number) + d;
      if (byType !== undefined) byType[w] = (byType[w] as number) + d;
      if (++w === week) w = 0;
    }
  }
  return half > 0 ? circularSmooth(sum, half) : sum.slice();
}

/**
 * Half-width of the moving average over the Saturday − Sunday difference: four hours either side,
 * as the weekly profile before the day-type one was smoothed (one sample a slot per weekend).
 */
export const WEEKEND_SPLIT_SMOOTH_SEC = 4 * 3600;

/**
 * The Saturday − Sunday residual difference per local slot of the weekend day (index e: Saturday's
 * slot e against Sunday's), smoothed over {@link WEEKEND_SPLIT_SMOOTH_SEC}, learnt only as far as
 * every complete weekend of the window shows it: the same sign in each, the smallest magnitude; 0
 * where they disagree; undefined with fewer than two complete weekends. The day-type profile pools
 * Saturday and Sunday, so without it a load whose Saturday and Sunday differ was forecast near their
 * blend (weekdays 100, Saturday 90, Sunday 60: Saturday 14 low); a difference seen on one weekend
 * only, such as a level step in the middle of one, is not learnt as weekly. The profile adds half
 * of it to Saturday and takes half from Sunday. Six reference series 0.5764 / 0.7514 → 0.5759 /
 * 0.7511 (1 h / 24 h); the 15 others 1 h 0.4701 / 0.4713 → 0.4706 / 0.4708, 24 h 0.7195 / 0.7863
 * → 0.7195 / 0.7859 (median / mean); nyc_taxi 24 h 1.170 → 1.111.
 */
export function saturdaySundaySplit(
  window: Float64Array,
  day: number,
  weekOffset: number,
  weekendFrom: number,
  refLevel: Float64Array,
): Float64Array | undefined {
  const week = 7 * day;
  const len = window.length;
  // The first window index at the weekend's first slot; complete weekends start every week from it.
  const first = (((weekendFrom - weekOffset) % week) + week) % week;
  const smooth = Math.round((day * WEEKEND_SPLIT_SMOOTH_SEC) / DAY_SEC);
  let combined: Float64Array | undefined;
  let weekends = 0;
  for (let i0 = first; i0 + 2 * day <= len; i0 += week) {
    const d = new Float64Array(day);
    // Saturday's index i and Sunday's i + day share the daily phase, so the daily profile cancels
    // out of their difference: only the window and the reference level of each one's day remain.
    for (let e = 0, i = i0, k = (i0 / day) | 0, s = i0 % day; e < day; e++, i++) {
      d[e] =
        (window[i] as number) -
        (refLevel[k] as number) -
        ((window[i + day] as number) - (refLevel[k + 1] as number));
      if (++s === day) {
        s = 0;
        k++;
      }
    }
    const ds = smooth > 0 ? circularSmooth(d, smooth) : d;
    weekends++;
    if (combined === undefined) {
      combined = ds;
      continue;
    }
    for (let e = 0; e < day; e++) {
      const x = combined[e] as number;
      const y = ds[e] as number;
      combined[e] = x > 0 && y > 0 ? Math.min(x, y) : x < 0 && y < 0 ? Math.max(x, y) : 0;
    }
  }
  return weekends >= 2 ? combined : undefined;
}

/**
 * Writes the weekday and weekend daily shapes into `out`, laid out over the week: the weekend is
 * the `2 · day` weekly slots from `weekendFrom` (circular), weekly slot w at daily phase w mod day.
 */
function layOut(out: Float64Array, weekday: Float64Array, weekend: Float64Array, weekendFrom: number): void {
  const day = weekday.length;
  const week = out.length;
  for (let w = 0, s = 0, e = (week - weekendFrom) % week; w < week; w++) {
    out[w] = (e < 2 * day ? weekend : weekday)[s] as number;
    if (++s === day) s = 0;
    if (++e === week) e = 0;
  }
}

/**
 * The scale the day-type profile's residuals are clipped at (in units of {@link HUBER_K}): their
 * robust sigma, or, when it is 0 (more than half the sampled residuals sit exactly on their day
 * type's centre: a flat or quantised series), the range of the daily profile, the series' own
 * daily variation. With no clip at all there, one bad hour at 1,000,000 on a Saturday of a series
 * flat at 100 was averaged whole into the weekend (next Saturday forecast at 122,537); a weekly
 * pattern as large as the daily one, such as a nightly job that skips weekends, still passes.
 */
export function clipScale(sigma: number, daily: Float64Array): number {
  if (sigma > 0) return sigma;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < daily.length; s++) {
    const v = daily[s] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > lo ? hi - lo : 0;
}

/** Each day type's centre, and the sampled residuals around it (in `work.samples[0, sampled)`). */
interface DayTypeCentres {
  readonly weekday: number;
  readonly weekend: number;
  readonly sampled: number;
}

/**
 * The centres the day-type profile clips around, from the residuals the robust sigma samples (an
 * even stride over the window): the weekdays' median, and for the weekend the median of one
 * weekend's samples, for each weekend of the window with at least half a weekend's samples, the
 * one nearest the weekdays' (all weekend samples' median when none has). A weekend level must
 * repeat to be learnt whole: the 15 other traces include one whose level stepped up for one
 * weekend and the Monday after, which a pooled weekend median learnt as weekly (24 h MASE
 * 1.033 → 1.145). Leaves the samples minus their centre in `work.samples`.
 */
function dayTypeCentres(
  window: Float64Array,
  day: number,
  weekOffset: number,
  weekendFrom: number,
  refLevel: Float64Array,
  daily: Float64Array,
  work: FitWorkspace,
): DayTypeCentres {
  const { scratch, samples } = work;
  const len = window.length;
  const week = 7 * day;
  const weekendSlots = 2 * day;
  const stride = Math.max(1, Math.ceil(len / SIGMA_SAMPLE));
  // Weekday samples from the front, weekend ones from the back (so each weekend's are contiguous);
  // u / week numbers the weekends of the window.
  const top = samples.length;
  const perWeekend = [0, 0, 0, 0];
  let a = 0;
  let b = 0;
  for (let i = 0; i < len; i += stride) {
    const r = (window[i] as number) - (refLevel[(i / day) | 0] as number) - (daily[i % day] as number);
    const u = weekOffset + i - weekendFrom + week;
    if (u % week < weekendSlots) {
      samples[top - ++b] = r;
      const q = Math.floor(u / week);
      perWeekend[q] = (perWeekend[q] ?? 0) + 1;
    } else samples[a++] = r;
  }
  const weekday = a > 0 ? medianOf(samples, a, scratch) : 0;
  let weekend = b > 0 ? medianOf(samples.subarray(top - b), b, scratch) : 0;
  const full = Math.ceil(weekendSlots / stride);
  let nearest = Number.POSITIVE_INFINITY;
  // The earliest weekend's samples sit at the top.
  for (let q = 0, end = top; q < MAX_WEEKENDS; q++) {
    const count = perWeekend[q] ?? 0;
    if (2 * count >= full) {
      const median = medianOf(samples.subarray(end - count, end), count, scratch);
      if (Math.abs(median - weekday) < nearest) {
        nearest = Math.abs(median - weekday);
        weekend = median;
      }
    }
    end -= count;
  }
  for (let j = 0; j < a; j++) samples[j] = (samples[j] as number) - weekday;
  for (let j = 0; j < b; j++) samples[a + j] = (samples[top - b + j] as number) - weekend;
  return { weekday, weekend, sampled: a + b };
}

/**
 * Running median of `values` over `2 · half + 1` consecutive values, centred where it can be: near
 * the ends the window keeps its length and shifts inwards (shrinking only when there are fewer
 * values). With `half` 3 over day medians every window is a whole week with its two weekend days,
 * so a weekend at the start or end of the history is not half taken into the reference level its
 * residuals are measured from (shrunk windows of 4 days, two of them weekend days, did: a +30
 * weekend starting the window was learnt as +15 at the end of a history ending on local Saturday
 * 00:00, the forecast the weekend's capacity is planned on). Six reference series 1 h MASE
 * 0.588 → 0.576, 24 h 0.755 → 0.751; the 15 others unchanged (1 h 0.470 / 0.475, 24 h 0.731 /
 * 0.794, median / mean).
 */
export function runningMedian(values: Float64Array, half: number): Float64Array {
  const out = new Float64Array(values.length);
  const scratch = new Float64Array(2 * half + 1);
  const width = Math.min(values.length, 2 * half + 1);
  for (let k = 0; k < values.length; k++) {
    const lo = Math.min(Math.max(0, k - half), values.length - width);
    const hi = lo + width - 1;
    out[k] = medianOf(values.subarray(lo, hi + 1), hi - lo + 1, scratch);
  }
  return out;
}

/** Earlier fits' day medians by absolute day start: guesses that make exact medians cheaper. */
export interface DayMedianGuesses {
  readonly byStart: Map<number, number>;
  /** Absolute index of the window's first value. */
  readonly start: number;
  /** Scratch for {@link medianNear}. */
  readonly near: Float64Array;
  /** The remainder's robust-sigma medians of the previous fit. */
  readonly sigma: SigmaGuess;
}

/** Day medians of a deseasonalised window and the robust sigma of its remainder. */
export interface Deseasonalised {
  /** Median of the deseasonalised values of each day of the window. */
  readonly dayMedians: Float64Array;
  /** Robust sigma of the deseasonalised values minus their day's median. */
  readonly sigma: number;
}

/**
 * Deseasonalises the window (minus the daily and, when given, the day-type profile laid out over
 * the week) one day at a time in `scratch` (length at least `day`), taking each day's median and
 * keeping only the values the robust sigma samples: the same figures as materialising the
 * deseasonalised series and calling `robustSigmaAt` on it, without the series.
 */
export function deseasonalise(
  window: Float64Array,
  day: number,
  daily: Float64Array,
  weekly: Float64Array | undefined,
  weekOffset: number,
  work: FitWorkspace,
  guesses?: DayMedianGuesses,
): Deseasonalised {
  const { scratch, samples } = work;
  const len = window.length;
  const days = len / day;
  const week = 7 * day;
  const stride = Math.max(1, Math.ceil(len / SIGMA_SAMPLE));
  const dayMedians = new Float64Array(days);
  let m = 0;
  let next = 0;
  for (let k = 0, i = 0, w = weekOffset; k < days; k++) {
    const base = k * day;
    const key = (guesses?.start ?? 0) + base;
    // The previous fit's median of this day, else the day before's: deseasonalised days move little.
    const guess = guesses?.byStart.get(key) ?? (k > 0 ? (dayMedians[k - 1] as number) : Number.NaN);
    let below = 0;
    if (weekly === undefined) {
      for (let s = 0; s < day; s++, i++) {
        const v = (window[i] as number) - (daily[s] as number);
        scratch[s] = v;
        if (v < guess) below++;
        else if (!(v >= guess)) below = Number.NEGATIVE_INFINITY;
      }
    } else {
      for (let s = 0; s < day; s++, i++) {
        const v = (window[i] as number) - (daily[s] as number) - (weekly[w] as number);
        scratch[s] = v;
        if (v < guess) below++;
        else if (!(v >= guess)) below = Number.NEGATIVE_INFINITY;
        if (++w === week) w = 0;
      }
    }
    const first = m;
    for (; next < base + day; next += stride) samples[m++] = scratch[next - base] as number;
    // A NaN value or guess makes the count -Infinity: medianCounted then falls back to quickselect.
    const median =
      guesses === undefined
        ? medianOf(scratch, day, scratch)
        : medianCounted(scratch, day, guess, below, guesses.near);
    guesses?.byStart.set(key, median);
    dayMedians[k] = median;
    for (let j = first; j < m; j++) samples[j] = (samples[j] as number) - median;
  }
  return { dayMedians, sigma: robustSigmaOfSamples(samples, m, scratch, guesses?.sigma) };
}
