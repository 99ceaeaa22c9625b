import { describe, expect, it } from 'vitest';
import type { Forecaster } from '../../../lambdas/core/forecast/types';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import { PredictiveFloor } from '../../../lambdas/core/simulation/predictive-floor';

const STEP = 300;
const DAY = 288;

/**
 * One decision at the start of day 2. The forecast (from the step after the decision) needs 10
 * instances for the first 13 steps (the buffer step and block A, 00:05–01:05) and 2 after (block
 * B from 01:05): target 100, hourly blocks, 300 s buffer.
 */
function floor(): PredictiveFloor {
  const load: RegularSeries = { startSec: 0, stepSec: STEP, values: new Float64Array(2 * DAY).fill(400) };
  const forecaster: Forecaster = (history, options) => {
    const point = Float64Array.from({ length: options.horizonSteps }, (_, k) => (k < 13 ? 1_000 : 200));
    return {
      startSec: history.startSec + history.values.length * STEP,
      stepSec: STEP,
      point,
      upper: point,
      model: 'scripted',
      scores: [],
      trust: { trusted: true, reason: 'test double' },
    };
  };
  return new PredictiveFloor(load, {
    forecaster,
    planner: {
      targetValuePerInstance: 100,
      minCapacity: 1,
      maxCapacity: 50,
      blockSec: 3_600,
      schedulingBufferSec: 300,
      horizonSec: 3 * 3_600,
    },
    replanSteps: DAY,
    firstDecision: DAY,
    historySteps: DAY,
    forecastOptions: { horizonSteps: 36 },
  });
}

describe('PredictiveFloor', () => {
  it('raises the floor one buffer before a block and lowers it only when the higher block ends', () => {
    const f = floor();
    const at = (step: number) => f.boundsAt((DAY + step) * STEP)?.min;
    expect(at(0)).toBe(10); // block A's action runs at the decision, one buffer before 00:05
    expect(at(11)).toBe(10);
    // 01:00: block B's action time (one buffer before 01:05), but block A runs until 01:05
    expect(at(12)).toBe(10);
    expect(at(13)).toBe(2);
  });
});
