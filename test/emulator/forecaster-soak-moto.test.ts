/**
 * The real forecaster handler on moto, run hour after hour on a simulated clock, with EC2 Auto
 * Scaling's part played between runs (see `forecaster-soak.ts`): how many scheduled actions a
 * 15-minute plan leaves the group's owner.
 */
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DAY, dailyLoad, decisionOf, HOUR, own, Soak, scaledTarget } from './forecaster-soak';
import { requireMoto } from './moto-server';
import { motoForSuite } from './moto-suite';

/** 2025-01-29T00:20:00Z: the forecaster runs at 20 past every hour. */
const T0 = Date.UTC(2025, 0, 29, 0, 20) / 1000;

describe.runIf(requireMoto())('a 15-minute-block plan on moto, hour after hour', () => {
  const moto = motoForSuite();
  let soak: Soak;
  /** EC2 Auto Scaling: scheduled actions per Auto Scaling group (cannot be changed). */
  const QUOTA = 125;
  const QUARTER = 900;

  beforeAll(async () => {
    soak = new Soak(moto().endpoint);
    soak.setNow(T0);
    await soak.createGroup(1, 100);
    // A daily cycle of 200 to 1,600 (10 to 80 instances at targetValue 20), a point every 15 min.
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

  it('leaves the group’s owner 5 scheduled-action slots after every run (the quota of 125 cannot be raised)', async () => {
    // moto does not enforce the quota (a put past it fails with LimitExceeded on AWS): count.
    const used: number[] = [];
    for (let h = 0; h < 4; h++) {
      const { decisions } = await soak.runAt(T0 + h * HOUR);
      const web = decisionOf(decisions);
      expect(web.status).toBe('scaled');
      expect(web.actions?.notes.join('; ')).toMatch(
        /planned change\(s\) dropped to stay within 120 scheduled-action slot\(s\)/,
      );
      const listed = await soak.actions();
      expect(own(listed)).toHaveLength(listed.length);
      used.push(listed.length);
    }
    expect(used).toEqual([QUOTA - 5, QUOTA - 5, QUOTA - 5, QUOTA - 5]);
  }, 300_000);
});
