import { describe, expect, it } from 'vitest';
import { inferStepSec, regularize } from '../../../lambdas/core/series/regularize';
import { resample } from '../../../lambdas/core/series/resample';
import { type Point, SeriesError } from '../../../lambdas/core/series/types';

const pts = (pairs: Array<[number, number]>): Point[] => pairs.map(([tSec, value]) => ({ tSec, value }));

describe('inferStepSec', () => {
  it('picks the most common spacing', () => {
    expect(
      inferStepSec(
        pts([
          [0, 1],
          [300, 1],
          [600, 1],
          [1200, 1],
          [1500, 1],
        ]),
      ),
    ).toBe(300);
  });

  it('fails when there are fewer than two distinct timestamps', () => {
    expect(() => inferStepSec(pts([[0, 1]]))).toThrow(SeriesError);
  });

  it('infers the whole-second step of minute rows with sub-second jitter', () => {
    // Arrange: epoch milliseconds, each row off the minute by up to ±0.5 s. No exact spacing
    // repeats, so the most common one was the smallest, 59.253 s.
    const offsetsMs = [-403, 212, -95, 487, -260, 31, -488, 150, 375, -12, 305, -350, 192, -113];
    const t0Ms = 1_397_088_000_000;
    const rows = offsetsMs.map((ms, i): [number, number] => [(t0Ms + i * 60_000 + ms) / 1000, i]);

    // Act
    const step = inferStepSec(pts(rows));

    // Assert
    expect(step).toBe(60);
  });

  it('reads a 0.1 s step written as decimal epoch seconds as 0.1, not as float noise', () => {
    // Arrange: 1397088000.1, .2, ... parsed to doubles differ by 0.0999999046 or 0.1000001431.
    const rows = Array.from({ length: 50 }, (_, i): [number, number] => [
      Number((1_397_088_000 + i * 0.1).toFixed(1)),
      i,
    ]);

    // Act
    const step = inferStepSec(pts(rows));

    // Assert
    expect(step).toBe(0.1);
  });

  it.each([0.25, 0.5, 1.5, 7.5])('keeps a fractional step written exactly (%s s)', (step) => {
    const rows = Array.from({ length: 20 }, (_, i): [number, number] => [1_000 + i * step, i]);

    expect(inferStepSec(pts(rows))).toBe(step);
  });

  it('takes the smaller step on a tie between whole seconds', () => {
    expect(
      inferStepSec(
        pts([
          [0, 1],
          [60, 1],
          [180, 1],
        ]),
      ),
    ).toBe(60);
  });
});

describe('regularize', () => {
  it('reports which points were filled, run by run', () => {
    const { report } = regularize(
      pts([
        [0, 1],
        [120, 3],
        [180, 4],
        [240, Number.NaN],
        [420, 9],
      ]),
      { stepSec: 60 },
    );
    // Grid 0..7: 1 is filled, then 4 (the NaN row), 5 and 6.
    expect(report.filledRuns).toEqual([
      { fromIndex: 1, steps: 1 },
      { fromIndex: 4, steps: 3 },
    ]);
    expect(report.gapPointsFilled).toBe(4);
    expect(report.longestGapSteps).toBe(3);
  });

  it('fills a missing grid point by linear interpolation and reports it', () => {
    const { series, report } = regularize(
      pts([
        [0, 10],
        [60, 20],
        [180, 40],
        [240, 50],
      ]),
    );
    expect(series.stepSec).toBe(60);
    expect(Array.from(series.values)).toEqual([10, 20, 30, 40, 50]);
    expect(report.gapPointsFilled).toBe(1);
    expect(report.longestGapSteps).toBe(1);
  });

  it('treats NaN values as gaps', () => {
    const { series, report } = regularize(
      pts([
        [0, 0],
        [60, Number.NaN],
        [120, 4],
        [180, 6],
      ]),
    );
    expect(Array.from(series.values)).toEqual([0, 2, 4, 6]);
    expect(report.nonFiniteDropped).toBe(1);
  });

  it('infers the step from every row, NaN values included, and fills the NaN row', () => {
    const { series, report } = regularize(
      pts([
        [0, 1],
        [300, Number.NaN],
        [600, 3],
      ]),
    );

    expect(series.stepSec).toBe(300);
    expect(Array.from(series.values)).toEqual([1, 2, 3]);
    expect(report.nonFiniteDropped).toBe(1);
    expect(report.gapPointsFilled).toBe(1);
  });

  it('keeps the step of a series whose every other row is NaN', () => {
    const { series } = regularize(
      pts([
        [0, 0],
        [60, Number.NaN],
        [120, 2],
        [180, Number.NaN],
        [240, 4],
      ]),
    );

    expect(series.stepSec).toBe(60);
    expect(Array.from(series.values)).toEqual([0, 1, 2, 3, 4]);
  });

  it.each([
    ['mean', 15],
    ['last', 20],
  ] as const)('merges duplicate timestamps with policy %s', (policy, expected) => {
    const { series, report } = regularize(
      pts([
        [0, 1],
        [60, 10],
        [60, 20],
        [120, 3],
      ]),
      { duplicates: policy },
    );
    expect(series.values[1]).toBe(expected);
    expect(report.duplicatesMerged).toBe(1);
  });

  it('fails on duplicates when the policy is reject', () => {
    expect(() =>
      regularize(
        pts([
          [0, 1],
          [0, 2],
          [60, 3],
        ]),
        { duplicates: 'reject' },
      ),
    ).toThrow(/duplicate timestamp 1970-01-01T00:00:00.000Z at point 2/);
  });

  it('fails when timestamps go backwards, naming the point', () => {
    expect(() =>
      regularize(
        pts([
          [0, 1],
          [120, 2],
          [60, 3],
        ]),
      ),
    ).toThrow(/timestamps go backwards at point 3/);
  });

  it('fails when a gap is longer than maxGapSteps', () => {
    expect(() =>
      regularize(
        pts([
          [0, 1],
          [60, 1],
          [600, 1],
        ]),
        { maxGapSteps: 3 },
      ),
    ).toThrow(/gap of 8 missing steps exceeds the limit of 3/);
  });

  it('fails with fewer than two finite points', () => {
    expect(() =>
      regularize(
        pts([
          [0, Number.NaN],
          [60, 1],
        ]),
      ),
    ).toThrow(/at least 2 points with finite values, got 1/);
  });
});

describe('resample', () => {
  const series = { startSec: 0, stepSec: 300, values: Float64Array.from([1, 2, 3, 4, 5, 6, 7]) };

  it.each([
    ['mean', [2, 5]],
    ['max', [3, 6]],
    ['sum', [6, 15]],
  ] as const)('aggregates whole buckets with %s and drops the partial tail', (agg, expected) => {
    const out = resample(series, 900, agg);
    expect(out.stepSec).toBe(900);
    expect(Array.from(out.values)).toEqual(expected);
  });

  it('fails when the new step is not a multiple of the old one', () => {
    expect(() => resample(series, 450, 'mean')).toThrow(/whole multiple/);
  });
});
