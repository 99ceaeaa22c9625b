import { describe, expect, it } from 'vitest';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import {
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
    // The alarm sees step 10's datapoint at its end (t = 3,300 s) and launches 4 instances then.
    { warmupSec: 0, under: [10] },
    { warmupSec: 300, under: [10, 11] },
    { warmupSec: 600, under: [10, 11, 12] },
  ])('lags a step increase by the alarm step plus warm-up ($warmupSec s)', ({ warmupSec, under }) => {
    const run = simulateTargetTracking(stepUp, { ...group, warmupSec });
    expect(underSteps(stepUp, run.inService)).toEqual(under);
    expect(run.inService[19]).toBe(8);
    expect(run.actions.reduce((s, a) => s + a, 0)).toBe(1);
  });

  it('counts warming instances as capacity, so a persisting alarm does not launch twice', () => {
    const run = simulateTargetTracking(stepUp, { ...group, warmupSec: 900 });
    expect(run.actions.reduce((s, a) => s + a, 0)).toBe(1);
    expect(run.inService[19]).toBe(8);
  });

  it('scales in only after 15 minutes (3 steps) below 90 % of target, to the window peak', () => {
    const load = series([...Array(5).fill(800), 400, 400, 400, 400, 400]);
    const run = simulateTargetTracking(load, group);
    // Low datapoints at steps 5, 6, 7; the scale-in happens at the end of step 7.
    expect([...run.inService]).toEqual([8, 8, 8, 8, 8, 8, 8, 8, 4, 4]);
  });

  it('does not scale in while instances are warming up', () => {
    // Step 2 breaches: 8 more launched at 900 s, in service at 1,500 s (step 5); load falls at once.
    const load = series([400, 400, 1_200, ...Array(9).fill(100)]);
    const run = simulateTargetTracking(load, { ...group, warmupSec: 600 });
    // Low datapoints from step 3 on; the scale-in waits for the warm-up, then sizes on the window.
    expect([...run.inService].slice(2, 8)).toEqual([4, 4, 4, 12, 1, 1]);
    expect(run.actions.reduce((s, a) => s + a, 0)).toBe(2);
  });

  it('never scales out above max or in below min', () => {
    const load = series([100, 5_000, 5_000, 5_000, 0, 0, 0, 0, 0, 0]);
    const run = simulateTargetTracking(load, { ...group, minCapacity: 2, maxCapacity: 10, warmupSec: 0 });
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
});
