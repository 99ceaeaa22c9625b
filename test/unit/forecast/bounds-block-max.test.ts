import { describe, expect, it } from 'vitest';
import { backtest } from '../../../lambdas/core/forecast/backtest';
import {
  type BlockMaxBoundOptions,
  blockMaxMargins,
  blockMaxUpper,
} from '../../../lambdas/core/forecast/block-max-bound';
import type { PointForecaster } from '../../../lambdas/core/forecast/point-forecaster';

/** Hourly steps: a day is 24 steps, so blocks of 2 steps give 12 blocks per day. */
const STEP = 3_600;
const DAY = 24;

/** Always forecasts 10. */
const flat10: PointForecaster = {
  name: 'flat-10',
  minHistoryPoints: () => 1,
  point: (_h, _s, horizon) => new Float64Array(horizon).fill(10),
};

/** Five days of 10 with a spike at hour 1 of day d of height `spikes[d]` (validated: days 2-4). */
function history(spikes: readonly number[]): Float64Array {
  return Float64Array.from({ length: 5 * DAY }, (_, i) =>
    i % DAY === 1 ? (spikes[Math.floor(i / DAY)] ?? 10) : 10,
  );
}

/** The margins on flat10's validation days, as the selector would have kept them. */
function marginsOf(values: Float64Array, o: BlockMaxBoundOptions): Float64Array | undefined {
  return blockMaxMargins(backtest(flat10, values, STEP).validation, values, STEP, o);
}

describe('blockMaxMargins', () => {
  it.each([
    { name: 'the same spike every day', spikes: [10, 10, 16, 16, 16], quantile: 0.5, first: 6 },
    { name: 'the median of three spikes', spikes: [10, 10, 12, 14, 20], quantile: 0.5, first: 4 },
    // Type-7 p90 of [2, 4, 10]: 4 + (10 − 4) · 0.8.
    { name: 'the p90 of three spikes', spikes: [10, 10, 12, 14, 20], quantile: 0.9, first: 8.8 },
    { name: 'a spike before the validated days', spikes: [50, 50, 10, 10, 10], quantile: 0.9, first: 0 },
  ])('sizes the first block for $name', ({ spikes, quantile, first }) => {
    const margins = marginsOf(history(spikes), {
      blockSteps: 2,
      firstBlockStep: 0,
      quantile,
      poolBlocks: 0,
    });
    expect(margins?.length).toBe(12);
    expect(margins?.[0]).toBeCloseTo(first, 12);
    expect(margins?.[1]).toBe(0);
  });

  it('pools neighbouring blocks', () => {
    const margins = marginsOf(history([10, 10, 16, 16, 16]), {
      blockSteps: 2,
      firstBlockStep: 0,
      quantile: 0.9,
      poolBlocks: 1,
    });
    // Block 1 pools blocks 0-2: errors [6, 6, 6, 0, 0, 0, 0, 0, 0]; p90 = 6. Block 2 pools 1-3: 0.
    expect([margins?.[1], margins?.[2]]).toEqual([6, 0]);
  });

  it("cuts the validation day into the planner's blocks when the first one started before the forecast", () => {
    // Blocks of 2 h starting 1 h before the forecast: block 0 is hour 0 alone, block 1 hours 1-2.
    const margins = marginsOf(history([10, 10, 16, 16, 16]), {
      blockSteps: 2,
      firstBlockStep: -1,
      quantile: 0.5,
      poolBlocks: 0,
    });
    expect(margins?.length).toBe(12);
    expect([margins?.[0], margins?.[1], margins?.[2]]).toEqual([0, 6, 0]);
  });

  it('returns undefined without a day of history before the last validated day', () => {
    expect(
      marginsOf(new Float64Array(DAY + 5).fill(10), {
        blockSteps: 2,
        firstBlockStep: 0,
        quantile: 0.5,
      }),
    ).toBeUndefined();
  });
});

describe('blockMaxUpper', () => {
  it.each([
    { name: 'without lead', first: 0, expected: [11, 11, 12, 12, 12] },
    { name: 'with a one-step lead (the scheduling buffer)', first: 1, expected: [11, 11, 11, 12, 12] },
  ])('adds each block its margin $name, the last margin beyond', ({ first, expected }) => {
    const upper = blockMaxUpper(new Float64Array(5).fill(10), Float64Array.from([1, 2]), STEP, {
      blockSteps: 2,
      firstBlockStep: first,
    });
    expect([...upper]).toEqual(expected);
  });

  it('starts inside a clock block and reuses the margins by time of day after the first day', () => {
    // Two 12 h blocks a day; the forecast starts 6 h into block 0, so hours 0-5 are its rest,
    // hours 6-17 block 1, and hours 18-29 block 0 again the next day.
    const upper = blockMaxUpper(new Float64Array(30).fill(10), Float64Array.from([1, 2]), STEP, {
      blockSteps: 12,
      firstBlockStep: -6,
    });
    expect([...upper]).toEqual([...Array(6).fill(11), ...Array(12).fill(12), ...Array(12).fill(11)]);
  });
});
