import { describe, expect, it } from 'vitest';
import type { Forecaster } from '../../../lambdas/core/forecast/types';
import type { FilledRun } from '../../../lambdas/core/series/regularize';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import { runBacktest } from '../../../lambdas/core/simulation/backtest';

const STEP = 300;
const DAY = 288;
/** The default horizon, 48 h, in steps. */
const HORIZON = 2 * DAY;

/** Three flat days (400: 4 instances at target 100); which points were "filled" is up to each test. */
const flat = (): RegularSeries => ({
  startSec: 0,
  stepSec: STEP,
  values: new Float64Array(3 * DAY).fill(400),
});

/**
 * A trusted forecaster recording each history's last index and the horizon asked; its point
 * forecast is the step's index in the forecast (0, 1, 2, …), so the timeline shows where it starts.
 */
function recording() {
  const calls: Array<{ end: number; horizonSteps: number }> = [];
  const forecaster: Forecaster = (history, { horizonSteps }) => {
    calls.push({ end: history.startSec / STEP + history.values.length, horizonSteps });
    const point = Float64Array.from({ length: horizonSteps }, (_, k) => k);
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
  return { calls, forecaster };
}

describe('runBacktest on a trace with filled points', () => {
  it('shows a decision inside a gap only the history before the gap, and forecasts on to its horizon', () => {
    // Arrange: points 298–302 were filled, interpolated towards point 303; the decision at 300
    // comes before that point, so 298 and 299 were not known then.
    const filledRuns: FilledRun[] = [{ fromIndex: DAY + 10, steps: 5 }];
    const { calls, forecaster } = recording();

    // Act
    const { timeline } = runBacktest(flat(), { targetValue: 100, forecaster, filledRuns });

    // Assert: the history ends at the last real point (297); the forecast from 298 is two steps
    // longer, and is recorded from the decision on.
    expect(calls[0]).toEqual({ end: DAY, horizonSteps: HORIZON });
    expect(calls[1]).toEqual({ end: DAY + 10, horizonSteps: HORIZON + 2 });
    expect(calls[2]).toEqual({ end: DAY + 24, horizonSteps: HORIZON });
    expect(timeline.forecast[DAY + 12]).toBe(2);
    expect(timeline.forecast[DAY + 13]).toBe(3);
  });

  it('trusts no forecast whose last known point is more than 6 h old, nor one whose history holds such a gap', () => {
    // Arrange: 100 filled points (8 h 20 min) from 298 on.
    const filledRuns: FilledRun[] = [{ fromIndex: DAY + 10, steps: 100 }];

    // Act
    const { forecasts } = runBacktest(flat(), {
      targetValue: 100,
      forecaster: recording().forecaster,
      filledRuns,
    });

    // Assert: of the 48 decisions, the 9 inside the gap see its last point 3 to 99 steps old: those
    // at 372, 384 and 396 (75 to 99 steps, over 6 h) are untrusted; the 38 after it see the whole
    // gap in their history. The 7 before and early in the gap stay trusted.
    expect(forecasts).toEqual({ made: 48, trusted: 7 });
  });

  it('makes no forecast when the history holds fewer than two real points', () => {
    // Arrange: everything before the first decision but point 0 was filled.
    const filledRuns: FilledRun[] = [{ fromIndex: 1, steps: DAY + 5 }];
    const { calls, forecaster } = recording();

    // Act
    const { forecasts } = runBacktest(flat(), {
      targetValue: 100,
      forecaster,
      filledRuns,
      historySec: DAY * STEP,
    });

    // Assert: the first decision (288) knows only point 0; the next one (300) has 294–299.
    expect(calls[0]?.end).toBe(DAY + 12);
    expect(forecasts?.made).toBe(47);
  });
});
