import { medianOf } from './robust-stats';

/** Most values between a guess and the median that {@link medianNear} collects before giving up. */
export const NEAR_CAPACITY = 16;

/**
 * Exactly {@link medianOf}`(a, len, a)`, fast when `guess` lies close to the median (for example the
 * same quantity from a fit one day earlier): one counting pass finds on which side of the guess
 * the median ranks lie, a second collects the few values between the guess and those ranks in
 * `near` (length {@link NEAR_CAPACITY}). Falls back to quickselect when the guess is not finite,
 * a value is NaN, or more than {@link NEAR_CAPACITY} values lie in between. Reorders `a` only
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
  const upper = len >> 1;
  const lower = len % 2 === 0 ? upper - 1 : upper;
  let lo: number;
  let hi: number;
  if (below <= lower) {
    // Both ranks among the values >= guess: the smallest `upper - below + 1` of them, ascending.
    const r = upper - below + 1;
    if (r > NEAR_CAPACITY) return medianOf(a, len, a);
    collect(a, len, guess, r, near, false);
    lo = near[lower - below] as number;
    hi = near[r - 1] as number;
  } else if (below > upper) {
    // Both ranks among the values < guess: the largest `below - lower` of them, descending.
    const r = below - lower;
    if (r > NEAR_CAPACITY) return medianOf(a, len, a);
    collect(a, len, guess, r, near, true);
    lo = near[r - 1] as number;
    hi = near[below - 1 - upper] as number;
  } else {
    // Even length split exactly at the guess: the largest value below it and the smallest above.
    collect(a, len, guess, 1, near, true);
    lo = near[0] as number;
    collect(a, len, guess, 1, near, false);
    hi = near[0] as number;
  }
  return lower === upper ? hi : (lo + hi) / 2;
}

/**
 * Fills `near[0..r)` with the `r` values closest to `guess` on one side, nearest last: below
 * (`v < guess`, sorted descending) or at-or-above (`v >= guess`, sorted ascending).
 */
function collect(
  a: Float64Array,
  len: number,
  guess: number,
  r: number,
  near: Float64Array,
  below: boolean,
): void {
  let filled = 0;
  for (let i = 0; i < len; i++) {
    const v = a[i] as number;
    if (below ? !(v < guess) : v < guess) continue;
    // Keep the r values nearest the guess, ordered from nearest: ascending above, descending below.
    if (filled === r && !(below ? v > (near[r - 1] as number) : v < (near[r - 1] as number))) continue;
    let j = filled === r ? r - 1 : filled++;
    while (j > 0 && (below ? v > (near[j - 1] as number) : v < (near[j - 1] as number))) {
      near[j] = near[j - 1] as number;
      j--;
    }
    near[j] = v;
  }
}
