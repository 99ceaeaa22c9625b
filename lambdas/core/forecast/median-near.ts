import { medianOf } from './robust-stats';

/** Most values between a guess and the median that {@link medianNear} collects before giving up. */
export const NEAR_CAPACITY = 32;

/**
 * `robustSigmaAt` (robust-stats.ts) of values already sampled into `samples[0..m)` (at most `SIGMA_SAMPLE`):
 * the same figure, without a callback per value; with `guess`, its medians start from it.
 */
export function robustSigmaOfSamples(
  samples: Float64Array,
  m: number,
  scratch: Float64Array,
  guess?: SigmaGuess,
): number {
  if (guess === undefined) {
    for (let j = 0; j < m; j++) scratch[j] = samples[j] as number;
    const centre = medianOf(scratch, m, scratch);
    for (let j = 0; j < m; j++) scratch[j] = Math.abs((samples[j] as number) - centre);
    return 1.4826 * medianOf(scratch, m, scratch);
  }
  // Count the values below each guess while copying (a NaN makes the count -Infinity: fallback).
  let below = 0;
  for (let j = 0; j < m; j++) {
    const v = samples[j] as number;
    scratch[j] = v;
    if (v < guess.centre) below++;
    else if (!(v >= guess.centre)) below = Number.NEGATIVE_INFINITY;
  }
  const centre = medianCounted(scratch, m, guess.centre, below, guess.near);
  below = 0;
  for (let j = 0; j < m; j++) {
    const v = Math.abs((samples[j] as number) - centre);
    scratch[j] = v;
    if (v < guess.mad) below++;
    else if (!(v >= guess.mad)) below = Number.NEGATIVE_INFINITY;
  }
  const mad = medianCounted(scratch, m, guess.mad, below, guess.near);
  guess.centre = centre;
  guess.mad = mad;
  return 1.4826 * mad;
}

/**
 * The centre and median absolute deviation of an earlier, similar sample (NaN before the first):
 * guesses that let {@link medianNear} find the exact medians faster. Updated after each use.
 */
export interface SigmaGuess {
  centre: number;
  mad: number;
  /** Scratch for {@link medianNear}. */
  readonly near: Float64Array;
}

/**
 * Exactly {@link medianOf}`(a, len, a)`, fast when `guess` lies close to the median (for example the
 * same quantity from a fit one day earlier): one counting pass finds on which side of the guess
 * the median ranks lie, a second collects the few values between the guess and those ranks in
 * `near` (normally {@link NEAR_CAPACITY} long). Falls back to quickselect when the guess is not finite,
 * a value is NaN, or more than `near.length` values lie in between. Reorders `a` only
 * on the fallback.
 */
export function medianNear(a: Float64Array, len: number, guess: number, near: Float64Array): number {
  if (len === 0 || !Number.isFinite(guess)) return medianOf(a, len, a);
  let below = 0;
  for (let i = 0; i < len; i++) {
    const v = a[i] as number;
    if (v < guess) below++;
    else if (!(v >= guess)) return medianOf(a, len, a);
  }
  return medianCounted(a, len, guess, below, near);
}

/**
 * {@link medianNear} when the caller counted, while writing `a`, how many values are below the
 * guess (`below`; pass -1 when a value was NaN, which `v < guess` / `v >= guess` both reject):
 * saves the counting pass.
 */
export function medianCounted(
  a: Float64Array,
  len: number,
  guess: number,
  below: number,
  near: Float64Array,
): number {
  if (len === 0 || below < 0 || !Number.isFinite(guess)) return medianOf(a, len, a);
  const upper = len >> 1;
  const lower = len % 2 === 0 ? upper - 1 : upper;
  let lo: number;
  let hi: number;
  if (below <= lower) {
    // Both ranks among the values >= guess: the smallest `upper - below + 1` of them, ascending.
    const r = upper - below + 1;
    if (r > near.length) return medianOf(a, len, a);
    smallestAtOrAbove(a, len, guess, r, near);
    lo = near[lower - below] as number;
    hi = near[r - 1] as number;
  } else if (below > upper) {
    // Both ranks among the values < guess: the largest `below - lower` of them, descending.
    const r = below - lower;
    if (r > near.length) return medianOf(a, len, a);
    largestBelow(a, len, guess, r, near);
    lo = near[r - 1] as number;
    hi = near[below - 1 - upper] as number;
  } else {
    // Even length split exactly at the guess: the largest value below it and the smallest above.
    lo = Number.NEGATIVE_INFINITY;
    hi = Number.POSITIVE_INFINITY;
    for (let i = 0; i < len; i++) {
      const v = a[i] as number;
      if (v < guess) {
        if (v > lo) lo = v;
      } else if (v < hi) hi = v;
    }
  }
  return lower === upper ? hi : (lo + hi) / 2;
}

/** Fills `near[0..r)` with the `r` smallest values `>= guess`, ascending (there are at least `r`). */
function smallestAtOrAbove(a: Float64Array, len: number, guess: number, r: number, near: Float64Array): void {
  if (r <= 2) {
    // The common case (a good guess): the two nearest in registers, no buffer.
    let first = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    for (let i = 0; i < len; i++) {
      const v = a[i] as number;
      if (v < guess || !(v < second)) continue;
      if (v < first) {
        second = first;
        first = v;
      } else second = v;
    }
    near[0] = first;
    near[1] = second;
    return;
  }
  let filled = 0;
  let worst = Number.POSITIVE_INFINITY;
  for (let i = 0; i < len; i++) {
    const v = a[i] as number;
    if (v < guess || (filled === r && !(v < worst))) continue;
    let j = filled === r ? r - 1 : filled++;
    while (j > 0 && v < (near[j - 1] as number)) {
      near[j] = near[j - 1] as number;
      j--;
    }
    near[j] = v;
    if (filled === r) worst = near[r - 1] as number;
  }
}

/** Fills `near[0..r)` with the `r` largest values `< guess`, descending (there are at least `r`). */
function largestBelow(a: Float64Array, len: number, guess: number, r: number, near: Float64Array): void {
  if (r <= 2) {
    let first = Number.NEGATIVE_INFINITY;
    let second = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < len; i++) {
      const v = a[i] as number;
      if (!(v < guess) || !(v > second)) continue;
      if (v > first) {
        second = first;
        first = v;
      } else second = v;
    }
    near[0] = first;
    near[1] = second;
    return;
  }
  let filled = 0;
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < len; i++) {
    const v = a[i] as number;
    if (!(v < guess) || (filled === r && !(v > worst))) continue;
    let j = filled === r ? r - 1 : filled++;
    while (j > 0 && v > (near[j - 1] as number)) {
      near[j] = near[j - 1] as number;
      j--;
    }
    near[j] = v;
    if (filled === r) worst = near[r - 1] as number;
  }
}
