/**
 * Review (soak on moto): with 15-minute blocks the forecaster takes every scheduled-action slot the
 * group has left, run after run, so the group's owner can no longer add a scheduled action at all.
 *
 * EC2 Auto Scaling allows 125 scheduled actions per group, a quota that "cannot be changed"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-quotas.html); a put past
 * it fails with LimitExceeded (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_BatchPutScheduledUpdateGroupAction.html).
 * The plan may hold `freeSlots` = 125 minus the user's actions (`scheduled-actions.ts`), and a
 * 48 h plan of 15-minute blocks over a daily ramp changes the floor more than 124 times, so every
 * hourly run leaves the group at exactly 125. The README invites the user's own actions ("Scheduled
 * actions of your own on the group stay untouched") but, on such a group, the user's next
 * PutScheduledUpdateGroupAction (console, CLI, a CloudFormation AWS::AutoScaling::ScheduledAction)
 * is refused. moto does not enforce the quota, so the test counts.
 */
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requireMoto } from '../emulator/moto-server';
import { motoForSuite } from '../emulator/moto-suite';
import { DAY, dailyLoad, HOUR, own, Soak, scaledTarget } from './soak-harness';

/** 2025-01-29T00:20:00Z: the forecaster runs at 20 past every hour. */
const T0 = Date.UTC(2025, 0, 29, 0, 20) / 1000;
/** EC2 Auto Scaling: scheduled actions per Auto Scaling group (cannot be changed). */
const QUOTA = 125;
const QUARTER = 900;

describe.runIf(requireMoto())('a 15-minute-block plan on moto, hour after hour', () => {
  const moto = motoForSuite();
  let soak: Soak;

  beforeAll(async () => {
    soak = new Soak(moto().endpoint);
    soak.setNow(T0);
    await soak.createGroup(1, 100);
    // A daily cycle of 200 to 1,600 (2 to 80 instances at targetValue 20), a point every 15 min.
    const daily = dailyLoad(100, 800);
    const times: number[] = [];
    for (let t = T0 - 20 * 60 - 14 * DAY; t < T0 + DAY; t += QUARTER) times.push(t);
    for (let i = 0; i < times.length; i += 500) {
      await soak.cw.send(
        new PutMetricDataCommand({
          Namespace: 'App/Soak',
          MetricData: times.slice(i, i + 500).map((t) => ({
            MetricName: 'Load',
            Timestamp: new Date(t * 1000),
            Value: daily(t) * 2,
            Unit: 'Count',
          })),
        }),
      );
    }
    await soak.deploy([
      scaledTarget({
        blockMinutes: 15,
        periodSec: QUARTER,
        schedulingBufferSec: 120,
        targetValue: 20,
        maxCapacity: 100,
      }),
    ]);
  }, 120_000);

  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('leaves the group room for one scheduled action of its owner after every run', async () => {
    const used: number[] = [];
    for (let h = 0; h < 4; h++) {
      const { decisions } = await soak.runAt(T0 + h * HOUR);
      expect(decisions[0]?.status).toBe('scaled');
      expect(own(await soak.actions())).toHaveLength((await soak.actions()).length);
      used.push((await soak.actions()).length);
    }
    expect(Math.max(...used)).toBeLessThan(QUOTA);
  }, 300_000);
});
