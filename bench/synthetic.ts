/**
 * Deterministic, realistic-looking metric series for the speed benchmark: a daily cycle whose
 * shape, amplitude and phase vary per series, a weekday/weekend effect, slow trend, multiplicative
 * noise, occasional spikes and, for some series, a level shift. Seeded, so every run is identical.
 */
import type { RegularSeries } from '../lambdas/core/series/types';

/** mulberry32: a tiny, fast, seedable PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 2015-01-01T00:00:00Z, a Thursday: where every synthetic series starts. */
const START_SEC = 1_420_070_400;

/** One synthetic series of `points` values at `stepSec`, determined entirely by `seed`. */
export function syntheticSeries(seed: number, points: number, stepSec = 300): RegularSeries {
  const rnd = seededRandom(seed);
  const day = 86_400 / stepSec;
  const base = 10 + 1000 * rnd();
  const amp = base * (0.2 + 0.8 * rnd());
  const phase = 2 * Math.PI * rnd();
  const harmonic = 0.5 * rnd();
  const weekend = 0.3 * rnd();
  const trendPerDay = base * 0.02 * (rnd() - 0.5);
  const noise = 0.02 + 0.15 * rnd();
  const shiftAt = rnd() < 0.1 ? Math.floor(points * (0.5 + 0.5 * rnd())) : points;
  const values = new Float64Array(points);
  // Days since the epoch are 2 and 3 modulo 7 on Saturdays and Sundays (1970-01-01 was a Thursday).
  const firstDay = Math.floor(START_SEC / 86_400);
  for (let i = 0; i < points; i++) {
    const x = (2 * Math.PI * i) / day + phase;
    const dayIdx = (firstDay + Math.floor(i / day)) % 7;
    const cycle = Math.sin(x) + harmonic * Math.sin(2 * x);
    let v = base + amp * cycle + (trendPerDay * i) / day;
    if (dayIdx === 2 || dayIdx === 3) v *= 1 - weekend;
    if (i >= shiftAt) v *= 0.3;
    v *= 1 + noise * (rnd() + rnd() + rnd() - 1.5);
    if (rnd() < 0.002) v *= 3;
    values[i] = Math.max(0, v);
  }
  return { startSec: START_SEC, stepSec, values };
}
