import { describe, expect, it } from 'vitest';
import { linearTrend } from '../../../lambdas/core/forecast/linear-trend';
import { selectForecast } from '../../../lambdas/core/forecast/select';
import { MAX_TRUSTED_MASE, trustVerdict } from '../../../lambdas/core/forecast/trust-gate';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import { DAY, dailySine, rng, seriesOf } from './helpers';

const score = (mase: number, origins = 3) => ({ model: 'robust-seasonal', mase, smape: 10, origins });

describe('trustVerdict', () => {
  it.each([
    {
      case: 'under 24 h of history',
      sec: 18 * 3600,
      s: score(0.2),
      trusted: false,
      reason: /only 18\.0 h of history; need at least 24 h/,
    },
    {
      // The hours are printed to 0.1 h: 23.75 h reads 23.8, not 23.7.
      case: 'a quarter hour under 24 h of history',
      sec: 23.75 * 3600,
      s: score(0.2),
      trusted: false,
      reason: /only 23\.8 h of history; need at least 24 h/,
    },
    {
      // "Less history than this (24 h) … never trusted": exactly 24 h is not less.
      case: 'exactly 24 h of history',
      sec: 24 * 3600,
      s: score(0.2),
      trusted: true,
      reason: /MASE 0\.20 over 3 origin\(s\), within the limit/,
    },
    {
      case: 'no validated model',
      sec: 30 * 3600,
      s: undefined,
      trusted: false,
      reason: /30\.0 h of history leaves no day to validate/,
    },
    {
      case: 'a score without any validation origin',
      sec: 30 * 3600,
      s: score(Number.NaN, 0),
      trusted: false,
      reason: /30\.0 h of history leaves no day to validate/,
    },
    {
      case: 'poor skill',
      sec: 14 * 86_400,
      s: score(1.37),
      trusted: false,
      reason: /MASE 1\.37 over 3 origin\(s\), above the limit of 1\.00/,
    },
    {
      case: 'skill at the limit',
      sec: 14 * 86_400,
      s: score(MAX_TRUSTED_MASE),
      trusted: true,
      reason: /within the limit/,
    },
    {
      case: 'good skill',
      sec: 14 * 86_400,
      s: score(0.61),
      trusted: true,
      reason: /robust-seasonal had validation MASE 0\.61/,
    },
    {
      case: 'no origin with a MASE (all-zero history before each)',
      sec: 4 * 86_400,
      s: { ...score(Number.NaN, 2), maseUndefinedOrigins: 2 },
      trusted: false,
      reason:
        /robust-seasonal has no validation MASE: the history before each of its 2 validation day\(s\) is all zero/,
    },
    {
      case: 'a MASE that is not a number',
      sec: 5 * 86_400,
      s: score(Number.POSITIVE_INFINITY, 3),
      trusted: false,
      reason: /MASE Infinity over 3 origin\(s\), not a finite number/,
    },
    {
      case: 'skill on the origins that have a MASE',
      sec: 5 * 86_400,
      s: { ...score(0.42, 3), maseUndefinedOrigins: 1 },
      trusted: true,
      reason:
        /MASE 0\.42 over 2 origin\(s\) \(not counting 1 after an all-zero history: no MASE there\), within the limit/,
    },
  ])('judges $case', ({ sec, s, trusted, reason }) => {
    const verdict = trustVerdict(sec, s);

    expect(verdict.trusted).toBe(trusted);
    expect(verdict.reason).toMatch(reason);
  });
});

describe('selectForecast trust', () => {
  it('does not trust a forecast from 12 h of history, yet still forecasts', () => {
    const result = selectForecast(seriesOf(0.5, dailySine), { horizonSteps: 12 });

    expect(result.trust.trusted).toBe(false);
    expect(result.trust.reason).toMatch(/only 12\.0 h/);
    expect(result.model).toBe('naive');
    expect(result.point).toHaveLength(12);
  });

  it('does not trust a model that did worse than repeating yesterday', () => {
    const noise = rng(11);
    const history = seriesOf(14, (i) => dailySine(i) + 5 * noise());

    // A straight line through a daily cycle misses by about the cycle's amplitude.
    const result = selectForecast(history, { horizonSteps: DAY }, [linearTrend]);

    expect(result.trust.trusted).toBe(false);
    expect(result.trust.reason).toMatch(
      /model linear-trend had validation MASE \d+\.\d\d over 3 origin\(s\), above the limit of 1\.00/,
    );
  });

  it('trusts a good model on two weeks of a stable daily cycle', () => {
    const result = selectForecast(seriesOf(14, dailySine), { horizonSteps: DAY });

    expect(result.trust).toEqual({
      trusted: true,
      reason: expect.stringMatching(/MASE 0\.00 over 3 origin/),
    });
  });
});

/** Three days of zero, then a day with a daily cycle around 50, in `unit`s (5-minute steps). */
function zerosThenLoad(unit: number): RegularSeries {
  const values = Float64Array.from({ length: 4 * DAY }, (_, i) =>
    i < 3 * DAY ? 0 : (50 + 30 * Math.sin((2 * Math.PI * i) / DAY)) * unit,
  );
  return { startSec: 0, stepSec: 300, values };
}

describe('selectForecast trust verdict after an all-zero history', () => {
  // An all-zero training window has no MASE scale; a fallback scale of 1 made the "MASE" the raw
  // error in the series' own unit, so the verdict judged the unit, not the forecast.
  it('does not change when the same load is written in thousands instead of units', () => {
    // Act
    const units = selectForecast(zerosThenLoad(1), { horizonSteps: 12 });
    const thousands = selectForecast(zerosThenLoad(0.001), { horizonSteps: 12 });

    // Assert
    expect(units.trust.trusted).toBe(false);
    expect(thousands.trust.trusted).toBe(units.trust.trusted);
    expect(units.trust.reason).toMatch(/has no validation MASE/);
    expect(thousands.trust.reason).toBe(units.trust.reason);
  });

  it('scores the origins after the load began alone, the same in any unit', () => {
    // Arrange: two days of zero, then two days of load: the newer origin trains on a day of load,
    // the older on zeros only.
    const series = (unit: number) => {
      const values = Float64Array.from({ length: 4 * DAY }, (_, i) =>
        i < 2 * DAY ? 0 : (50 + 30 * Math.sin((2 * Math.PI * i) / DAY)) * unit,
      );
      return { startSec: 0, stepSec: 300, values };
    };

    // Act
    const units = selectForecast(series(1), { horizonSteps: 12 });
    const thousands = selectForecast(series(0.001), { horizonSteps: 12 });

    // Assert
    const chosen = units.scores.find((s) => s.model === units.model);
    expect(chosen).toMatchObject({ origins: 2, maseUndefinedOrigins: 1 });
    expect(Number.isFinite(chosen?.mase)).toBe(true);
    expect(thousands.model).toBe(units.model);
    expect(thousands.scores.map((s) => s.mase)).toEqual(units.scores.map((s) => expect.closeTo(s.mase, 9)));
    expect(thousands.trust).toEqual(units.trust);
    expect(units.trust.reason).toMatch(
      /over 1 origin\(s\) \(not counting 1 after an all-zero history: no MASE there\)/,
    );
  });
});
