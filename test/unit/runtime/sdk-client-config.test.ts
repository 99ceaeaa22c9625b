import { describe, expect, it } from 'vitest';
import { maxBackoffMs, sdkClientConfig } from '../../../lambdas/runtime/sdk-client-config';

describe('maxBackoffMs', () => {
  it.each([
    { maxAttempts: 1, ms: 0 },
    { maxAttempts: 3, ms: 300 },
    { maxAttempts: 5, ms: 1500 },
    // 100, 200, … 12,800, then capped at 20 s.
    { maxAttempts: 10, ms: 25_500 + 20_000 },
  ])('is $ms ms over $maxAttempts attempts', ({ maxAttempts, ms }) => {
    expect(maxBackoffMs(maxAttempts)).toBe(ms);
  });
});

describe('sdkClientConfig', () => {
  it.each([
    // A remediation function: 60 s less a 6 s reserve; the 5 s cap decides.
    {
      maxAttempts: 3,
      callBudgetMs: 54_000,
      maxAttemptMs: 5000,
      requestTimeout: 5000,
      connectionTimeout: 3000,
    },
    // A 2 s function: (1800 − 300) / 3 attempts.
    { maxAttempts: 3, callBudgetMs: 1800, maxAttemptMs: 5000, requestTimeout: 500, connectionTimeout: 500 },
    // The forecaster: 5 attempts × 20 s + 1.5 s backoff fit in 120 s.
    {
      maxAttempts: 5,
      callBudgetMs: 120_000,
      maxAttemptMs: 20_000,
      requestTimeout: 20_000,
      connectionTimeout: 3000,
    },
    // A budget too small for its attempts still leaves each one 100 ms.
    { maxAttempts: 10, callBudgetMs: 1000, maxAttemptMs: 5000, requestTimeout: 100, connectionTimeout: 100 },
  ])(
    'times each attempt out after $requestTimeout ms with $maxAttempts attempts in $callBudgetMs ms',
    ({ maxAttempts, callBudgetMs, maxAttemptMs, requestTimeout, connectionTimeout }) => {
      const config = sdkClientConfig({ maxAttempts, callBudgetMs, maxAttemptMs });
      expect(config).toEqual({
        maxAttempts,
        requestHandler: {
          connectionTimeout,
          requestTimeout,
          socketTimeout: requestTimeout,
          throwOnRequestTimeout: true,
        },
      });
    },
  );

  it('keeps every attempt and its backoff within the call budget when the budget allows 100 ms each', () => {
    for (const maxAttempts of [1, 2, 3, 5, 10]) {
      const callBudgetMs = 60_000;
      const { requestHandler } = sdkClientConfig({ maxAttempts, callBudgetMs, maxAttemptMs: 60_000 });
      expect(maxAttempts * requestHandler.requestTimeout + maxBackoffMs(maxAttempts)).toBeLessThanOrEqual(
        callBudgetMs,
      );
    }
  });

  it.each([
    { field: 'maxAttempts', budget: { maxAttempts: 0, callBudgetMs: 1000, maxAttemptMs: 1000 }, value: '0' },
    {
      field: 'callBudgetMs',
      budget: { maxAttempts: 3, callBudgetMs: Number.NaN, maxAttemptMs: 1000 },
      value: 'NaN',
    },
    { field: 'maxAttemptMs', budget: { maxAttempts: 3, callBudgetMs: 1000, maxAttemptMs: -1 }, value: '-1' },
  ])('fails when $field is $value', ({ field, budget, value }) => {
    expect(() => sdkClientConfig(budget)).toThrow(
      `sdkClientConfig: ${field} must be a positive number, received ${value}`,
    );
  });
});
