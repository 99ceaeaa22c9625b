import { describe, expect, it } from 'vitest';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import { compareAtEqualCost, equalCostOf, reactiveFrontier } from '../../../lambdas/core/simulation/frontier';
import { oracleCapacity, scoreCapacity } from '../../../lambdas/core/simulation/outcome';
import type { FrontierPoint } from '../../../lambdas/core/simulation/types';

/** Two days of a bursty daily cycle on a 5-minute grid: deterministic, with steep ramps. */
function bursty(): RegularSeries {
  const values = Float64Array.from({ length: 576 }, (_, i) => {
    const day = Math.sin((2 * Math.PI * i) / 288);
    const burst = i % 37 < 3 ? 400 : 0;
    return 600 + 400 * day + burst + ((i * 7919) % 13) * 10;
  });
  return { startSec: 0, stepSec: 300, values };
}

describe('reactiveFrontier', () => {
  it('costs more and breaches less as the target is lowered', () => {
    const frontier = reactiveFrontier(bursty(), { targetValue: 100, minCapacity: 1, maxCapacity: 100 });
    expect(frontier.map((p) => p.targetFraction).slice(0, 3)).toEqual([1, 0.95, 0.9]);
    for (let k = 1; k < frontier.length; k++) {
      const prev = frontier[k - 1] as FrontierPoint;
      const cur = frontier[k] as FrontierPoint;
      expect(cur.instanceHours).toBeGreaterThanOrEqual(prev.instanceHours);
      expect(cur.underProvisionedFraction).toBeLessThanOrEqual(prev.underProvisionedFraction);
    }
    expect(frontier[0]?.underProvisionedFraction).toBeGreaterThan(0);
  });
});

describe('oracleCapacity', () => {
  it('is never under-provisioned when max does not bind', () => {
    const load = bursty();
    const outcome = scoreCapacity(load, oracleCapacity(load, 100, { min: 1, max: 100 }), 100);
    expect(outcome.underProvisionedFraction).toBe(0);
    expect(outcome.worstShortfall).toBe(0);
  });
});

describe('compareAtEqualCost', () => {
  // Hand-checkable: 100 h → 20 %, 120 h → 10 %, 140 h → 4 % (listed out of order on purpose).
  const frontier: FrontierPoint[] = [
    { targetFraction: 0.8, instanceHours: 140, underProvisionedFraction: 0.04 },
    { targetFraction: 1, instanceHours: 100, underProvisionedFraction: 0.2 },
    { targetFraction: 0.9, instanceHours: 120, underProvisionedFraction: 0.1 },
  ];

  it.each([
    { where: 'the cheapest point', instanceHours: 100, under: 0.1, ratio: 0.5 }, // 0.1 / 0.2
    { where: 'between the first two points', instanceHours: 105, under: 0.0875, ratio: 0.5 }, // 0.0875 / 0.175
    { where: 'an inner point', instanceHours: 120, under: 0.05, ratio: 0.5 }, // 0.05 / 0.1
    { where: 'between the last two points', instanceHours: 130, under: 0.14, ratio: 2 }, // 0.14 / 0.07
    { where: 'the costliest point', instanceHours: 140, under: 0.02, ratio: 0.5 }, // 0.02 / 0.04
  ])(
    'divides by the frontier at $where ($instanceHours h), ends included',
    ({ instanceHours, under, ratio }) => {
      const comparison = compareAtEqualCost(frontier, instanceHours, under);

      expect(comparison.kind).toBe('ratio');
      expect(comparison.kind === 'ratio' ? comparison.ratio : Number.NaN).toBeCloseTo(ratio, 12);
    },
  );

  it('compares with a one-point frontier at exactly its instance-hours', () => {
    const one: FrontierPoint[] = [{ targetFraction: 1, instanceHours: 720, underProvisionedFraction: 0.2 }];

    expect(compareAtEqualCost(one, 720, 0.1)).toEqual({ kind: 'ratio', ratio: 0.5 });
  });

  it.each([
    { instanceHours: 99.9, kind: 'cheaper' },
    { instanceHours: 140.1, kind: 'costlier' },
  ])('is $kind than the frontier at $instanceHours h', ({ instanceHours, kind }) => {
    expect(compareAtEqualCost(frontier, instanceHours, 0.01)).toEqual({ kind });
  });

  it('says the frontier reaches the cost but has no breaches there, at an end and in between', () => {
    // A flat load: reactive alone at the configured target already holds enough capacity.
    const flat: FrontierPoint[] = [
      { targetFraction: 1, instanceHours: 720, underProvisionedFraction: 0 },
      { targetFraction: 0.95, instanceHours: 768, underProvisionedFraction: 0 },
    ];

    expect(compareAtEqualCost(flat, 720, 0)).toEqual({ kind: 'noBreaches' });
    expect(compareAtEqualCost(flat, 750, 0.01)).toEqual({ kind: 'noBreaches' });
  });

  it('is costlier than an empty frontier', () => {
    expect(compareAtEqualCost([], 100, 0.1)).toEqual({ kind: 'costlier' });
  });
});

describe('equalCostOf', () => {
  const frontier: FrontierPoint[] = [
    { targetFraction: 1, instanceHours: 100, underProvisionedFraction: 0.2 },
    { targetFraction: 0.9, instanceHours: 120, underProvisionedFraction: 0.1 },
  ];
  const outcome = (instanceHours: number) => ({
    instanceHours,
    underProvisionedFraction: 0.01,
    worstShortfall: 0,
    scalingActions: 0,
  });
  // Predictive costs more than the whole frontier.
  const policies = { reactive: outcome(100), predictive: outcome(150), oracle: outcome(90) };

  it('keeps the comparison the result recorded', () => {
    const result = { equalCost: { kind: 'noBreaches' } as const, policies, reactiveFrontier: frontier };

    expect(equalCostOf(result)).toEqual({ kind: 'noBreaches' });
  });

  it("derives it from the result's frontier when the result does not carry it", () => {
    expect(equalCostOf({ policies, reactiveFrontier: frontier })).toEqual({ kind: 'costlier' });
  });
});
