import { describe, expect, it } from 'vitest';
import { restoreActionName, runForecastCycle } from '../../../lambdas/core/scaler';
import { dailyHistory, fixedClock, MemoryPorts, NOW_SEC, target } from './memory-ports';
import { minutes, sizesAt } from './plan-fixtures';

const HOUR = 3600;
const GROUP = 'web-asg';
/** Config 2–60; the daily load needs 2 to 50 instances. */
const targets = [target({ maxCapacity: 60 })];

function setup(minSize: number, maxSize = 60): MemoryPorts {
  const ports = new MemoryPorts();
  ports.addGroup(GROUP, minSize, maxSize);
  ports.histories.set('web', { ok: true, value: dailyHistory(NOW_SEC, 3600, 14, 200, 5000) });
  return ports;
}

/** The lowest MinSize the group would have from `fromSec` on, over the next two days. */
function lowestFloorFrom(ports: MemoryPorts, fromSec: number): number {
  const group = ports.groupStates.get(GROUP) ?? { minSize: 0, maxSize: 0 };
  return Math.min(
    ...minutes(fromSec, fromSec + 48 * HOUR).map(
      (t) => sizesAt(ports.ownActions(GROUP, 'web'), group, t).minSize,
    ),
  );
}

describe('runForecastCycle on a group whose MinSize is above minCapacity', () => {
  it("keeps an operator's MinSize 30 as the floor: no action goes below it and the restore returns to it", async () => {
    const ports = setup(30);
    const summary = await runForecastCycle(targets, ports, fixedClock());
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 30, source: 'group' });
    expect(ports.ownActions(GROUP, 'web').every((a) => (a.minSize ?? 0) >= 30)).toBe(true);
    expect(ports.ownActions(GROUP, 'web').some((a) => (a.minSize ?? 0) > 30)).toBe(true);
    expect(lowestFloorFrom(ports, NOW_SEC)).toBe(30);
    const restore = ports.ownActions(GROUP, 'web').find((a) => a.name === restoreActionName('web', true));
    expect(restore?.minSize).toBe(30);
    ports.advanceTo((restore?.startTimeSec ?? 0) + 1);
    expect(ports.groupStates.get(GROUP)?.minSize).toBe(30);
  });

  it('keeps that floor an hour later, when the MinSize on the group is its own raise', async () => {
    const ports = setup(30);
    await runForecastCycle(targets, ports, fixedClock());
    ports.advanceTo(NOW_SEC + HOUR);
    expect(ports.groupStates.get(GROUP)?.minSize).toBeGreaterThan(30);
    const summary = await runForecastCycle(targets, ports, fixedClock(NOW_SEC + HOUR));
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 30, source: 'group' });
    expect(lowestFloorFrom(ports, NOW_SEC + HOUR)).toBe(30);
  });

  it('lets the floor go when an operator lowers the MinSize below it', async () => {
    const ports = setup(30);
    await runForecastCycle(targets, ports, fixedClock());
    ports.advanceTo(NOW_SEC + HOUR);
    const g = ports.groupStates.get(GROUP);
    if (g !== undefined) ports.groupStates.set(GROUP, { ...g, minSize: 2 });
    const summary = await runForecastCycle(targets, ports, fixedClock(NOW_SEC + HOUR));
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 2, source: 'config' });
    expect(ports.ownActions(GROUP, 'web').find((a) => a.name === restoreActionName('web'))?.minSize).toBe(2);
    expect(ports.ownActions(GROUP, 'web').some((a) => a.name === restoreActionName('web', true))).toBe(false);
  });

  it('plans on minCapacity again once its own restore has run', async () => {
    const ports = setup(2);
    await runForecastCycle(targets, ports, fixedClock());
    const restore = ports.ownActions(GROUP, 'web').find((a) => a.name === restoreActionName('web'));
    ports.advanceTo((restore?.startTimeSec ?? 0) + 1);
    expect(ports.ownActions(GROUP, 'web')).toEqual([]);
    // Two days on: fresh history, or the stale-history check rightly refuses to plan.
    ports.histories.set('web', { ok: true, value: dailyHistory(ports.nowSec, 3600, 14, 200, 5000) });
    const summary = await runForecastCycle(targets, ports, fixedClock(ports.nowSec));
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 2, source: 'config' });
  });

  it('keeps a MinSize raised by hand while its plan is in flight only until the block in progress ends', async () => {
    const ports = setup(2);
    await runForecastCycle(targets, ports, fixedClock());
    ports.advanceTo(NOW_SEC + HOUR); // 11:30
    const g = ports.groupStates.get(GROUP);
    if (g !== undefined) ports.groupStates.set(GROUP, { ...g, minSize: 55 });
    const summary = await runForecastCycle(targets, ports, fixedClock(NOW_SEC + HOUR));
    expect(summary.records[0]?.actions?.baseline.reason).toContain('may be its own');
    const blockEnd = NOW_SEC + 90 * 60; // 12:00
    expect(lowestFloorFrom(ports, NOW_SEC + HOUR) < 55).toBe(true);
    const group = ports.groupStates.get(GROUP) ?? { minSize: 0, maxSize: 0 };
    for (const t of minutes(NOW_SEC + HOUR, blockEnd)) {
      expect(sizesAt(ports.ownActions(GROUP, 'web'), group, t).minSize).toBe(55);
    }
  });
});

describe('runForecastCycle releasing a held floor', () => {
  const HELD = restoreActionName('web', true);
  /** The group at 11:30 after a held plan's first run (10:30), its MinSize lowered to 2 by hand at 10:32. */
  async function lowered(): Promise<MemoryPorts> {
    const ports = setup(30);
    await runForecastCycle(targets, ports, fixedClock());
    ports.advanceTo(NOW_SEC + 120);
    const g = ports.groupStates.get(GROUP);
    if (g !== undefined) ports.groupStates.set(GROUP, { ...g, minSize: 2 });
    const before = ports.ran.length;
    // 10:55: the plan's raise for the 11:00 block runs before the next run, at 11:30.
    ports.advanceTo(NOW_SEC + HOUR);
    expect(ports.ran.slice(before)).toEqual([
      expect.stringMatching(/^web-asg selfheal-web-2024-03-04T11:00:00Z min→(3\d|4\d|50) /),
    ]);
    expect(ports.groupStates.get(GROUP)?.minSize).toBeGreaterThanOrEqual(30);
    return ports;
  }

  it('keeps the floor when an action of the plan writes it back over a MinSize lowered by hand, and says how to release it', async () => {
    const ports = await lowered();
    const summary = await runForecastCycle(targets, ports, fixedClock(NOW_SEC + HOUR));
    const baseline = summary.records[0]?.actions?.baseline;
    expect(baseline).toMatchObject({ minSize: 30, source: 'group' });
    expect(baseline?.release).toContain(
      `delete every scheduled action of target web pending on Auto Scaling group ${GROUP} (${HELD} and each selfheal-web-<block start, ISO 8601 UTC>), then set the group's MinSize to minCapacity 2`,
    );
  });

  it('plans on the MinSize set as the release says, even after two days of untrusted runs that write nothing', async () => {
    // Arrange: the floor 30 held from 10:30; the load metric's last point is 09:00, so the runs
    // until 14:30 still plan, and every run from 15:30 on is untrusted (history > 6 h old).
    // Deleting only the held restore would leave the plan's raises without their return: the last
    // raise (47) would stay in force and be held as the floor by the next trusted run.
    const web = target({ maxCapacity: 60, horizonHours: 48 });
    const ports = setup(30);
    let release = '';
    for (let t = NOW_SEC; t <= NOW_SEC + 4 * HOUR; t += HOUR) {
      ports.advanceTo(t);
      const run = await runForecastCycle([web], ports, fixedClock(t));
      expect(run.records[0]?.status).toBe('scaled');
      release = run.records[0]?.actions?.baseline.release ?? '';
    }
    expect(release).toContain(
      `delete every scheduled action of target web pending on Auto Scaling group ${GROUP} (${HELD} and each selfheal-web-<block start, ISO 8601 UTC>), then set the group's MinSize to minCapacity 2`,
    );
    // 15:02: the operator follows the release text.
    ports.advanceTo(NOW_SEC + 4 * HOUR + 32 * 60);
    ports.actions.set(
      GROUP,
      (ports.actions.get(GROUP) ?? []).filter((a) => !a.name.startsWith('selfheal-web-')),
    );
    const g = ports.groupStates.get(GROUP);
    if (g !== undefined) ports.groupStates.set(GROUP, { ...g, minSize: 2 });
    for (let t = NOW_SEC + 5 * HOUR; t <= NOW_SEC + 54 * HOUR; t += HOUR) {
      ports.advanceTo(t);
      const run = await runForecastCycle([web], ports, fixedClock(t));
      expect(run.records[0]?.status).toBe('untrusted');
    }

    // Act: the metric is back (its gap aged out of the lookback) and the run is trusted.
    const backSec = NOW_SEC + 55 * HOUR;
    ports.advanceTo(backSec);
    ports.histories.set('web', { ok: true, value: dailyHistory(backSec, HOUR, 14, 200, 5000) });
    const summary = await runForecastCycle([web], ports, fixedClock(backSec));

    // Assert
    expect(summary.records[0]?.status).toBe('scaled');
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 2, source: 'config' });
  });

  it('plans on minCapacity once the held restore is deleted, whatever the plan wrote since', async () => {
    const ports = await lowered();
    ports.actions.set(
      GROUP,
      (ports.actions.get(GROUP) ?? []).filter((a) => a.name !== HELD),
    );
    const summary = await runForecastCycle(targets, ports, fixedClock(NOW_SEC + HOUR));
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 2, source: 'config' });
    expect(summary.records[0]?.actions?.baseline.release).toBeUndefined();
    expect(ports.ownActions(GROUP, 'web').find((a) => a.name === restoreActionName('web'))?.minSize).toBe(2);
    expect(ports.ownActions(GROUP, 'web').some((a) => a.name === HELD)).toBe(false);
  });

  it('says nothing of the floor in a run whose forecast is untrusted: it reads and writes no action, and the held restore stays', async () => {
    // Arrange: the floor 30 held from 10:30; the load metric's last point is 09:00.
    const ports = setup(30);
    const first = await runForecastCycle(targets, ports, fixedClock());
    expect(first.records[0]?.actions?.baseline.release).toContain('floor 30 is held');
    const later = NOW_SEC + 6 * HOUR; // 16:30: the history is 7.5 h old
    ports.advanceTo(later);

    // Act
    const summary = await runForecastCycle(targets, ports, fixedClock(later));

    // Assert: README step 8 says the release is logged by every run that writes the plan, only.
    expect(summary.records[0]?.status).toBe('untrusted');
    expect(summary.records[0]?.actions).toBeUndefined();
    expect(ports.ownActions(GROUP, 'web').some((a) => a.name === HELD)).toBe(true);
  });

  it('says how to release a floor with nothing of the target on the group: MinSize alone', async () => {
    // A floor above every block: nothing to write, so the MinSize a person sets is read as it is.
    const ports = setup(55);
    const summary = await runForecastCycle(targets, ports, fixedClock());
    expect(ports.ownActions(GROUP, 'web')).toEqual([]);
    expect(summary.records[0]?.actions?.baseline.release).toBe(
      "floor 55 is held until it is released: set the group's MinSize to minCapacity 2 (or another floor you want held); no action of this target is on the group to write the floor back, so the next run reads it",
    );
  });
});

describe('runForecastCycle when forecastAndScale moves to another target of the group', () => {
  const api = target({ id: 'api', maxCapacity: 60 });

  it('plans the new target on minCapacity, not on the raise the previous target’s plan left in force, and leaves that plan alone', async () => {
    const ports = setup(2);
    await runForecastCycle(targets, ports, fixedClock());
    ports.advanceTo(NOW_SEC + HOUR);
    const raised = ports.groupStates.get(GROUP)?.minSize ?? 0;
    expect(raised).toBeGreaterThan(2);
    const webPlan = ports.ownActions(GROUP, 'web');
    ports.histories.set('api', { ok: true, value: dailyHistory(NOW_SEC, 3600, 14, 200, 5000) });

    const summary = await runForecastCycle([api], ports, fixedClock(NOW_SEC + HOUR));

    const actions = summary.records[0]?.actions;
    expect(actions?.baseline).toMatchObject({ minSize: 2, source: 'config' });
    expect(actions?.baseline.reason).toContain(`may be that plan's own`);
    expect(ports.ownActions(GROUP, 'api').some((a) => a.name === restoreActionName('api'))).toBe(true);
    expect(ports.ownActions(GROUP, 'web')).toEqual(webPlan);
    expect(actions?.otherPlans).toEqual([
      expect.stringContaining(
        `${webPlan.length} scheduled action(s) of forecaster target web are on the group (selfheal-web-…, the last selfheal-web-restore at`,
      ),
    ]);
  });

  it('keeps the floor the previous target held', async () => {
    const ports = setup(30);
    await runForecastCycle(targets, ports, fixedClock());
    ports.advanceTo(NOW_SEC + HOUR);
    ports.histories.set('api', { ok: true, value: dailyHistory(NOW_SEC, 3600, 14, 200, 5000) });
    const summary = await runForecastCycle([api], ports, fixedClock(NOW_SEC + HOUR));
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 30, source: 'group' });
    expect(
      ports.ownActions(GROUP, 'api').find((a) => a.name === restoreActionName('api', true))?.minSize,
    ).toBe(30);
  });

  it('names the previous target’s plan in the release once it writes its own, and following it lets the floor go', async () => {
    // Arrange: web held the operator's MinSize 30 (10:30); an hour later forecastAndScale is on
    // api, which inherits the floor and writes it into its own -restore-held, while web's plan
    // (its raises and its -restore-held) is still pending.
    const ports = setup(30);
    await runForecastCycle(targets, ports, fixedClock());
    ports.advanceTo(NOW_SEC + HOUR);
    ports.histories.set('api', { ok: true, value: dailyHistory(NOW_SEC, 3600, 14, 200, 5000) });
    const inherited = await runForecastCycle([api], ports, fixedClock(NOW_SEC + HOUR));
    expect(ports.ownActions(GROUP, 'api').some((a) => a.name === restoreActionName('api', true))).toBe(true);
    const release = inherited.records[0]?.actions?.baseline.release ?? '';
    expect(release).toContain(
      `delete every scheduled action of target api pending on Auto Scaling group ${GROUP} (${restoreActionName('api', true)} and each selfheal-api-<block start, ISO 8601 UTC>), and of target web (${restoreActionName('web', true)} and each selfheal-web-<block start, ISO 8601 UTC>), then set the group's MinSize to minCapacity 2`,
    );

    // Act: an operator does what it says, then web's raise due at 12:25 would have run; the
    // next run comes at 12:30.
    const byTarget = (id: string) => (a: { name: string }) => !a.name.startsWith(`selfheal-${id}-`);
    ports.actions.set(
      GROUP,
      (ports.actions.get(GROUP) ?? []).filter(byTarget('api')).filter(byTarget('web')),
    );
    const g = ports.groupStates.get(GROUP);
    if (g !== undefined) ports.groupStates.set(GROUP, { ...g, minSize: 2 });
    const next = NOW_SEC + 2 * HOUR;
    ports.advanceTo(next);
    ports.histories.set('api', { ok: true, value: dailyHistory(next, 3600, 14, 200, 5000) });
    const summary = await runForecastCycle([api], ports, fixedClock(next));

    // Assert: the floor is released.
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 2, source: 'config' });
    expect(summary.records[0]?.actions?.baseline.release).toBeUndefined();
  });

  it('names the previous target’s plan in the release, and lets the floor go when the MinSize is lowered below it', async () => {
    // Arrange: web held the operator's MinSize 30 (10:30); forecastAndScale then moved to api,
    // whose load needs at most 25. At 20:30 web's plan is back at 30, its next raises and
    // -restore-held pending, and api has nothing to write.
    const low = target({ id: 'api', maxCapacity: 60 });
    const ports = setup(30);
    await runForecastCycle(targets, ports, fixedClock());
    const evening = NOW_SEC + 10 * HOUR;
    ports.advanceTo(evening);
    ports.histories.set('api', { ok: true, value: dailyHistory(evening, HOUR, 14, 200, 2500) });
    const held = await runForecastCycle([low], ports, fixedClock(evening));
    const baseline = held.records[0]?.actions?.baseline;
    expect(baseline).toMatchObject({ minSize: 30, source: 'group', heldBy: restoreActionName('web', true) });
    expect(ports.ownActions(GROUP, 'api')).toEqual([]);
    expect(baseline?.release).toContain(
      `as target web's plan holds it: delete every scheduled action of target web pending on Auto Scaling group ${GROUP} (${restoreActionName('web', true)} and`,
    );
    // A person lowers the MinSize (no action of web runs before the next run).
    const g = ports.groupStates.get(GROUP);
    if (g !== undefined) ports.groupStates.set(GROUP, { ...g, minSize: 2 });

    // Act: the next run, an hour later.
    const next = evening + HOUR;
    ports.advanceTo(next);
    ports.histories.set('api', { ok: true, value: dailyHistory(next, HOUR, 14, 200, 2500) });
    const summary = await runForecastCycle([low], ports, fixedClock(next));

    // Assert: it plans on the MinSize set and does not raise the group back to 30 itself (web's
    // next action is due at 06:55 tomorrow).
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 2, source: 'config' });
    expect(ports.ownActions(GROUP, 'api').some((a) => a.name === restoreActionName('api', true))).toBe(false);
    ports.advanceTo(next + HOUR);
    expect(ports.groupStates.get(GROUP)?.minSize).toBeLessThan(30);
  });
});

describe('runForecastCycle on a group whose MaxSize is below minCapacity', () => {
  it('says in the baseline reason that, with honor, the restore returns to the MaxSize, not the floor it names', async () => {
    const ports = setup(2, 3);
    const summary = await runForecastCycle(
      [target({ minCapacity: 5, maxCapacity: 60 })],
      ports,
      fixedClock(),
    );
    const baseline = summary.records[0]?.actions?.baseline;
    // Every block is capped at MaxSize 3, the plan's return to its floor included.
    expect(ports.ownActions(GROUP, 'web').map((a) => a.minSize)).toEqual([3]);
    expect(baseline).toMatchObject({ minSize: 5, source: 'config' });
    expect(baseline?.reason).toBe(
      "no action of this target is pending and the group's MinSize is 2: the floor is minCapacity 5; the group's MaxSize 3 is below it and maxCapacityBreachBehavior is honor, so no action sets MinSize above 3 while that MaxSize holds (the restore included)",
    );
  });

  it('leaves the reason alone with increase, which raises MaxSize to the floor', async () => {
    const ports = setup(2, 3);
    const t = target({ minCapacity: 5, maxCapacity: 60, maxCapacityBreachBehavior: 'increase' });
    const summary = await runForecastCycle([t], ports, fixedClock());
    const restore = ports.ownActions(GROUP, 'web').find((a) => a.name === restoreActionName('web'));
    expect(restore?.minSize).toBe(5);
    expect(summary.records[0]?.actions?.baseline.reason).toBe(
      "no action of this target is pending and the group's MinSize is 2: the floor is minCapacity 5",
    );
  });
});
