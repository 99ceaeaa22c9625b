/**
 * applyPlan looks at the user's schedule twice (the baseline's last run of their recurring action,
 * then the plan's floor and start times) and reads each distinct Recurrence once for both.
 */
import { CronExpressionParser } from 'cron-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyPlan } from '../../../lambdas/core/scaler/apply-actions';
import { fixedClock, MemoryPorts, NOW_SEC, target } from './memory-ports';
import { blocks } from './plan-fixtures';

const GROUP = 'web-asg';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('applyPlan with recurring scheduled actions of the user', () => {
  it('parses each distinct Recurrence and TimeZone once per target', async () => {
    const ports = new MemoryPorts(NOW_SEC);
    ports.addGroup(GROUP, 2, 20);
    ports.actions.set(GROUP, [
      {
        name: 'morning',
        startTimeSec: NOW_SEC - 86_400,
        recurrence: '0 8 * * *',
        timeZone: 'Europe/Berlin',
        minSize: 6,
      },
      {
        name: 'morning-too',
        startTimeSec: NOW_SEC - 86_400,
        recurrence: '0 8 * * *',
        timeZone: 'Europe/Berlin',
        maxSize: 20,
      },
      { name: 'evening', startTimeSec: NOW_SEC - 86_400, recurrence: '0 20 * * *', minSize: 2 },
    ]);
    // The in-memory group parses too (it refuses a put at a run of a recurring action): count the scaler's.
    const parse = CronExpressionParser.parse.bind(CronExpressionParser);
    const byScaler: [string, string | undefined][] = [];
    vi.spyOn(CronExpressionParser, 'parse').mockImplementation((expression, options) => {
      if (new Error().stack?.includes('memory-ports.ts') === false) byScaler.push([expression, options?.tz]);
      return parse(expression, options);
    });

    const facts = await applyPlan(target(), blocks([5, 5, 3]), ports, fixedClock(NOW_SEC));

    expect(facts.failed).toEqual([]);
    expect(byScaler).toEqual([
      ['0 8 * * *', 'Europe/Berlin'],
      ['0 20 * * *', 'UTC'],
    ]);
  });
});
