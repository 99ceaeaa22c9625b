/**
 * The real forecaster handler on moto, run hour after hour on a simulated clock, with EC2 Auto
 * Scaling's part played between runs (see `forecaster-soak.ts`): what a group looks like after a
 * day of runs, when a person holds or releases a floor, when `forecastAndScale` moves to another
 * target of the group, and how many scheduled actions a 15-minute plan leaves the group's owner.
 */
import { BatchDeleteScheduledActionCommand } from '@aws-sdk/client-auto-scaling';
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
  type Warning,
} from './forecaster-soak';
import { requireMoto } from './moto-server';
import { motoForSuite } from './moto-suite';

/** 2025-01-29T00:20:00Z: the forecaster runs at 20 past every hour. */
const T0 = Date.UTC(2025, 0, 29, 0, 20) / 1000;
const HELD = 'selfheal-web-restore-held';

describe.runIf(requireMoto())('a held floor on moto (hourly runs over a day)', () => {
  const moto = motoForSuite();
  let soak: Soak;
  const INCIDENT_FLOOR = 6;

  beforeAll(async () => {
    soak = new Soak(moto().endpoint);
    soak.setNow(T0);
    await soak.createGroup(1, 10);
    // A daily cycle needing 2 instances at night and 9 at noon (targetValue 100).
    await soak.putLoad(T0 - 20 * 60 - 14 * DAY, T0 + 2 * DAY, dailyLoad(100, 800));
    await soak.deploy([scaledTarget()]);
  }, 60_000);

  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('says every run how to release it, and releases it once its pending actions are deleted and MinSize set, though the plan wrote it back over a lowered MinSize', async () => {
    await soak.runAt(T0);
    // 01:10, an incident: the README's way to hold a floor.
    await soak.runDue(T0 + 50 * 60);
    soak.setNow(T0 + 50 * 60);
    await soak.setSizes({ minSize: INCIDENT_FLOOR });
    const pending = own(await soak.actions()).map((a) => a.name);
    await soak.asg.send(
      new BatchDeleteScheduledActionCommand({ AutoScalingGroupName: GROUP, ScheduledActionNames: pending }),
    );
    const held = await soak.runAt(T0 + HOUR);
    expect(decisionOf(held.decisions).actions?.baseline).toMatchObject({
      minSize: INCIDENT_FLOOR,
      source: 'group',
    });
    expectHoldNamed(decisionOf(held.decisions), held.warnings);
    for (let h = 2; h <= 7; h++) await soak.runAt(T0 + h * HOUR);

    // 07:21, the incident is over: MinSize back to the configured 1, by hand, and nothing else.
    const loweredAt = T0 + 7 * HOUR + 60;
    soak.setNow(loweredAt);
    await soak.setSizes({ minSize: 1 });
    // The plan's raise for the 08:00 block runs at 07:55, before the next run at 08:20: it writes
    // at least the held floor, so that run cannot see the lowering (the documented limit).
    const next = own(await soak.actions()).filter(
      (a) => a.startSec > loweredAt && a.startSec < T0 + 8 * HOUR,
    );
    expect(next.map((a) => a.name)).toEqual(['selfheal-web-2025-01-29T08:00:00Z']);
    const overwritten = await soak.runAt(T0 + 8 * HOUR);
    expect(overwritten.ran).toEqual([
      expect.stringMatching(/^selfheal-web-2025-01-29T08:00:00Z min→([6-9]|10) /),
    ]);
    expect(decisionOf(overwritten.decisions).actions?.baseline).toMatchObject({
      minSize: INCIDENT_FLOOR,
      source: 'group',
    });
    expectHoldNamed(decisionOf(overwritten.decisions), overwritten.warnings);

    // 08:21, the release the record and the warning name: every pending action of the target
    // deleted (the held restore among them), then MinSize set.
    soak.setNow(T0 + 8 * HOUR + 60);
    const webActions = own(await soak.actions()).map((a) => a.name);
    expect(webActions).toContain(HELD);
    for (let i = 0; i < webActions.length; i += 50) {
      await soak.asg.send(
        new BatchDeleteScheduledActionCommand({
          AutoScalingGroupName: GROUP,
          ScheduledActionNames: webActions.slice(i, i + 50),
        }),
      );
    }
    expect(own(await soak.actions())).toEqual([]);
    await soak.setSizes({ minSize: 1 });
    const released = await soak.runAt(T0 + 9 * HOUR);
    expect(decisionOf(released.decisions).actions?.baseline).toMatchObject({ minSize: 1, source: 'config' });
    expect(released.warnings.filter((w) => w.message === 'floor held')).toEqual([]);

    let last: { decisions: Decision[]; warnings: Warning[] } | undefined;
    for (let h = 10; h <= 27; h++) last = await soak.runAt(T0 + h * HOUR);
    // 2025-01-30T03:20Z: the night. The plan needs 2-3 instances; nobody wants the incident floor.
    const night = decisionOf(last?.decisions ?? []);
    expect(night.status).toBe('scaled');
    expect(night.actions?.baseline).toMatchObject({ minSize: 1, source: 'config' });
    expect(night.actions?.baseline.release).toBeUndefined();
    expect((await soak.sizes()).minSize).toBeLessThan(INCIDENT_FLOOR);
    expect(own(await soak.actions()).some((a) => a.name === HELD)).toBe(false);
  }, 300_000);
});

/** The decision record and a WARN line both say the floor is held and how to release it. */
function expectHoldNamed(decision: Decision, warnings: readonly Warning[]): void {
  const release = decision.actions?.baseline.release;
  expect(release).toContain(
    `delete every scheduled action of target web pending on Auto Scaling group ${GROUP} (${HELD} and`,
  );
  expect(release).toContain("set the group's MinSize to minCapacity 1");
  expect(warnings.filter((w) => w.message === 'floor held')).toEqual([
    expect.objectContaining({ targetId: 'web', autoScalingGroupName: GROUP, floor: 6, release }),
  ]);
}

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
