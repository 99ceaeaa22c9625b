/**
 * The real forecaster handler on moto, run hour after hour on a simulated clock, with EC2 Auto
 * Scaling's part played between runs (see `forecaster-soak.ts`): what a group looks like after a
 * day of runs when `forecastAndScale` moves to another target of the group, and how many
 * scheduled actions a 15-minute plan leaves the group's owner.
 */
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DAY,
  type Decision,
  dailyLoad,
  decisionOf,
  GROUP,
  HOUR,
  own,
  Soak,
  scaledTarget,
} from './forecaster-soak';
import { requireMoto } from './moto-server';
import { motoForSuite } from './moto-suite';

/** 2025-01-29T00:20:00Z: the forecaster runs at 20 past every hour. */
const T0 = Date.UTC(2025, 0, 29, 0, 20) / 1000;

describe.runIf(requireMoto())('switching which target of a group scales it, on moto (hourly runs)', () => {
  const moto = motoForSuite();
  let soak: Soak;
  const web = scaledTarget();
  const api = scaledTarget({ id: 'api', mode: 'forecastOnly' });

  beforeAll(async () => {
    soak = new Soak(moto().endpoint);
    soak.setNow(T0);
    await soak.createGroup(1, 10);
    // A daily cycle needing 2 instances at night and 9 at noon (targetValue 100).
    await soak.putLoad(T0 - 20 * 60 - 14 * DAY, T0 + 2 * DAY, dailyLoad(100, 800));
    await soak.deploy([web, api]);
  }, 60_000);

  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('does not keep the previous scaled target’s raise as the new target’s floor, and warns of its plan left on the group', async () => {
    for (let h = 0; h <= 12; h++) await soak.runAt(T0 + h * HOUR);
    // 12:25: `web` goes back to forecastOnly and `api` scales the group, in one deploy.
    const swapAt = T0 + 12 * HOUR + 5 * 60;
    soak.setNow(swapAt);
    const atSwap = await soak.sizes();
    expect(atSwap.minSize).toBe(9); // web's raise for the noon block
    const webPlan = own(await soak.actions(), 'web');
    expect(webPlan.some((a) => a.name === 'selfheal-web-restore')).toBe(true);
    await soak.deploy([
      { ...web, mode: 'forecastOnly' },
      { ...api, mode: 'forecastAndScale' },
    ]);

    const first = await soak.runAt(T0 + 13 * HOUR);
    let last: Decision | undefined;
    for (let h = 14; h <= 27; h++) last = decisionOf((await soak.runAt(T0 + h * HOUR)).decisions, 'api');

    const firstApi = decisionOf(first.decisions, 'api');
    expect(firstApi.actions?.baseline).toMatchObject({ minSize: 1, source: 'config' });
    expect(firstApi.actions?.baseline.reason).toContain(
      "target web's plan is in flight on the group (its restore selfheal-web-restore is pending)",
    );
    // web's plan is left alone (names carry no stack) and named in the record and a warning.
    expect(firstApi.actions?.otherPlans).toEqual([
      expect.stringMatching(
        /^\d+ scheduled action\(s\) of forecaster target web are on the group .*delete them$/,
      ),
    ]);
    expect(
      first.warnings.filter((w) => w.message === 'other forecaster target actions on the group'),
    ).toEqual([expect.objectContaining({ targetId: 'api', autoScalingGroupName: GROUP })]);
    expect(own(await soak.actions(), 'web').some((a) => a.name === 'selfheal-web-restore')).toBe(true);
    // 2025-01-30T03:20Z: the night, when the forecast needs 2-3 instances.
    expect(last?.status).toBe('scaled');
    expect(last?.actions?.baseline).toMatchObject({ minSize: 1, source: 'config' });
    expect((await soak.sizes()).minSize).toBeLessThan(atSwap.minSize);
  }, 300_000);
});

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
