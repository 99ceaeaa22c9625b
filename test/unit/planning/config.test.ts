import { describe, expect, it } from 'vitest';
import { PlannerConfigError, resolvePlannerConfig } from '../../../lambdas/core/planning/config';
import type { PlannerConfig } from '../../../lambdas/core/planning/types';

const base: PlannerConfig = { targetValuePerInstance: 100, minCapacity: 1, maxCapacity: 10 };

describe('resolvePlannerConfig', () => {
  it('fills the AWS-like defaults', () => {
    expect(resolvePlannerConfig(base)).toMatchObject({
      maxCapacityBreachBehavior: 'honor',
      maxCapacityBufferPercent: 10,
      schedulingBufferSec: 300,
      horizonSec: 172_800,
      blockSec: 3_600,
      basis: 'upper',
    });
  });

  it.each<[string, Partial<PlannerConfig>, string]>([
    ['target is negative', { targetValuePerInstance: -5 }, 'targetValuePerInstance must be > 0, got -5'],
    ['target is NaN', { targetValuePerInstance: Number.NaN }, 'targetValuePerInstance must be > 0, got NaN'],
    ['min is fractional', { minCapacity: 1.5 }, 'minCapacity must be an integer >= 0, got 1.5'],
    ['max is below min', { minCapacity: 5, maxCapacity: 4 }, 'maxCapacity must be >= minCapacity (5), got 4'],
    [
      'buffer % is above 100',
      { maxCapacityBufferPercent: 150 },
      'maxCapacityBufferPercent must be between 0 and 100, got 150',
    ],
    [
      'scheduling buffer is a block long',
      { schedulingBufferSec: 3_600 },
      'schedulingBufferSec must be >= 0 and < blockSec (3600), got 3600',
    ],
    ['block is too short', { blockSec: 30 }, 'blockSec must be an integer >= 60, got 30'],
    ['horizon is shorter than a block', { horizonSec: 60 }, 'horizonSec must be >= blockSec (3600), got 60'],
  ])('fails when %s', (_name, override, message) => {
    expect(() => resolvePlannerConfig({ ...base, ...override })).toThrow(new PlannerConfigError(message));
  });
});
