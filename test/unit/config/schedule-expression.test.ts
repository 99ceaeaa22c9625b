import { describe, expect, it } from 'vitest';
import { scheduleProblem } from '../../../lib/config/schedule-expression';

describe('scheduleProblem', () => {
  it.each([
    'rate(1 hour)',
    'rate(60 minutes)',
    'cron(0 * * * ? *)',
    'cron(15 * * * ? *)',
    'cron(59 * ? * * *)',
  ])('accepts the hourly schedule %s', (expression) => {
    expect(scheduleProblem(expression)).toBeUndefined();
  });

  it.each(['rate(1 hours)', 'rate(2 hour)', 'rate(0 minutes)', 'rate(0 minute)', 'rate(1 minutes)'])(
    'fails when EventBridge would reject %s',
    (expression) => {
      expect(scheduleProblem(expression)).toMatch(
        /^EventBridge rejects this rate: the value must be at least 1, with a singular unit for 1/,
      );
    },
  );

  it.each([
    'rate(30 minutes)',
    'rate(2 hours)',
    'rate(1 day)',
    'cron(0/30 * * * ? *)',
    'cron(5,35 * * * ? *)',
    'cron(0 8-18 ? * MON-FRI *)',
    'cron(0 * * * * *)',
    'cron(0 * ? * ? *)',
    'cron(60 * * * ? *)',
  ])('fails when %s does not run once an hour', (expression) => {
    expect(scheduleProblem(expression)).toBe(
      'the forecaster must run once an hour (each run publishes the next hour of forecast points): use rate(1 hour), rate(60 minutes) or cron(<minute> * * * ? *)',
    );
  });

  it.each(['hourly', 'rate(1hour)', 'cron()'])(
    'fails when %s is neither rate(...) nor cron(...)',
    (expression) => {
      expect(scheduleProblem(expression)).toBe('expected rate(...) or cron(...)');
    },
  );
});
