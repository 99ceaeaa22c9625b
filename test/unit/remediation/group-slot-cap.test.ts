import { describe, expect, it } from 'vitest';
import { groupSlotCap } from '../../../lambdas/core/remediation/blast-radius';

describe('groupSlotCap', () => {
  it.each([
    [34, 10, 3],
    [30, 10, 3],
    [34, 50, 17],
    [10, 5, 1],
    [34, 2, 1],
    [50, 0, 1],
    [100, 7, 7],
  ])('%i %% of %i in service allows %i at once', (pct, inService, cap) => {
    expect(groupSlotCap(pct, inService)).toBe(cap);
  });
});
