import { describe, expect, it } from 'vitest';
import { linearTrend } from '../../../lambdas/core/forecast/linear-trend';
import { selectForecast } from '../../../lambdas/core/forecast/select';
import { MAX_TRUSTED_MASE, trustVerdict } from '../../../lambdas/core/forecast/trust-gate';
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
      case: 'no validated model',
      sec: 30 * 3600,
      s: undefined,
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
