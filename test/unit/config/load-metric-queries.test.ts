import { describe, expect, it } from 'vitest';
import { returnsData } from '../../../lib/config/load-metric-schema';

describe('returnsData', () => {
  it.each([
    [{}, true],
    [{ ReturnData: undefined }, true],
    [{ ReturnData: true }, true],
    [{ ReturnData: false }, false],
  ])('reads %j as returning data: %s (GetMetricData defaults ReturnData to true)', (query, expected) => {
    expect(returnsData(query)).toBe(expected);
  });
});
