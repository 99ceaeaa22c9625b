/**
 * Review (failing test): the release of a held floor that README step 8 and
 * `actions.baseline.release` give ("delete selfheal-<id>-restore-held, then set MinSize to
 * minCapacity: the next run plans on minCapacity, or, if none of the target's actions is pending by
 * then, on the MinSize you set") deletes the plan's only return to the floor and leaves its raises
 * on the group. When no run writes a new plan before those raises have all run (an untrusted
 * forecast writes nothing, and a gap of more than 6 h keeps it untrusted while the gap is in the
 * lookback), the last raise stays in force: EC2 Auto Scaling applies each action's sizes when it
 * runs and "does not keep track of old values"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html#scheduled-scaling-how-it-works),
 * and lists only the actions that have not run
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScheduledActions.html).
 * The next trusted run then finds nothing of the target pending and holds that raise, not the
 * MinSize the operator set, as its floor from then on.
 */
import { describe, expect, it } from 'vitest';
import { restoreActionName, runForecastCycle } from '../../lambdas/core/scaler';
import { dailyHistory, fixedClock, MemoryPorts, NOW_SEC, target } from '../unit/scaler/memory-ports';

const HOUR = 3600;
const GROUP = 'web-asg';
const HELD = restoreActionName('web', true);
/** Config 2–60, 48 h ahead; the daily load needs 2 to 50 instances. */
const web = target({ maxCapacity: 60, horizonHours: 48 });

describe('releasing a held floor as the decision record says, followed by two days of untrusted forecasts', () => {
  it('plans on the MinSize the operator set once none of the target’s actions is pending, as the release text promises', async () => {
    // Arrange: an operator's MinSize 30 held as the floor (10:30); the load metric stops
    // publishing after its 09:00 point, so the runs until 14:30 still plan (and keep the floor held).
    const ports = new MemoryPorts();
    ports.addGroup(GROUP, 30, 60);
    ports.histories.set('web', { ok: true, value: dailyHistory(NOW_SEC, HOUR, 14, 200, 5000) });
    let release = '';
    for (let t = NOW_SEC; t <= NOW_SEC + 4 * HOUR; t += HOUR) {
      ports.advanceTo(t);
      const run = await runForecastCycle([web], ports, fixedClock(t));
      expect(run.records[0]?.status).toBe('scaled');
      release = run.records[0]?.actions?.baseline.release ?? '';
    }
    expect(release).toContain(
      `delete the scheduled action ${HELD} of Auto Scaling group ${GROUP}, then set the group's MinSize to minCapacity 2`,
    );
    // 15:00: the history is more than 6 h old, so every run from 15:30 on is untrusted and writes
    // nothing. The operator follows the release text at 15:02.
    ports.advanceTo(NOW_SEC + 4 * HOUR + 32 * 60);
    ports.actions.set(
      GROUP,
      (ports.actions.get(GROUP) ?? []).filter((a) => a.name !== HELD),
    );
    const g = ports.groupStates.get(GROUP);
    if (g !== undefined) ports.groupStates.set(GROUP, { ...g, minSize: 2 });
    for (let t = NOW_SEC + 5 * HOUR; t <= NOW_SEC + 54 * HOUR; t += HOUR) {
      ports.advanceTo(t);
      const run = await runForecastCycle([web], ports, fixedClock(t));
      expect(run.records[0]?.status).toBe('untrusted');
    }
    expect(ports.ownActions(GROUP, 'web')).toEqual([]);

    // Act: the metric is back (its gap aged out of the lookback: a fresh history) and the run is trusted.
    const backSec = NOW_SEC + 55 * HOUR;
    ports.advanceTo(backSec);
    ports.histories.set('web', { ok: true, value: dailyHistory(backSec, HOUR, 14, 200, 5000) });
    const summary = await runForecastCycle([web], ports, fixedClock(backSec));

    // Assert: "if none of the target's actions is pending by then, on the MinSize you set" (2),
    // not the last raise of the plan whose restore the release deleted.
    expect(summary.records[0]?.status).toBe('scaled');
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 2, source: 'config' });
  });
});
