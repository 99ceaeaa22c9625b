import { describe, expect, it } from 'vitest';
import { TraceKnowledge } from '../../../lambdas/core/simulation/known-history';

/** Filled runs of a 100-point trace: 10–12 (3 points), 20 (1), 40–49 (10). */
const knowledge = new TraceKnowledge([
  { fromIndex: 10, steps: 3 },
  { fromIndex: 20, steps: 1 },
  { fromIndex: 40, steps: 10 },
]);

describe('TraceKnowledge', () => {
  it.each([
    { name: 'no filled point', window: [0, 10], want: { from: 0, to: 10, longestGapSteps: 0 } },
    // Runs closed by a real point before the decision were known then: they stay, and count.
    {
      name: 'runs closed before the decision',
      window: [0, 30],
      want: { from: 0, to: 30, longestGapSteps: 3 },
    },
    {
      name: 'a run closed by the point just before',
      window: [0, 14],
      want: { from: 0, to: 14, longestGapSteps: 3 },
    },
    // 40–44 are interpolated towards point 50, after the decision at 45: unknown then.
    { name: 'a decision inside a run', window: [0, 45], want: { from: 0, to: 40, longestGapSteps: 3 } },
    {
      name: 'a decision on the run’s first point',
      window: [0, 40],
      want: { from: 0, to: 40, longestGapSteps: 3 },
    },
    // Point 50 closes the run but is the decision's own step, not yet seen: 40–49 stay unknown.
    {
      name: 'a decision on the point closing the run',
      window: [0, 50],
      want: { from: 0, to: 40, longestGapSteps: 3 },
    },
    {
      name: 'a decision after the point closing the run',
      window: [0, 51],
      want: { from: 0, to: 51, longestGapSteps: 10 },
    },
    // A window starting inside a run starts at the run's closing point, as a metric read would.
    {
      name: 'a window starting inside a run',
      window: [11, 30],
      want: { from: 13, to: 30, longestGapSteps: 1 },
    },
  ])('knows $name', ({ window: [start, decision], want }) => {
    expect(knowledge.at(start as number, decision as number)).toEqual(want);
  });

  it.each([
    { name: 'the window and the decision fall in one run', window: [41, 48] },
    { name: 'a single real point is left', window: [19, 21] },
  ])('knows nothing to forecast from when $name', ({ window: [start, decision] }) => {
    expect(knowledge.at(start as number, decision as number)).toBeUndefined();
  });

  it('knows every point of a trace without filled runs', () => {
    expect(new TraceKnowledge([]).at(5, 50)).toEqual({ from: 5, to: 50, longestGapSteps: 0 });
  });
});
