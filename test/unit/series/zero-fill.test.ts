import { describe, expect, it } from 'vitest';
import { fillMissingWithZero } from '../../../lambdas/core/series/zero-fill';

const p = (tSec: number, value: number) => ({ tSec, value });

describe('fillMissingWithZero', () => {
  it.each([
    {
      name: 'a zero at each grid time without a point, up to the last before endSec',
      points: [p(0, 5), p(300, 6), p(1200, 7)],
      endSec: 1800,
      expected: [p(0, 5), p(300, 6), p(600, 0), p(900, 0), p(1200, 7), p(1500, 0)],
    },
    {
      name: 'nothing when every grid time holds a point',
      points: [p(0, 5), p(300, 6), p(600, 7)],
      endSec: 900,
      expected: [p(0, 5), p(300, 6), p(600, 7)],
    },
    {
      name: 'no zero at a grid time an off-grid point is nearest to',
      points: [p(0, 5), p(310, 6)],
      endSec: 900,
      expected: [p(0, 5), p(310, 6), p(600, 0)],
    },
    {
      name: 'the grid counted from the first point, nothing before it',
      points: [p(600, 5)],
      endSec: 1200,
      expected: [p(600, 5), p(900, 0)],
    },
  ])('adds $name', ({ points, endSec, expected }) => {
    const out = fillMissingWithZero(points, { stepSec: 300, endSec });
    expect(out.points).toEqual(expected);
    expect(out.filled).toBe(expected.length - points.length);
  });

  it('returns no points unchanged: with nothing read there is no grid to fill', () => {
    expect(fillMissingWithZero([], { stepSec: 300, endSec: 3600 })).toEqual({ points: [], filled: 0 });
  });
});
