import { describe, expect, it } from 'vitest';
import {
  actionName,
  restoreActionName,
  runForecastCycle,
  type ScheduledActionState,
} from '../../../lambdas/core/scaler';
import type { ScalingTarget } from '../../../lib/config/schema';
import { dailyHistory, fixedClock, MemoryPorts, NOW_SEC, target } from './memory-ports';
import { minutes, sizesAt } from './plan-fixtures';

const HOUR = 3600;
const GROUP = 'web-asg';
const RESTORE = restoreActionName('web');

function setup(): { ports: MemoryPorts; targets: ScalingTarget[] } {
  const ports = new MemoryPorts();
  ports.addGroup(GROUP, 2, 20);
  ports.histories.set('web', { ok: true, value: dailyHistory(NOW_SEC, 3600, 14) });
  return { ports, targets: [target()] };
}

/**
 * Runs at NOW_SEC, lets an hour pass (the actions due run on the group) and feeds the next run an
 * hour more of history: the same daily cycle, or with `shifted` a lower one, so that the next plan
 * drops most earlier actions and writes new ones.
 */
async function runThenWaitAnHour(
  ports: MemoryPorts,
  targets: readonly ScalingTarget[],
  shifted = false,
): Promise<void> {
  await runForecastCycle(targets, ports, fixedClock(NOW_SEC));
  ports.advanceTo(NOW_SEC + HOUR);
  const [low, high] = shifted ? [150, 650] : [200, 1000];
  ports.histories.set('web', { ok: true, value: dailyHistory(NOW_SEC + HOUR, 3600, 14, low, high) });
}

/**
 * The target's restore exists, sets the baseline and runs after each of its other actions; once
 * everything has run the group is back at the baseline.
 */
function expectRestoreAfterEverything(ports: MemoryPorts, baseline = 2): void {
  const actions = ports.ownActions(GROUP, 'web');
  const restore = actions.find((a) => a.name === RESTORE);
  expect(restore).toMatchObject({ minSize: baseline });
  expect(restore?.maxSize).toBeUndefined();
  const raised = actions.filter((a) => a !== restore && (a.minSize ?? 0) > baseline);
  expect(raised.length).toBeGreaterThan(0);
  const others = actions.filter((a) => a !== restore).map((a) => a.startTimeSec ?? 0);
  expect(restore?.startTimeSec).toBeGreaterThan(Math.max(...others));
  ports.advanceTo((restore?.startTimeSec ?? 0) + 1);
  expect(ports.groupStates.get(GROUP)?.minSize).toBe(baseline);
  expect(ports.ownActions(GROUP, 'web')).toEqual([]);
}

describe('runForecastCycle re-run an hour later', () => {
  it.each([
    { shifted: false, change: 'the same daily cycle', written: [RESTORE] },
    { shifted: true, change: 'a lower daily cycle', written: undefined },
  ])(
    'replaces its own actions without duplicates and covers every new block, after $change',
    async ({ shifted, written }) => {
      const { ports, targets } = setup();
      await runThenWaitAnHour(ports, targets, shifted);
      const now = NOW_SEC + HOUR;
      const summary = await runForecastCycle(targets, ports, fixedClock(now));
      const record = summary.records[0];
      expect(record?.status).toBe('scaled');
      if (written !== undefined) expect(record?.actions).toMatchObject({ written, deleted: [] });
      const names = ports.ownActions(GROUP, 'web').map((a) => a.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names.filter((n) => n === RESTORE)).toHaveLength(1);
      const group = ports.groupStates.get(GROUP) ?? { minSize: 0, maxSize: 0 };
      const firstBlockSec = NOW_SEC + 30 * 60; // 11:00, in progress
      (record?.plannedCapacities ?? []).forEach((floor, i) => {
        const start = firstBlockSec + i * HOUR;
        for (const t of minutes(Math.max(start, now + 60), start + HOUR)) {
          expect(sizesAt(ports.ownActions(GROUP, 'web'), group, t).minSize).toBeGreaterThanOrEqual(floor);
        }
      });
      expectRestoreAfterEverything(ports);
    },
  );

  it('leaves the earlier restore after every action when its puts throw', async () => {
    const { ports, targets } = setup();
    await runThenWaitAnHour(ports, targets, true);
    ports.throwOnPut.add(GROUP);
    const summary = await runForecastCycle(targets, ports, fixedClock(NOW_SEC + HOUR));
    expect(summary.records[0]).toMatchObject({ status: 'failed', failedStage: 'actions' });
    expect(ports.calls.filter((c) => c.startsWith('delete')).length).toBe(0);
    expectRestoreAfterEverything(ports);
  });

  it('leaves a restore after every action when its deletes throw', async () => {
    const { ports, targets } = setup();
    await runThenWaitAnHour(ports, targets, true);
    ports.throwOnDelete.add(GROUP);
    const summary = await runForecastCycle(targets, ports, fixedClock(NOW_SEC + HOUR));
    expect(summary.records[0]).toMatchObject({ status: 'failed', failedStage: 'actions' });
    expectRestoreAfterEverything(ports);
  });

  it('leaves a restore after every action when every delete fails in FailedScheduledActions', async () => {
    const { ports, targets } = setup();
    await runThenWaitAnHour(ports, targets, true);
    ports.failDelete = () => 'ResourceContention: pending update';
    const summary = await runForecastCycle(targets, ports, fixedClock(NOW_SEC + HOUR));
    expect(summary.records[0]?.status).toBe('failed');
    expectRestoreAfterEverything(ports);
  });

  it('writes nothing else when the restore comes back in FailedScheduledUpdateGroupActions', async () => {
    const { ports, targets } = setup();
    await runThenWaitAnHour(ports, targets);
    const before = ports.ownActions(GROUP, 'web');
    ports.failPut = (a) => (a.name === RESTORE ? 'LimitExceeded: quota' : undefined);
    const summary = await runForecastCycle(targets, ports, fixedClock(NOW_SEC + HOUR));
    expect(summary.records[0]).toMatchObject({ status: 'failed', failedStage: 'actions' });
    expect(summary.records[0]?.actions).toMatchObject({ written: [], deleted: [] });
    expect(ports.ownActions(GROUP, 'web')).toEqual(before);
    expectRestoreAfterEverything(ports);
  });

  it('keeps the restore when a block action comes back in FailedScheduledUpdateGroupActions', async () => {
    const { ports, targets } = setup();
    await runThenWaitAnHour(ports, targets, true);
    ports.failPut = (a) => (a.name !== RESTORE ? 'ResourceContention: busy' : undefined);
    const summary = await runForecastCycle(targets, ports, fixedClock(NOW_SEC + HOUR));
    expect(summary.records[0]?.status).toBe('failed');
    expect(summary.records[0]?.actions?.written).toContain(RESTORE);
    expectRestoreAfterEverything(ports);
  });
});

describe('runForecastCycle after the plan got shorter', () => {
  it('puts the restore after the longer plan it could not delete, and still returns on time', async () => {
    const { ports, targets } = setup();
    await runThenWaitAnHour(ports, targets);
    const longest = Math.max(
      ...ports
        .ownActions(GROUP, 'web')
        .filter((a) => a.name !== RESTORE)
        .map((a) => a.startTimeSec ?? 0),
    );
    ports.failDelete = () => 'ResourceContention: pending update';
    const shorter = [target({ horizonHours: 6 })];
    await runForecastCycle(shorter, ports, fixedClock(NOW_SEC + HOUR));
    const restore = ports.ownActions(GROUP, 'web').find((a) => a.name === RESTORE);
    expect(restore?.startTimeSec).toBeGreaterThan(longest);
    const planEnd = NOW_SEC + 30 * 60 + 7 * HOUR; // blocks from 11:00 (in progress) to 18:00
    expect(ports.ownActions(GROUP, 'web').some((a) => a.startTimeSec === planEnd && a.minSize === 2)).toBe(
      true,
    );
    expectRestoreAfterEverything(ports);
  });
});

describe('runForecastCycle over a plan written before the restore had a fixed name', () => {
  /** The old layout: one action per change, the last one back to the baseline named after its block. */
  function olderPlan(): ScheduledActionState[] {
    const start = NOW_SEC + 30 * 60; // 11:00
    return [
      { name: actionName('web', start), startTimeSec: start - 300, minSize: 6, maxSize: 20 },
      {
        name: actionName('web', start + 5 * HOUR),
        startTimeSec: start + 5 * HOUR - 300,
        minSize: 9,
        maxSize: 20,
      },
      {
        name: actionName('web', start + 30 * HOUR),
        startTimeSec: start + 30 * HOUR - 300,
        minSize: 2,
        maxSize: 20,
      },
    ];
  }

  it('deletes the old block-named restore only once the new restore is written after it', async () => {
    const { ports, targets } = setup();
    ports.actions.set(GROUP, olderPlan());
    ports.failDelete = () => 'ResourceContention: pending update';
    await runForecastCycle(targets, ports, fixedClock(NOW_SEC));
    const oldRestore = olderPlan()[2];
    expect(ports.ownActions(GROUP, 'web').find((a) => a.name === oldRestore?.name)).toEqual(oldRestore);
    expectRestoreAfterEverything(ports);
  });

  it('clears the MaxSize those actions held: no action left writes one', async () => {
    const { ports, targets } = setup();
    ports.actions.set(GROUP, olderPlan());
    await runForecastCycle(targets, ports, fixedClock(NOW_SEC));
    expect(ports.ownActions(GROUP, 'web').every((a) => a.maxSize === undefined)).toBe(true);
    expectRestoreAfterEverything(ports);
  });
});
