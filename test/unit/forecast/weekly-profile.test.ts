import { describe, expect, it } from 'vitest';
import { WEEKLY_SMOOTH_SEC, weeklyProfile } from '../../../lambdas/core/forecast/seasonal-profiles';
import { workspaceFor } from '../../../lambdas/core/forecast/series-cache';

const STEP_SEC = 300;
const DAY = 86_400 / STEP_SEC;
const WEEK = 7 * DAY;

/** Two weeks of zero residuals but one bump of `height` at window index `at`. */
function profileWithBump(at: number, height: number): Float64Array {
  const window = new Float64Array(2 * WEEK);
  window[at] = height;
  const refLevel = new Float64Array(14);
  const daily = new Float64Array(DAY);
  return weeklyProfile(window, DAY, 0, refLevel, daily, workspaceFor(undefined, DAY));
}

describe('weeklyProfile', () => {
  it('spreads one slot over four hours either side, at its share of the two weeks', () => {
    const half = WEEKLY_SMOOTH_SEC / STEP_SEC;
    const at = 3 * DAY + 100;

    const profile = profileWithBump(at, 98);

    // Two samples per weekly slot (mean 49), averaged over 2·48 + 1 slots.
    const share = 49 / (2 * half + 1);
    expect(half).toBe(48);
    for (const offset of [-half, -1, 0, 1, half]) expect(profile[at + offset]).toBeCloseTo(share, 12);
    expect(profile[at - half - 1]).toBe(0);
    expect(profile[at + half + 1]).toBe(0);
  });

  it('wraps the average around the end of the week', () => {
    const profile = profileWithBump(WEEK - 1, 98);

    const half = WEEKLY_SMOOTH_SEC / STEP_SEC;
    expect(profile[0]).toBeGreaterThan(0);
    expect(profile[half - 1]).toBeGreaterThan(0);
    expect(profile[half]).toBe(0);
  });
});
