import { median } from 'simple-statistics';
import type { Decomposition } from '../../../lambdas/core/forecast/decompose';
import { stepsPerDay } from '../../../lambdas/core/forecast/options';
import type { SeriesCalendar } from '../../../lambdas/core/forecast/point-forecaster';
import {
  circularSmooth,
  medianOf,
  robustSigmaAt,
  SIGMA_SAMPLE,
} from '../../../lambdas/core/forecast/robust-stats';
// The smoothing width is a tuning constant, not part of what the optimisation must reproduce.
import {
  DAY_TYPE_SMOOTH_SEC,
  WEEKEND_SPLIT_SMOOTH_SEC,
} from '../../../lambdas/core/forecast/seasonal-profiles';

/** History beyond two weeks adds little to daily and weekly profiles and costs time. */
const MAX_WINDOW_DAYS = 14;
/**
 * Residuals further than this many robust sigmas from their day type's centre are clipped (Huber)
 * before they shape the day-type profile.
 */
const HUBER_K = 2.5;
/**
 * Half-width of the moving average over the daily profile: one hour either side. A per-slot median
 * of at most 14 days is noisy on count series; averaging neighbouring slots over ±1 h cut the
 * median MASE of the 15 non-reference NAB traces from 0.500 to 0.468 (1 h) and 0.759 to 0.729
 * (24 h) for a crest flattened by about 1 % of the amplitude (±10 min, ±30 min and ±90 min tried).
 */
const PROFILE_SMOOTH_SEC = 3600;

/**
 * The straightforward decomposition as it stood before the shared-fit optimisation, kept verbatim
 * as the reference the optimised `decompose` must match bit for bit; its weekly profile replaced by
 * the day-type profile, with each point's weekday taken from a `Date`.
 *
 * Decomposes the last {@link MAX_WINDOW_DAYS} days into level, damped-trend inputs, a daily
 * profile from per-slot medians across days (one bad hour moves a median of 14 days not at all)
 * and, with more than a week, a day-type residual profile from residuals Huber-clipped around their day type's centre. Needs at
 * least one full day.
 */
export function decomposeReference(
  history: Float64Array,
  stepSec: number,
  weeklyWanted: boolean,
  calendar: SeriesCalendar,
): Decomposition {
  const day = stepsPerDay(stepSec);
  const week = 7 * day;
  const n = history.length;
  const days = Math.min(MAX_WINDOW_DAYS, Math.floor(n / day));
  const start = n - days * day;
  const len = days * day;
  const window = history.subarray(start);
  const scratch = new Float64Array(Math.max(len, days));
  const blockLevel = new Float64Array(days);
  for (let k = 0; k < days; k++)
    blockLevel[k] = medianOf(window.subarray(k * day, (k + 1) * day), day, scratch);
  const useWeekly = weeklyWanted && days >= 8;
  // A weekly model must leave weekday/weekend level differences in the residual, so its
  // reference level is a running median over a week of day medians rather than each day's own.
  const refLevel = useWeekly ? runningMedian(blockLevel, 3) : blockLevel;
  const raw = new Float64Array(day);
  for (let s = 0; s < day; s++) {
    for (let k = 0; k < days; k++) scratch[k] = (window[k * day + s] as number) - (refLevel[k] as number);
    raw[s] = medianOf(scratch, days, scratch);
  }
  const daily = circularSmooth(raw, Math.round(PROFILE_SMOOTH_SEC / stepSec));
  // The window starts a whole number of days before the end, so window index i has daily phase i % day.
  const weekOffset = (((start - n) % week) + week) % week;
  const isWeekend = (i: number) => {
    const weekday = new Date(
      (calendar.startSec + (start + i) * stepSec + calendar.weekendUtcOffsetSec) * 1000,
    ).getUTCDay();
    return weekday === 0 || weekday === 6;
  };
  const profiles = useWeekly
    ? dayTypeProfile(window, day, weekOffset, refLevel, daily, scratch, isWeekend)
    : undefined;
  const weekly = profiles?.weekly;
  const weeklyByType = profiles?.byType;
  const deseason = new Float64Array(len);
  if (weekly === undefined) {
    for (let i = 0, s = 0; i < len; i++) {
      deseason[i] = (window[i] as number) - (daily[s] as number);
      if (++s === day) s = 0;
    }
  } else {
    for (let i = 0, s = 0, w = weekOffset; i < len; i++) {
      deseason[i] = (window[i] as number) - (daily[s] as number) - (weekly[w] as number);
      if (++s === day) s = 0;
      if (++w === week) w = 0;
    }
  }
  const fill = (out: Float64Array, t0: number, profile: Float64Array | undefined) => {
    for (let i = 0; i < out.length; i++) {
      const t = t0 + i;
      out[i] =
        (daily[(((t - n) % day) + day) % day] as number) +
        (profile === undefined ? 0 : (profile[(((t - n) % week) + week) % week] as number));
    }
  };
  const dayMedians = new Float64Array(days);
  for (let k = 0; k < days; k++)
    dayMedians[k] = medianOf(deseason.subarray(k * day, (k + 1) * day), day, scratch);
  return {
    day,
    level: dayMedians[days - 1] as number,
    slopePerDay: theilSen(dayMedians),
    daily,
    weekly,
    weeklyByType,
    // Remainder = deseasonalised value minus its day's median, computed only where sampled.
    sigma: robustSigmaAt(
      len,
      (i) => (deseason[i] as number) - (dayMedians[(i / day) | 0] as number),
      scratch,
    ),
    // Phases of the profiles are relative to the end of the history: index n has phase 0.
    seasonalAt: (t: number) => {
      const base = daily[(((t - n) % day) + day) % day] as number;
      return weekly === undefined ? base : base + (weekly[(((t - n) % week) + week) % week] as number);
    },
    fillSeasonal: (out: Float64Array, t0: number) => fill(out, t0, weekly),
    fillSeasonalByType: (out: Float64Array, t0: number) => fill(out, t0, weeklyByType),
    n,
  };
}

function dayTypeProfile(
  window: Float64Array,
  day: number,
  weekOffset: number,
  refLevel: Float64Array,
  daily: Float64Array,
  scratch: Float64Array,
  isWeekend: (windowIndex: number) => boolean,
): { weekly: Float64Array; byType: Float64Array } {
  const len = window.length;
  const week = 7 * day;
  // Residual at window index i (daily phase i % day): computed on the fly, never stored.
  const residAt = (i: number) =>
    (window[i] as number) - (refLevel[(i / day) | 0] as number) - (daily[i % day] as number);
  // Each weekly slot's day type, from the window's first week.
  const weekend = new Uint8Array(week);
  for (let i = 0; i < week; i++) weekend[(weekOffset + i) % week] = isWeekend(i) ? 1 : 0;
  const weekendAt = (i: number) => weekend[(weekOffset + i) % week] === 1;
  const { weekday: centreWeekday, weekend: centreWeekend } = centres(len, residAt, weekendAt, day);
  const centreAt = (i: number) => (weekendAt(i) ? centreWeekend : centreWeekday);
  const sigma = robustSigmaAt(len, (i) => residAt(i) - centreAt(i), scratch);
  // No robust sigma (a flat or quantised series): the daily profile's range instead.
  const clip = HUBER_K * (sigma > 0 ? sigma : Math.max(...daily) - Math.min(...daily));
  const sum = new Float64Array(week);
  const count = new Int32Array(week);
  for (let k = 0, i = 0, w = weekOffset; k < refLevel.length; k++) {
    const level = refLevel[k] as number;
    for (let s = 0; s < day; s++, i++) {
      const r = (window[i] as number) - level - (daily[s] as number) - centreAt(i);
      // biome-ignore lint/complexity/useMathMinMax: hottest loop of the fit; the ternary measured faster.
      sum[w] = (sum[w] as number) + (r > clip ? clip : r < -clip ? -clip : r);
      count[w] = (count[w] as number) + 1;
      if (++w === week) w = 0;
    }
  }
  // Pool each weekly slot into its day type's daily slot, in the order of the window's first week.
  const typeSum = new Float64Array(2 * day);
  const typeCount = new Float64Array(2 * day);
  for (let i = 0; i < week; i++) {
    const w = (weekOffset + i) % week;
    const k = (weekend[w] as number) * day + (w % day);
    typeSum[k] = (typeSum[k] as number) + (sum[w] as number);
    typeCount[k] = (typeCount[k] as number) + (count[w] as number);
  }
  const profile = new Float64Array(week);
  for (let w = 0; w < week; w++) {
    const k = (weekend[w] as number) * day + (w % day);
    const centre = weekend[w] === 1 ? centreWeekend : centreWeekday;
    profile[w] =
      (typeCount[k] as number) > 0 ? (typeSum[k] as number) / (typeCount[k] as number) + centre : 0;
  }
  const half = Math.round((day * DAY_TYPE_SMOOTH_SEC) / 86_400);
  // Each day type's daily shape smoothed on its own daily circle, then laid out over the week.
  const typeProfile = new Float64Array(2 * day);
  for (let w = 0; w < week; w++) typeProfile[(weekend[w] as number) * day + (w % day)] = profile[w] as number;
  const smoothWeekday = circularSmooth(typeProfile.slice(0, day), half);
  const smoothWeekend = circularSmooth(typeProfile.slice(day), half);
  const byType = new Float64Array(week);
  for (let w = 0; w < week; w++)
    byType[w] = ((weekend[w] === 1 ? smoothWeekend : smoothWeekday)[w % day] as number) ?? 0;
  // Saturday − Sunday: per complete weekend (from the weekend's first weekly slot on, two days
  // inside the window), the difference of Saturday's and Sunday's residuals per slot, smoothed;
  // kept where every weekend agrees in sign, at the smallest magnitude.
  let from = 0;
  while (!(weekend[from] === 1 && weekend[(from + week - 1) % week] === 0) && from < week) from++;
  const perWeekend: Float64Array[] = [];
  for (let i0 = (from - weekOffset + week) % week; i0 + 2 * day <= len; i0 += week) {
    // The daily profile cancels (Saturday's and Sunday's points share their daily phase).
    const levelled = (i: number) => (window[i] as number) - (refLevel[(i / day) | 0] as number);
    const d = Float64Array.from({ length: day }, (_, e) => levelled(i0 + e) - levelled(i0 + day + e));
    perWeekend.push(circularSmooth(d, Math.round((day * WEEKEND_SPLIT_SMOOTH_SEC) / 86_400)));
  }
  if (perWeekend.length >= 2) {
    const split = Float64Array.from({ length: day }, (_, e) => {
      const xs = perWeekend.map((d) => d[e] as number);
      if (xs.every((x) => x > 0)) return Math.min(...xs);
      if (xs.every((x) => x < 0)) return Math.max(...xs);
      return 0;
    });
    for (let w = 0; w < week; w++) {
      const e = (w - from + week) % week;
      const d = e < day ? (split[e] as number) / 2 : e < 2 * day ? -(split[e - day] as number) / 2 : 0;
      profile[w] = (profile[w] as number) + d;
      byType[w] = (byType[w] as number) + d;
    }
  }
  return { weekly: circularSmooth(profile, half), byType };
}

/**
 * Day-type centres from the residuals the robust sigma samples: the weekdays' median; for the
 * weekend, among the weekends with at least half a weekend of samples (a weekend being a run of
 * consecutive weekend indices), the median nearest the weekdays', else all weekend samples' median.
 */
function centres(
  len: number,
  residAt: (i: number) => number,
  weekendAt: (i: number) => boolean,
  day: number,
): { weekday: number; weekend: number } {
  const stride = Math.max(1, Math.ceil(len / SIGMA_SAMPLE));
  const weekdays: number[] = [];
  const weekends: number[][] = [];
  let previous = -1;
  for (let i = 0; i < len; i += stride) {
    if (!weekendAt(i)) {
      weekdays.push(residAt(i));
      continue;
    }
    // A new weekend when any index since the previous weekend sample was a weekday.
    let gap = previous < 0;
    for (let j = previous + 1; j < i && !gap; j++) gap = !weekendAt(j);
    if (gap) weekends.push([]);
    weekends[weekends.length - 1]?.push(residAt(i));
    previous = i;
  }
  const med = (xs: number[]) => (xs.length > 0 ? medianOf(xs, xs.length, new Float64Array(xs.length)) : 0);
  const weekday = med(weekdays);
  let weekend = med(weekends.flat());
  let nearest = Number.POSITIVE_INFINITY;
  for (const one of weekends) {
    if (2 * one.length < Math.ceil((2 * day) / stride)) continue;
    const m = med(one);
    if (Math.abs(m - weekday) < nearest) {
      nearest = Math.abs(m - weekday);
      weekend = m;
    }
  }
  return { weekday, weekend };
}

/** Median of each run of `2 · half + 1` values, centred on k, or the first or last such run near the ends. */
function runningMedian(values: Float64Array, half: number): Float64Array {
  const out = new Float64Array(values.length);
  const width = Math.min(values.length, 2 * half + 1);
  for (let k = 0; k < values.length; k++) {
    const centred = k - half;
    const lo = centred < 0 ? 0 : centred + width > values.length ? values.length - width : centred;
    out[k] = median(Array.from(values.subarray(lo, lo + width)));
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
