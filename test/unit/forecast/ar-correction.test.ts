import { describe, expect, it } from 'vitest';
import { addArCorrection, estimateAr1, MAX_PHI } from '../../../lambdas/core/forecast/ar-correction';
import { robustSeasonalAr, robustSeasonalModel } from '../../../lambdas/core/forecast/candidates';
import { seasonalNaiveDaily, seasonalNaiveDailyAr } from '../../../lambdas/core/forecast/seasonal-naive';
import { DAY, dailySine, rng, STEP, seriesOf } from './helpers';

/** An AR(1) path r_t = φ r_{t−1} + ε_t with uniform noise, deterministic. */
function arPath(phi: number, n: number, seed: number): Float64Array {
  const noise = rng(seed);
  const r = new Float64Array(n);
  for (let t = 1; t < n; t++) r[t] = phi * (r[t - 1] as number) + (noise() - 0.5);
  return r;
}

describe('estimateAr1', () => {
  it.each([
    { phi: 0.3, tolerance: 0.05 },
    { phi: 0.8, tolerance: 0.03 },
    { phi: 0.95, tolerance: 0.02 },
  ])('recovers φ = $phi from a long AR(1) path', ({ phi, tolerance }) => {
    expect(Math.abs(estimateAr1(arPath(phi, 20_000, 11)) - phi)).toBeLessThan(tolerance);
  });

  it.each([
    {
      series: 'alternating signs (φ < 0)',
      r: Float64Array.from({ length: 50 }, (_, t) => (t % 2 ? 1 : -1)),
      want: 0,
    },
    { series: 'a random walk (φ ≥ 1)', r: Float64Array.from({ length: 50 }, (_, t) => t + 1), want: MAX_PHI },
    { series: 'all zeros', r: new Float64Array(50), want: 0 },
    { series: 'too few residuals', r: Float64Array.of(1, 0.9, 0.8), want: 0 },
  ])('clamps or disables on $series', ({ r, want }) => {
    expect(estimateAr1(r)).toBe(want);
  });
});

describe('addArCorrection', () => {
  it('adds last · φ^(h+1) to each step', () => {
    const out = Float64Array.of(10, 10, 10, 10);

    addArCorrection(out, 8, 0.5);

    expect(Array.from(out)).toEqual([14, 12, 11, 10.5]);
  });
});

describe('AR-corrected models', () => {
  it('robust-seasonal-ar starts near the current departure and decays at φ^h to the profile', () => {
    // A sine plus an AR(0.9) departure: the model must estimate φ ≈ 0.9 from its own residuals.
    const departure = arPath(0.9, 14 * DAY, 5);
    const history = seriesOf(14, (i) => dailySine(i) + 20 * (departure[i] as number));
    history.values[history.values.length - 1] = (history.values.at(-1) ?? 0) + 30;

    const plain = robustSeasonalModel.point(history.values, STEP, DAY);
    const ar = robustSeasonalAr.point(history.values, STEP, DAY);

    const gap = (h: number) => (ar[h] as number) - (plain[h] as number);
    expect(gap(0)).toBeGreaterThan(20);
    for (const h of [1, 5, 10]) expect(gap(h) / gap(h - 1)).toBeCloseTo(gap(1) / gap(0), 9);
    expect(gap(1) / gap(0)).toBeGreaterThan(0.8);
    expect(gap(1) / gap(0)).toBeLessThan(0.97);
    expect(Math.abs(gap(DAY - 1))).toBeLessThan(0.01);
  });

  it('seasonal-naive-daily-ar equals seasonal naive on an exactly repeating day', () => {
    const history = seriesOf(5, dailySine);

    expect(seasonalNaiveDailyAr.point(history.values, STEP, DAY)).toEqual(
      seasonalNaiveDaily.point(history.values, STEP, DAY),
    );
  });

  it('seasonal-naive-daily-ar carries a sustained departure from yesterday', () => {
    const history = seriesOf(5, (i) => dailySine(i) + (i >= 4 * DAY ? 40 : 0));
    const n = history.values.length;

    const point = seasonalNaiveDailyAr.point(history.values, STEP, 12);

    // Today sits 40 above yesterday all day: φ clamps near 1, so the next hour stays about 40 up.
    for (const [h, v] of point.entries()) expect(v - dailySine(n + h)).toBeGreaterThan(35);
  });
});
