import { describe, expect, it } from 'vitest';
import type { Forecast, TrustVerdict } from '../../../lambdas/core/forecast/types';
import { planCapacity } from '../../../lambdas/core/planning/plan';
import type { PlannerConfig } from '../../../lambdas/core/planning/types';

const TRUSTED: TrustVerdict = { trusted: true, reason: 'ok' };
const STEP = 300;

/** A forecast on a 5-minute grid from t = 36,000 s; `upper` defaults to point + 50. */
function forecast(point: number[], upper?: number[]): Forecast {
  return {
    startSec: 36_000,
    stepSec: STEP,
    point: Float64Array.from(point),
    upper: Float64Array.from(upper ?? point.map((v) => v + 50)),
  };
}

/** Twelve 5-minute points per hour: `hours[h]` everywhere except one peak at `peaks[h]`. */
function hourly(levels: number[], peaks: number[] = levels): number[] {
  return levels.flatMap((level, h) =>
    Array.from({ length: 12 }, (_, i) => (i === 6 ? (peaks[h] ?? level) : level)),
  );
}

const base: PlannerConfig = { targetValuePerInstance: 100, minCapacity: 2, maxCapacity: 20 };

describe('planCapacity', () => {
  it('plans each hour on the highest upper-bound value inside it, buffered 300 s ahead', () => {
    const plan = planCapacity(forecast(hourly([400, 700], [450, 950])), base, TRUSTED);
    expect(plan.trusted).toBe(true);
    expect(plan.blocks.map((b) => [b.blockStartSec, b.actionAtSec, b.forecastLoad, b.minCapacity])).toEqual([
      [36_000, 35_700, 500, 5],
      [39_600, 39_300, 1_000, 10],
    ]);
  });

  it('plans on the point forecast when asked', () => {
    const plan = planCapacity(forecast(hourly([401])), { ...base, basis: 'point' }, TRUSTED);
    expect(plan.blocks.map((b) => b.neededCapacity)).toEqual([5]);
  });

  it.each([
    { name: 'no buffer', schedulingBufferSec: 0, actionAt: 36_000 },
    { name: '10 minutes', schedulingBufferSec: 600, actionAt: 35_400 },
  ])(
    'schedules the action schedulingBufferSec before the block ($name)',
    ({ schedulingBufferSec, actionAt }) => {
      const plan = planCapacity(forecast(hourly([400])), { ...base, schedulingBufferSec }, TRUSTED);
      expect(plan.blocks[0]?.actionAtSec).toBe(actionAt);
    },
  );

  it('cuts 15-minute blocks, each on its own maximum', () => {
    const point = hourly([100], [1_000]); // the peak is the 7th point: minutes 30-35
    const plan = planCapacity(forecast(point, point), { ...base, blockSec: 900 }, TRUSTED);
    expect(plan.blocks.map((b) => [b.blockStartSec - 36_000, b.minCapacity])).toEqual([
      [0, 2],
      [900, 2],
      [1_800, 10],
      [2_700, 2],
    ]);
  });

  it('stops at the horizon', () => {
    const plan = planCapacity(forecast(hourly([100, 100, 100])), { ...base, horizonSec: 7_200 }, TRUSTED);
    expect(plan.blocks).toHaveLength(2);
  });

  it.each([
    { name: 'below min: raised to min', load: 50, min: 2, max: 20 },
    { name: 'exactly k × target: k instances', load: 700, min: 7, max: 20 },
    { name: 'honor: capped at max', load: 2_950, min: 20, max: 20 },
  ])('keeps the floor within the bounds ($name)', ({ load, min, max }) => {
    const point = hourly([load]);
    const [block] = planCapacity(forecast(point, point), base, TRUSTED).blocks;
    expect([block?.minCapacity, block?.maxCapacity]).toEqual([min, max]);
  });

  it.each([
    { bufferPercent: 10, needed: 30, max: 33 },
    { bufferPercent: 0, needed: 30, max: 30 },
    { bufferPercent: 50, needed: 25, max: 38 },
  ])(
    'with increase, plans the forecast capacity above max and raises max by the buffer ($bufferPercent %)',
    ({ bufferPercent, needed, max }) => {
      const point = hourly([needed * 100]);
      const config: PlannerConfig = {
        ...base,
        maxCapacityBreachBehavior: 'increase',
        maxCapacityBufferPercent: bufferPercent,
      };
      const [block] = planCapacity(forecast(point, point), config, TRUSTED).blocks;
      expect([block?.minCapacity, block?.maxCapacity]).toEqual([needed, max]);
      expect(block?.boundNote).toContain('increase');
    },
  );

  it('rounds the raised max up: 201 + 10 % = 221.1 → 222', () => {
    const point = hourly([20_100]);
    const config: PlannerConfig = {
      ...base,
      maxCapacityBreachBehavior: 'increase',
      maxCapacityBufferPercent: 10,
    };
    const [block] = planCapacity(forecast(point, point), config, TRUSTED).blocks;
    expect([block?.minCapacity, block?.maxCapacity]).toEqual([201, 222]);
  });

  it.each([
    { name: 'exactly minCapacity', load: 200, min: 2 },
    { name: 'exactly maxCapacity', load: 2_000, min: 20 },
  ])('leaves a need of $name as it is, without a bound note', ({ load, min }) => {
    const point = hourly([load]);
    const config: PlannerConfig = {
      ...base,
      maxCapacityBreachBehavior: 'increase',
      maxCapacityBufferPercent: 10,
    };
    const [block] = planCapacity(forecast(point, point), config, TRUSTED).blocks;
    expect(block).toMatchObject({ neededCapacity: min, minCapacity: min, maxCapacity: 20 });
    expect(block?.boundNote).toBeUndefined();
  });

  it.each([
    { name: 'one block', point: hourly([400]), reason: '1 block(s) of 3600 s planned on the upper forecast' },
    {
      name: 'no finite point',
      point: hourly([Number.NaN]),
      reason: 'forecast has no finite points inside the horizon',
    },
  ])('says what it planned on a trusted forecast ($name)', ({ point, reason }) => {
    const plan = planCapacity(forecast(point, point), base, TRUSTED);
    expect(plan.trusted).toBe(true);
    expect(plan.reason).toBe(reason);
  });

  it('is additive only: never plans below minCapacity, even for a negative forecast', () => {
    const point = hourly([-300, 0, 150]);
    const plan = planCapacity(forecast(point, point), { ...base, minCapacity: 3 }, TRUSTED);
    expect(plan.blocks.map((b) => b.minCapacity)).toEqual([3, 3, 3]);
  });

  it('returns no blocks and the reason when the forecast is untrusted', () => {
    const verdict = { trusted: false, reason: 'only 18 h of history; need at least 24 h' };
    const plan = planCapacity(forecast(hourly([400])), base, verdict);
    expect(plan).toEqual({ trusted: false, reason: expect.stringContaining('only 18 h'), blocks: [] });
  });

  it('ignores non-finite forecast points', () => {
    const point = hourly([100], [Number.NaN]);
    const [block] = planCapacity(forecast(point, point), base, TRUSTED).blocks;
    expect(block?.forecastLoad).toBe(100);
  });
});
