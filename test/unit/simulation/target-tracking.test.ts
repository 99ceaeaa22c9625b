import { describe, expect, it } from 'vitest';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import { AlarmDatapoints, alarmEvaluation } from '../../../lambdas/core/simulation/alarm-datapoints';
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
    // Datapoints coarser than the trace (15 min on 5-minute steps), aligned on quarter hours:
    // steps 9-11 average 1,600 / 12 = 133 per instance and breach, so do 12-14 and 15-17; the
    // third is published at the end of step 17 (5,400 s).
    {
      setting: '15-minute datapoints',
      warmupSec: 0,
      under: [10, 11, 12, 13, 14, 15, 16, 17],
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
    { metricPeriodSec: undefined, stepSec: 300, datapointSec: 300, out: 3, in: 15 },
    { metricPeriodSec: 300, stepSec: 300, datapointSec: 300, out: 3, in: 15 },
    { metricPeriodSec: 60, stepSec: 300, datapointSec: 300, out: 1, in: 3 },
    { metricPeriodSec: 60, stepSec: 60, datapointSec: 60, out: 3, in: 15 },
    { metricPeriodSec: 10, stepSec: 60, datapointSec: 60, out: 1, in: 3 },
    // Coarser than the step: one datapoint spans several steps, and the alarms count datapoints.
    { metricPeriodSec: 60, stepSec: 15, datapointSec: 60, out: 3, in: 15 },
    { metricPeriodSec: 3_600, stepSec: 300, datapointSec: 3_600, out: 3, in: 15 },
  ])(
    'evaluates $datapointSec s datapoints for a $metricPeriodSec s period on $stepSec s steps',
    ({ metricPeriodSec, stepSec, datapointSec, out, in: low }) => {
      expect(alarmEvaluation({ metricPeriodSec }, stepSec)).toEqual({
        datapointSec,
        outDatapoints: out,
        inDatapoints: low,
      });
    },
  );

  it('honours custom datapoint counts', () => {
    expect(alarmEvaluation({ scaleOutDatapoints: 1, scaleInDatapoints: 5 }, 300)).toEqual({
      datapointSec: 300,
      outDatapoints: 1,
      inDatapoints: 5,
    });
  });

  // A CloudWatch datapoint is the metric's statistic over its whole period ("The period, in
  // seconds, over which the statistic is applied"), not a demand that every trace step breach.
  it.each([
    // The backtest CLI's default period for a 15 s trace; 4 steps a datapoint.
    { setting: '60 s period on a 15 s trace', stepSec: 15, metricPeriodSec: 60, period: [50, 150, 150, 150] },
    // --metric-period-sec 300 on a 1-minute trace; 5 steps a datapoint.
    {
      setting: '300 s period on a 1-minute trace',
      stepSec: 60,
      metricPeriodSec: 300,
      period: [50, 150, 150, 150, 125],
    },
  ])(
    'scales out after 3 datapoints whose average breaches though one step each does not ($setting)',
    ({ stepSec, metricPeriodSec, period }) => {
      // Arrange: every period averages 125 per instance against a target of 100; the first step
      // (50) sizes the group at 1 instance. 20 periods of it.
      const perPeriod = period.length;
      const load: RegularSeries = {
        startSec: 0,
        stepSec,
        values: Float64Array.from({ length: 20 * perPeriod }, (_, i) => period[i % perPeriod] as number),
      };

      // Act
      const run = simulateTargetTracking(load, { ...group, maxCapacity: 10, warmupSec: 0, metricPeriodSec });

      // Assert: the third datapoint is published at the end of the third period; AWS sizes
      // ceil(1 × 125 / 100) = 2, in service from the next step. At 62.5 per instance the 15 low
      // datapoints then size the scale-in on the window's 125: still 2.
      const firstAt2 = 3 * perPeriod;
      expect([...run.inService]).toEqual([...load.values.keys()].map((i) => (i < firstAt2 ? 1 : 2)));
      expect(run.actions.reduce((s, a) => s + a, 0)).toBe(1);
    },
  );

  it('scales in after 15 low datapoints though a step of each is above the low threshold', () => {
    // Arrange: 15 s steps, 60 s datapoints of 300, 60, 60, 60: 3 instances for the first step,
    // 40 per instance on average (below 90), though 300 on 3 is 100 (above 90).
    const minute = [300, 60, 60, 60];
    const load: RegularSeries = {
      startSec: 0,
      stepSec: 15,
      values: Float64Array.from({ length: 120 }, (_, i) => minute[i % 4] as number),
    };

    // Act
    const run = simulateTargetTracking(load, { ...group, warmupSec: 0, metricPeriodSec: 60 });

    // Assert: the 15th low datapoint ends at 900 s (step 59); sized on the window's peak
    // datapoint, 120 on 3 instances: 2. No step ever needed more than 3.
    expect([...run.inService]).toEqual([...load.values.keys()].map((i) => (i < 60 ? 3 : 2)));
    expect(run.actions.reduce((s, a) => s + a, 0)).toBe(1);
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

describe('AlarmDatapoints', () => {
  it('averages the steps of each period, aligned on multiples of the period, published at its end', () => {
    // Arrange: 60 s datapoints on a 15 s trace that starts half a minute in.
    const datapoints = new AlarmDatapoints(60, 15);

    // Act: the first minute holds only the trace's steps at 30 and 45 s; in the second an
    // instance comes into service at 90 s.
    const published = [
      [30, 100, 1],
      [45, 100, 1],
      [60, 200, 1],
      [75, 200, 1],
      [90, 200, 2],
      [105, 200, 2],
      [120, 50, 2],
    ].map(([t, load, serving]) => datapoints.add(t as number, load as number, serving as number));

    // Assert: one datapoint per finished minute; the last minute is unfinished, so never published.
    expect(published).toEqual([
      undefined,
      { load: 200, instanceSteps: 2, impliedLoad: 100 },
      undefined,
      undefined,
      undefined,
      // 800 / 6 = 133.3 per instance, × the 2 in service at its end.
      { load: 800, instanceSteps: 6, impliedLoad: 800 / 3 },
      undefined,
    ]);
  });

  it('publishes every step when the datapoint is the step', () => {
    const datapoints = new AlarmDatapoints(300, 300);
    expect([0, 300, 600].map((t) => datapoints.add(t + 100, 7, 3))).toEqual(
      Array(3).fill({ load: 7, instanceSteps: 3, impliedLoad: 7 }),
    );
  });
});
