/**
 * Small robust-statistics helpers on typed arrays. These sort in a caller-provided scratch buffer
 * because they run inside per-series hot loops, where simple-statistics' copying `median` would
 * allocate a new array for every call.
 */

/** Median of `values[0..len)`; sorts that prefix of `scratch` (which may be `values` itself). */
export function medianOf(values: ArrayLike<number>, len: number, scratch: Float64Array): number {
  if (len === 0) return Number.NaN;
  if (scratch !== values) for (let i = 0; i < len; i++) scratch[i] = values[i] as number;
  const s = scratch.subarray(0, len).sort();
  const mid = len >> 1;
  return len % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** 1.4826 × median absolute deviation: a standard-deviation estimate that ignores spikes. */
export function robustSigma(values: Float64Array, scratch: Float64Array): number {
  const n = values.length;
  const centre = medianOf(values, n, scratch);
  for (let i = 0; i < n; i++) scratch[i] = Math.abs((values[i] as number) - centre);
  return 1.4826 * medianOf(scratch, n, scratch);
}

/** Circular moving average of half-width `half`; smooths a seasonal profile across its wrap-around. */
export function circularSmooth(profile: Float64Array, half: number): Float64Array {
  if (half <= 0) return profile;
  const n = profile.length;
  const out = new Float64Array(n);
  const width = 2 * half + 1;
  let sum = 0;
  for (let k = -half; k <= half; k++) sum += profile[(k + n * width) % n] as number;
  for (let i = 0; i < n; i++) {
    out[i] = sum / width;
    sum += (profile[(i + half + 1) % n] as number) - (profile[(i - half + n * width) % n] as number);
  }
  return out;
}
