/**
 * A recurring action of the user holds every one of its runs as a start time ("A scheduled action
 * must have a unique time value. If you attempt to schedule an activity at a time when another
 * scaling activity is already scheduled, the call is rejected",
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html#scheduled-scaling-limitations),
 * also one that sets only DesiredCapacity (no part of the floor) and one that runs too often for
 * the floor to follow (more than 200 runs before the plan ends). From review wt-rv4.
 */
import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { desiredActions, type ScheduledActionState } from '../../../lambdas/core/scaler';
import { blocks, bounds, NOW } from './plan-fixtures';

/** Every occurrence of `recurrence` (UTC) in (fromSec, toSec], computed independently. */
function occurrences(recurrence: string, fromSec: number, toSec: number): Set<number> {
  const cron = CronExpressionParser.parse(recurrence, { currentDate: new Date(fromSec * 1000), tz: 'UTC' });
  const out = new Set<number>();
  for (;;) {
    const t = Math.round(cron.next().getTime() / 1000);
    if (t > toSec) return out;
    out.add(t);
  }
}

describe('desiredActions: start times held by a user’s recurring action the floor does not follow', () => {
  it('puts no action on an occurrence of the user’s hourly DesiredCapacity-only action', () => {
    // An hourly recurring action that sets DesiredCapacity only (its sizes are not kept).
    const hourly: ScheduledActionState = { name: 'hourly-desired', recurrence: '0 * * * *' };
    const out = desiredActions(blocks([8, 8, 2]), { ...bounds, foreign: [hourly] }, NOW);
    const held = occurrences('0 * * * *', NOW, NOW + 24 * 3600);
    // The restore lowers at 13:00, when the user's action runs too.
    expect(out.actions.filter((a) => held.has(a.startTimeSec))).toEqual([]);
  });

  it('puts no action on an occurrence of a user’s action run too often to be followed', () => {
    // Every 10 minutes over a 48 h plan: more than 200 occurrences, taken as a standing floor.
    const often: ScheduledActionState = { name: 'every-10-min', recurrence: '*/10 * * * *', minSize: 2 };
    const caps = Array.from({ length: 48 }, (_, i) => (i % 2 === 0 ? 8 : 2));
    const out = desiredActions(blocks(caps), { ...bounds, foreign: [often] }, NOW);
    expect(out.warnings.length).toBe(1);
    const held = occurrences('*/10 * * * *', NOW, NOW + 60 * 3600);
    // Every lowering, at a block's start on the hour, lands on one of its occurrences.
    expect(out.actions.filter((a) => held.has(a.startTimeSec)).map((a) => a.name)).toEqual([]);
  });
});
