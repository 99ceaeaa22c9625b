import { describe, expect, it } from 'vitest';
import { backtestSummary, describeEqualCostRatio, renderBacktestReport } from '../../cli/backtest-report';
import type { BacktestResult } from '../../lambdas/core/simulation/types';
import { syntheticResult, syntheticRun } from './fixtures/synthetic-backtest';

describe('renderBacktestReport', () => {
  it('prints n/a for accuracy with nothing to score and for a ratio the frontier cannot reach', () => {
    // Arrange
    const run = syntheticRun();
    const result = {
      ...run.result,
      equalCostRatio: null,
      equalCost: { kind: 'costlier' as const },
      forecast: { ...run.result.forecast, mase24h: Number.NaN, smape24h: Number.NaN, origins24h: 0 },
    };

    // Act
    const text = renderBacktestReport({ ...run, result });

    // Assert
    expect(text).toMatch(/24 h\s+0\s+n\/a\s+n\/a/);
    expect(text).toContain('equal-cost ratio: n/a');
    expect(text).not.toContain('NaN');
  });
  it.each([
    { bound: 'block-max' as const, label: 'bound planned on (block-max) 95.0 %' },
    { bound: 'upper' as const, label: 'bound planned on (p90 upper) 95.0 %' },
  ])('labels the peak coverage of the upper series by the bound planned on ($bound)', ({ bound, label }) => {
    const run = syntheticRun();

    const text = renderBacktestReport({ ...run, settings: { ...run.settings, planningBound: bound } });

    expect(text).toContain(`: point forecast 70.0 %, ${label}; bias -5.0 %`);
    expect(text).not.toContain(', upper bound ');
  });
  it('prints MASE as undefined where the history has no seasonal variation, next to the sMAPE', () => {
    // Arrange: a perfectly periodic trace; every origin's MASE scale is 0.
    const run = syntheticRun();
    const forecast = {
      ...run.result.forecast,
      mase1h: Number.NaN,
      smape1h: 0,
      maseUndefinedOrigins: 70,
      mase24h: Number.NaN,
      smape24h: 0,
      maseUndefinedOrigins24h: 46,
    };
    const periodic = { ...run, result: { ...run.result, forecast } };

    // Act
    const text = renderBacktestReport(periodic);
    const json = JSON.parse(JSON.stringify(backtestSummary(periodic)));

    // Assert
    expect(text).toMatch(/1 h\s+70\s+n\/a \(no seasonal variation\)\s+0\.0 %/);
    expect(text).toMatch(/24 h\s+46\s+n\/a \(no seasonal variation\)\s+0\.0 %/);
    expect(json.forecast).toMatchObject({
      mase1h: null,
      smape1h: 0,
      maseUndefinedOrigins: 70,
      mase24h: null,
      maseUndefinedOrigins24h: 46,
    });
  });
  it('prints how many origins each accuracy row averages', () => {
    const text = renderBacktestReport(syntheticRun());

    expect(text).toContain('forecast accuracy (MASE and sMAPE over the same origins):');
    expect(text).toMatch(/horizon\s+origins\s+MASE\s+sMAPE/);
    expect(text).toMatch(/1 h\s+70\s+0\.500\s+8\.0 %/);
    expect(text).toMatch(/24 h\s+46\s+0\.900\s+12\.0 %/);
  });
});

describe('describeEqualCostRatio', () => {
  /** The synthetic result with predictive at `instanceHours` and the comparison given. */
  const withPredictive = (
    instanceHours: number,
    under: number,
    equalCost: BacktestResult['equalCost'],
  ): BacktestResult => {
    const result = syntheticResult();
    const predictive = { ...result.policies.predictive, instanceHours, underProvisionedFraction: under };
    const equalCostRatio = equalCost?.kind === 'ratio' ? equalCost.ratio : null;
    return { ...result, policies: { ...result.policies, predictive }, equalCostRatio, equalCost };
  };

  it.each([
    [0.42, 'the forecast beats buying the same capacity as reactive headroom'],
    [1.3, 'reactive headroom of the same cost does at least as well as the forecast'],
  ])('interprets %d', (ratio, verdict) => {
    expect(describeEqualCostRatio({ ...syntheticResult(), equalCostRatio: ratio })).toContain(verdict);
  });

  it.each([
    {
      kind: 'noBreaches' as const,
      hours: 500,
      text: 'equal-cost ratio: n/a (the reactive frontier reaches predictive + reactive\u2019s 500.0 instance-hours but is never under-provisioned there, so there is no share to compare with; predictive + reactive: 0.00 %)',
    },
    {
      kind: 'costlier' as const,
      hours: 3000,
      text: 'equal-cost ratio: n/a (the reactive frontier does not reach predictive + reactive\u2019s 3,000.0 instance-hours; its costliest point is 620.0)',
    },
    {
      kind: 'cheaper' as const,
      hours: 450,
      text: 'equal-cost ratio: n/a (predictive + reactive\u2019s 450.0 instance-hours are fewer than the reactive frontier\u2019s cheapest point, 500.0)',
    },
  ])('says why there is no ratio ($kind)', ({ kind, hours, text }) => {
    expect(describeEqualCostRatio(withPredictive(hours, 0, { kind }))).toBe(text);
  });

  it('names the reason from the frontier when the result does not carry the comparison', () => {
    const result = {
      ...withPredictive(500, 0, undefined),
      reactiveFrontier: [
        { targetFraction: 1, instanceHours: 500, underProvisionedFraction: 0 },
        { targetFraction: 0.8, instanceHours: 620, underProvisionedFraction: 0 },
      ],
    };

    expect(describeEqualCostRatio(result)).toContain(
      'reaches predictive + reactive\u2019s 500.0 instance-hours',
    );
  });
});

describe('backtestSummary', () => {
  it('turns unscored accuracy into null and keeps the settings used', () => {
    const run = syntheticRun();
    const result = { ...run.result, forecast: { ...run.result.forecast, peakCoverage: Number.NaN } };

    const json = JSON.parse(JSON.stringify(backtestSummary({ ...run, result })));

    expect(json.forecast.peakCoverage).toBeNull();
    expect(json.settings).toEqual({
      targetValue: 20,
      targetValueSource: '--target-value',
      warmupSec: 300,
      blockSec: 3600,
      planningBound: 'block-max',
      metricPeriodSec: 300,
      weekendUtcOffsetHours: 0,
    });
    expect(json.scoredFrom).toBe('2014-04-11T00:00:00Z');
    expect(json.forecasts).toEqual({ made: 72, trusted: 70 });
  });
});
