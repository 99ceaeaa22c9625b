/**
 * Review (soak on moto): a held floor (`…-restore-held`) outlives the person who lowers it.
 *
 * README, "How the predictive scaler decides", step 8: "To hold a higher floor during an incident,
 * raise MinSize and delete the target's pending actions, restore included; the next run keeps that
 * MinSize as the floor until someone lowers it." The forecaster learns of the lowering only from the
 * group's MinSize at its next run (`planBaseline`: "a group MinSize below it was lowered by someone
 * else"). But every action of the held plan writes MinSize at or above the held floor, so when one
 * of them runs between the lowering and the next run (any hour whose block changes the floor: most
 * of the daytime ramps), it writes the held floor back before the forecaster looks. The lowering is
 * never seen, `-restore-held` keeps the incident floor, and the group keeps it day and night.
 */
import { BatchDeleteScheduledActionCommand } from '@aws-sdk/client-auto-scaling';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requireMoto } from '../emulator/moto-server';
import { motoForSuite } from '../emulator/moto-suite';
import { DAY, type Decision, dailyLoad, GROUP, HOUR, own, Soak, scaledTarget } from './soak-harness';

/** 2025-01-29T00:20:00Z: the forecaster runs at 20 past every hour. */
const T0 = Date.UTC(2025, 0, 29, 0, 20) / 1000;
const INCIDENT_FLOOR = 6;

describe.runIf(requireMoto())('a held floor lowered by hand on moto (hourly runs over a day)', () => {
  const moto = motoForSuite();
  let soak: Soak;

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

  it('returns to minCapacity once the incident floor is lowered, even when an action of the plan runs before the next run', async () => {
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
    expect(web(held.decisions).actions?.baseline).toMatchObject({ minSize: INCIDENT_FLOOR, source: 'group' });
    for (let h = 2; h <= 7; h++) await soak.runAt(T0 + h * HOUR);

    // 07:21, the incident is over: MinSize back to the configured 1, by hand.
    const loweredAt = T0 + 7 * HOUR + 60;
    soak.setNow(loweredAt);
    await soak.setSizes({ minSize: 1 });
    // The plan's raise for the 08:00 block runs at 07:55, before the next run at 08:20.
    const next = own(await soak.actions()).filter(
      (a) => a.startSec > loweredAt && a.startSec < T0 + 8 * HOUR,
    );
    expect(next.map((a) => a.name)).toEqual(['selfheal-web-2025-01-29T08:00:00Z']);

    let last: Decision | undefined;
    for (let h = 8; h <= 27; h++) last = web((await soak.runAt(T0 + h * HOUR)).decisions);

    // 2025-01-30T03:20Z: the night. The plan needs 2-3 instances; nobody wants the incident floor.
    expect(last?.status).toBe('scaled');
    expect(last?.actions?.baseline).toMatchObject({ minSize: 1, source: 'config' });
    expect((await soak.sizes()).minSize).toBeLessThan(INCIDENT_FLOOR);
    expect(own(await soak.actions()).some((a) => a.name === 'selfheal-web-restore-held')).toBe(false);
  }, 300_000);
});

function web(decisions: readonly Decision[]): Decision {
  const d = decisions.find((x) => x.targetId === 'web');
  if (d === undefined) throw new Error('no decision record for target web');
  return d;
}
