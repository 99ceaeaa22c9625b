/**
 * Small robust-statistics helpers on typed arrays. They work in a caller-provided scratch buffer
 * because they run inside per-series hot loops, where simple-statistics' copying, sorting
 * `median` would allocate and sort a new array for every call.
 */

/**
 * Median of `values[0..len)`, reordering that prefix of `scratch` (which may be `values` itself).
 * Quickselect, O(len): a full sort of every 4,032-point window dominated the run time.
 */
export function medianOf(values: ArrayLike<number>, len: number, scratch: Float64Array): number {
  if (len === 0) return Number.NaN;
  if (scratch !== values) for (let i = 0; i < len; i++) scratch[i] = values[i] as number;
  const mid = len >> 1;
  const upper = selectKth(scratch, len, mid);
  if (len % 2 === 1) return upper;
  // After selection every value below index `mid` is <= the upper median: take their maximum.
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < mid; i++) if ((scratch[i] as number) > lower) lower = scratch[i] as number;
  return (lower + upper) / 2;
}

/** Reorders `a[0..len)` so `a[k]` holds the k-th smallest value (Hoare quickselect) and returns it. */
export function selectKth(a: Float64Array, len: number, k: number): number {
  let lo = 0;
  let hi = len - 1;
  while (hi > lo) {
    if (hi - lo < 16) {
      insertionSort(a, lo, hi);
      break;
    }
    // Median-of-three pivot keeps sorted or periodic inputs away from the quadratic case.
    const m = (lo + hi) >> 1;
    const pivot = median3(a[lo] as number, a[m] as number, a[hi] as number);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
}

function insertionSort(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i] as number;
    let j = i - 1;
    while (j >= lo && (a[j] as number) > v) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = v;
  }
}

function median3(x: number, y: number, z: number): number {
  return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
}

/** Longest sample robustSigma looks at; a strided sample estimates a scale as well as all points. */
export const SIGMA_SAMPLE = 512;

/**
 * 1.4826 × median absolute deviation: a standard-deviation estimate that ignores spikes, computed
 * on an evenly strided sample of at most {@link SIGMA_SAMPLE} values to stay cheap on long windows.
 */
export function robustSigma(values: Float64Array, scratch: Float64Array): number {
  return robustSigmaAt(values.length, (i) => values[i] as number, scratch);
}

/**
 * {@link robustSigma} of the virtual series `at(0), …, at(len − 1)`: only the sampled values are
 * computed, so a caller need not materialise a residual array to learn its scale.
 */
export function robustSigmaAt(len: number, at: (i: number) => number, scratch: Float64Array): number {
  const stride = Math.max(1, Math.ceil(len / SIGMA_SAMPLE));
  let m = 0;
  for (let i = 0; i < len; i += stride) scratch[m++] = at(i);
  const centre = medianOf(scratch, m, scratch);
  m = 0;
  for (let i = 0; i < len; i += stride) scratch[m++] = Math.abs(at(i) - centre);
  return 1.4826 * medianOf(scratch, m, scratch);
}

/**
 * Linear-interpolation quantile (type 7) of `a[0..len)`, reordering it in place: quickselect
 * instead of a sort, because the upper bound takes one per forecast step.
 */
export function quantileInPlace(a: Float64Array, len: number, p: number): number {
  if (len === 0) return Number.NaN;
  const pos = (len - 1) * p;
  const lo = Math.floor(pos);
  const below = selectKth(a, len, lo);
  if (lo + 1 >= len) return below;
  let above = Number.POSITIVE_INFINITY;
  for (let i = lo + 1; i < len; i++) if ((a[i] as number) < above) above = a[i] as number;
  return below + (above - below) * (pos - lo);
}

/** Circular moving average of half-width `half`; smooths a seasonal profile across its wrap-around. */
export function circularSmooth(profile: Float64Array, half: number): Float64Array {
  if (half <= 0) return profile;
  const n = profile.length;
  const out = new Float64Array(n);
  const width = 2 * half + 1;
  let sum = 0;
  for (let k = -half; k <= half; k++) sum += profile[(k + n * width) % n] as number;
  // Entering and leaving indices advance by one per step: wrap them by comparison, not modulo.
  let enter = (half + 1) % n;
  let leave = (n - (half % n)) % n;
  for (let i = 0; i < n; i++) {
    out[i] = sum / width;
    sum += (profile[enter] as number) - (profile[leave] as number);
    if (++enter === n) enter = 0;
    if (++leave === n) leave = 0;
  }
  return out;
}
