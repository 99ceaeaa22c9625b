import { describe, expect, it } from 'vitest';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import {
  alarmSteps,
  simulateTargetTracking,
  type TargetTrackingConfig,
} from '../../../lambdas/core/simulation/target-tracking';

const STEP = 300;
const series = (values: number[]): RegularSeries => ({
  startSec: 0,
  stepSec: STEP,
  values: Float64Array.from(values),
});
const group: TargetTrackingConfig = { targetValue: 100, minCapacity: 1, maxCapacity: 50 };
/** 1-minute detailed monitoring: the 3-datapoint alarm (3 min) fires on the first breaching 5-minute step. */
const detailed: TargetTrackingConfig = { ...group, metricPeriodSec: 60 };
/** 10 steps at 400 then 10 steps at 800: 4 instances needed, then 8. */
const stepUp = series([...Array(10).fill(400), ...Array(10).fill(800)]);

const underSteps = (load: RegularSeries, inService: Float64Array, target = 100): number[] =>
  [...load.values.keys()].filter((i) => (load.values[i] as number) / (inService[i] as number) > target);

describe('simulateTargetTracking', () => {
  it('makes no scaling action on a constant load at target', () => {
    const run = simulateTargetTracking(series(Array(30).fill(400)), group);
    expect([...run.inService]).toEqual(Array(30).fill(4));
    expect(run.actions.reduce((s, a) => s + a, 0)).toBe(0);
  });

  it.each([
    // Default: 5-minute datapoints. Breaching datapoints at steps 10, 11, 12; the third is
    // published at the end of step 12 (t = 3,900 s), the launch serves after warm-up.
    { setting: '5-minute datapoints', warmupSec: 0, under: [10, 11, 12] },
    { setting: '5-minute datapoints', warmupSec: 300, under: [10, 11, 12, 13] },
    { setting: '5-minute datapoints', warmupSec: 600, under: [10, 11, 12, 13, 14] },
    // Detailed monitoring: 3 × 60 s fits in step 10, so the launch happens at its end (3,300 s).
    { setting: '1-minute detailed', warmupSec: 0, under: [10], metricPeriodSec: 60 },
    { setting: '1-minute detailed', warmupSec: 300, under: [10, 11], metricPeriodSec: 60 },
    { setting: '1-minute detailed', warmupSec: 600, under: [10, 11, 12], metricPeriodSec: 60 },
    // Datapoints coarser than the trace (15 min on 5-minute steps): 3 × 900 s = 9 steps.
    {
      setting: '15-minute datapoints',
      warmupSec: 0,
      under: [10, 11, 12, 13, 14, 15, 16, 17, 18],
      metricPeriodSec: 900,
    },
  ] as Array<{ setting: string; warmupSec: number; under: number[]; metricPeriodSec?: number }>)(
    'lags a step increase by the alarm plus warm-up ($setting, $warmupSec s warm-up)',
    ({ warmupSec, under, metricPeriodSec }) => {
      const run = simulateTargetTracking(stepUp, { ...group, warmupSec, metricPeriodSec });
      expect(underSteps(stepUp, run.inService)).toEqual(under);
      expect(run.inService[19]).toBe(8);
      expect(run.actions.reduce((s, a) => s + a, 0)).toBe(1);
    },
  );

  it.each([
    { metricPeriodSec: undefined, stepSec: 300, outSteps: 3, inSteps: 15 },
    { metricPeriodSec: 300, stepSec: 300, outSteps: 3, inSteps: 15 },
    { metricPeriodSec: 60, stepSec: 300, outSteps: 1, inSteps: 3 },
    { metricPeriodSec: 60, stepSec: 60, outSteps: 3, inSteps: 15 },
    { metricPeriodSec: 10, stepSec: 60, outSteps: 1, inSteps: 3 },
    { metricPeriodSec: 3_600, stepSec: 300, outSteps: 36, inSteps: 180 },
  ])(
    'turns datapoints into steps (period $metricPeriodSec s on $stepSec s steps)',
    ({ metricPeriodSec, stepSec, outSteps, inSteps }) => {
      expect(alarmSteps({ metricPeriodSec }, stepSec)).toEqual({ outSteps, inSteps });
    },
  );

  it('honours custom datapoint counts', () => {
    expect(alarmSteps({ scaleOutDatapoints: 1, scaleInDatapoints: 5 }, 300)).toEqual({
      outSteps: 1,
      inSteps: 5,
    });
  });

  it('counts warming instances as capacity, so a persisting alarm does not launch twice', () => {
    const run = simulateTargetTracking(stepUp, { ...detailed, warmupSec: 900 });
    expect(run.actions.reduce((s, a) => s + a, 0)).toBe(1);
    expect(run.inService[19]).toBe(8);
  });

  it.each([
    // Detailed monitoring: 15 × 60 s = 3 steps; low datapoints at steps 5, 6, 7, scale-in at the end of 7.
    { setting: '1-minute detailed', metricPeriodSec: 60, lastAt8: 7 },
    // Default: 15 × 5-minute datapoints = 15 steps; low from step 5, scale-in at the end of step 19.
    { setting: '5-minute datapoints', metricPeriodSec: undefined, lastAt8: 19 },
  ])(
    'scales in only after 15 datapoints below 90 % of target, to the window peak ($setting)',
    ({ metricPeriodSec, lastAt8 }) => {
      const load = series([...Array(5).fill(800), ...Array(20).fill(400)]);
      const run = simulateTargetTracking(load, { ...group, metricPeriodSec });
      const expected = [...load.values.keys()].map((i) => (i <= lastAt8 ? 8 : 4));
      expect([...run.inService]).toEqual(expected);
    },
  );

  it('does not scale in while instances are warming up', () => {
    // Step 2 breaches: 8 more launched at 900 s, in service at 1,500 s (step 5); load falls at once.
    const load = series([400, 400, 1_200, ...Array(9).fill(100)]);
    const run = simulateTargetTracking(load, { ...detailed, warmupSec: 600 });
    // Low datapoints from step 3 on; the scale-in waits for the warm-up, then sizes on the window.
    expect([...run.inService].slice(2, 8)).toEqual([4, 4, 4, 12, 1, 1]);
    expect(run.actions.reduce((s, a) => s + a, 0)).toBe(2);
  });

  it('never scales out above max or in below min', () => {
    const load = series([100, 5_000, 5_000, 5_000, 0, 0, 0, 0, 0, 0]);
    const run = simulateTargetTracking(load, { ...detailed, minCapacity: 2, maxCapacity: 10, warmupSec: 0 });
    expect(Math.max(...run.inService)).toBe(10);
    expect(Math.min(...run.inService)).toBe(2);
  });

  it('launches at once when the bounds raise the minimum, serving after warm-up', () => {
    const load = series(Array(10).fill(400));
    const run = simulateTargetTracking(load, group, (t) => (t >= 900 ? { min: 6, max: 50 } : undefined));
    // Raised at step 3 (900 s), in service from step 4 (1,200 s) with the 300 s warm-up.
    expect([...run.inService].slice(2, 6)).toEqual([4, 4, 6, 6]);
    expect(run.actions[3]).toBe(1);
  });

  it.each([
    // An action at 05:55 on an hourly trace: launched then, in service at 06:00 with a 300 s warm-up.
    { name: 'between two steps', raisedAtSec: 6 * 3600 - 300, inService: [4, 4, 10, 10] },
    // A time before the previous step start (when the bounds were last read) is taken as that start.
    { name: 'before the previous step', raisedAtSec: 3 * 3600, inService: [4, 4, 10, 10] },
    // Without a time the launch is dated at the step where the raise is first seen.
    { name: 'not given', raisedAtSec: undefined, inService: [4, 4, 4, 10] },
  ])('dates a raised minimum’s launch at the time it was raised ($name)', ({ raisedAtSec, inService }) => {
    const hour = 3600;
    const hourly: RegularSeries = { startSec: 0, stepSec: hour, values: new Float64Array(10).fill(400) };
    const raise = (t: number) =>
      t >= 6 * hour
        ? { min: 10, max: 50, ...(raisedAtSec === undefined ? {} : { minRaisedAtSec: raisedAtSec }) }
        : undefined;

    const run = simulateTargetTracking(hourly, { ...group, warmupSec: 300 }, raise);

    expect([...run.inService].slice(4, 8)).toEqual(inService);
  });
});
