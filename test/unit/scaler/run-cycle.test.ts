import { describe, expect, it } from 'vitest';
import { historyWindow, runForecastCycle } from '../../../lambdas/core/scaler';
import { dailyHistory, fixedClock, MemoryPorts, NOW_SEC, target } from './memory-ports';

function ok<T>(value: T) {
  return { ok: true as const, value };
}

function setup(ids: readonly string[], overrides: Record<string, unknown> = {}) {
  const ports = new MemoryPorts();
  const targets = ids.map((id) => target({ id, autoScalingGroupName: `${id}-asg`, ...overrides }));
  for (const t of targets) {
    ports.addGroup(t.autoScalingGroupName);
    ports.histories.set(t.id, ok(dailyHistory(NOW_SEC, t.periodSec, 14)));
  }
  return { ports, targets };
}

describe('runForecastCycle', () => {
  it('forecasts, schedules and publishes every trusted target, with one decision record each', async () => {
    const { ports, targets } = setup(['a', 'b']);
    const summary = await runForecastCycle(targets, ports, fixedClock());
    expect(summary).toMatchObject({ total: 2, succeeded: 2, failed: 0, untrusted: 0 });
    const rec = summary.records[0];
    expect(rec).toMatchObject({ targetId: 'a', status: 'scaled', trust: { trusted: true } });
    expect(rec?.model).toEqual(expect.any(String));
    expect(rec?.validationMase).toEqual(expect.any(Number));
    expect(rec?.planningBound).toBe('block-max');
    expect(rec?.plannedCapacities?.length).toBeGreaterThanOrEqual(24);
    expect(rec?.actions?.written.length).toBeGreaterThan(1);
    expect(ports.actions.get('a-asg')?.every((a) => a.name.startsWith('selfheal-a-'))).toBe(true);
    expect(new Set(ports.published.map((d) => d.metric))).toEqual(
      new Set([
        'LoadForecast',
        'LoadForecastUpper',
        'CapacityForecast',
        'CapacityForecastUpper',
        'ForecastTrusted',
      ]),
    );
    // Each forecast step carries its trust: these forecasts planned capacity.
    const trust = ports.published.filter((d) => d.metric === 'ForecastTrusted');
    expect(trust.length).toBe(ports.published.length / 5);
    expect(new Set(trust.map((d) => d.value))).toEqual(new Set([1]));
    expect(new Set(ports.published.map((d) => d.periodSec))).toEqual(new Set([3600]));
    // From the end of the history read (10:00 for a 10:30 run on hourly periods) to an hour ahead.
    const fromSec = historyWindow(targets[0] ?? target(), NOW_SEC).endSec;
    expect(new Set(ports.published.map((d) => d.tSec))).toEqual(new Set([fromSec, fromSec + 3600]));
  });

  it('records the upper bound as planned on when the target asks for it', async () => {
    const { ports, targets } = setup(['a'], { planningBound: 'upper' });
    const summary = await runForecastCycle(targets, ports, fixedClock());
    expect(summary.records[0]).toMatchObject({ status: 'scaled', planningBound: 'upper' });
    expect(summary.records[0]?.planningBoundFallback).toBeUndefined();
  });

  it('batches: one history read, one read-back and one publish for all targets; one group read each', async () => {
    const { ports, targets } = setup(['a', 'b', 'c']);
    await runForecastCycle(targets, ports, fixedClock());
    expect(ports.calls.filter((c) => c.startsWith('fetchHistory'))).toEqual(['fetchHistory(3)']);
    // Each group on its own, right after its actions are listed.
    const reads = ports.calls.filter((c) => c.startsWith('describeGroups') || c.startsWith('list'));
    expect(reads).toHaveLength(6);
    for (const g of ['a-asg', 'b-asg', 'c-asg']) {
      const list = reads.indexOf(`listScheduledActions(${g})`);
      expect(list).toBeGreaterThanOrEqual(0);
      expect(reads.indexOf(`describeGroups(${g})`)).toBeGreaterThan(list);
    }
    expect(ports.calls.filter((c) => c.startsWith('storedTimes'))).toEqual(['storedTimes(3)']);
    expect(ports.calls.filter((c) => c.startsWith('publish'))).toHaveLength(1);
  });

  it('writes no scaling actions in forecastOnly mode but still publishes', async () => {
    const { ports, targets } = setup(['a'], { mode: 'forecastOnly' });
    const summary = await runForecastCycle(targets, ports, fixedClock());
    expect(summary.records[0]?.status).toBe('forecastOnly');
    expect(
      ports.calls.some((c) => c.startsWith('put') || c.startsWith('delete') || c.startsWith('list')),
    ).toBe(false);
    // Its group is described only to check it for forecastAndScale.
    expect(ports.calls.filter((c) => c.startsWith('describe'))).toEqual(['describeGroups(a-asg)']);
    expect(summary.records[0]?.groupCheck).toEqual([]);
    expect(ports.published.length).toBeGreaterThan(0);
  });

  it('reports, without failing the target, what forecastAndScale would refuse or warn about on a forecastOnly group', async () => {
    // Arrange: a group sized in vCPUs, with Launch suspended; and an ordinary forecastAndScale one.
    const { ports, targets } = setup(['a', 'b'], { mode: 'forecastOnly' });
    const scaled = target({ id: 'c', autoScalingGroupName: 'c-asg' });
    ports.addGroup('c-asg');
    ports.histories.set('c', ok(dailyHistory(NOW_SEC, scaled.periodSec, 14)));
    const a = ports.groupStates.get('a-asg');
    if (a === undefined) throw new Error('a-asg not set up');
    ports.groupStates.set('a-asg', {
      ...a,
      desiredCapacityType: 'vcpu',
      suspendedProcesses: [
        { processName: 'Launch', suspensionReason: 'User suspended at 2024-03-04T09:12:45Z' },
      ],
    });

    // Act
    const summary = await runForecastCycle([...targets, scaled], ports, fixedClock());

    // Assert: one batched read of the forecastOnly groups; nothing written to them.
    expect(summary).toMatchObject({ total: 3, succeeded: 3, failed: 0 });
    expect(summary.records[0]).toMatchObject({ targetId: 'a', status: 'forecastOnly' });
    expect(summary.records[0]?.groupCheck).toEqual([
      expect.stringMatching(
        /^in forecastAndScale the group would be refused and nothing written \(failedStage group\): DesiredCapacityType "vcpu": /,
      ),
      expect.stringMatching(
        /^in forecastAndScale the plan would be written with a warning: SuspendedProcesses includes Launch \(SuspensionReason "User suspended at 2024-03-04T09:12:45Z"\): /,
      ),
    ]);
    expect(summary.records[1]?.groupCheck).toEqual([]);
    expect(summary.records[2]?.groupCheck).toBeUndefined();
    expect(
      ports.calls.filter((c) => c.startsWith('describeGroups(a-asg') || c.startsWith('describeGroups(b-asg')),
    ).toEqual(['describeGroups(a-asg,b-asg)']);
    expect(ports.calls.filter((c) => /^(list|put|delete)\w*\([ab]-asg/.test(c))).toEqual([]);
    expect(ports.calls).toContain('listScheduledActions(c-asg)');
  });

  it('re-running replaces its own actions without duplicates', async () => {
    const { ports, targets } = setup(['a']);
    await runForecastCycle(targets, ports, fixedClock());
    const first = ports.actions.get('a-asg')?.map((a) => a.name);
    const summary = await runForecastCycle(targets, ports, fixedClock());
    expect(ports.actions.get('a-asg')?.map((a) => a.name)).toEqual(first);
    expect(summary.records[0]?.actions).toMatchObject({ written: [], deleted: [] });
  });

  it.each([6, 40])(
    'with increase never writes or leaves a MaxSize below the group MaxSize %i it started with',
    async (groupMaxSize) => {
      const { ports, targets } = setup(['a'], { maxCapacityBreachBehavior: 'increase', maxCapacity: 6 });
      ports.addGroup('a-asg', 2, groupMaxSize);
      await runForecastCycle(targets, ports, fixedClock());
      const written = (ports.actions.get('a-asg') ?? []).flatMap((a) =>
        a.maxSize === undefined ? [] : [a.maxSize],
      );
      expect(written.every((m) => m > groupMaxSize)).toBe(true);
      const maxima: number[] = [];
      for (let t = NOW_SEC; t <= NOW_SEC + 26 * 3600; t += 300) {
        ports.advanceTo(t);
        maxima.push(ports.groupStates.get('a-asg')?.maxSize ?? 0);
      }
      expect(maxima.every((m, i) => m >= groupMaxSize && m >= (maxima[i - 1] ?? m))).toBe(true);
      expect(Math.max(...maxima)).toBe(groupMaxSize === 6 ? 11 : 40);
    },
  );

  it('counts action lead time from the write, not from the start of a long run', async () => {
    const { ports, targets } = setup(['a']);
    const times = [NOW_SEC, NOW_SEC + 1800];
    const clock = { nowSec: () => times.shift() ?? NOW_SEC + 1800 };
    await runForecastCycle(targets, ports, clock);
    const starts = (ports.actions.get('a-asg') ?? []).map((a) => a.startTimeSec ?? 0);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(NOW_SEC + 1800 + 60);
  });

  it('puts blocks and action names on clock hours for 5-minute history', async () => {
    const { ports, targets } = setup(['a'], { periodSec: 300, horizonHours: 12 });
    const now = NOW_SEC + 25 * 60; // 10:55
    await runForecastCycle(targets, ports, fixedClock(now));
    const names = (ports.actions.get('a-asg') ?? [])
      .map((a) => a.name)
      .filter((n) => n !== 'selfheal-a-restore');
    expect(names.length).toBeGreaterThan(1);
    expect(names.every((n) => n.endsWith(':00:00Z'))).toBe(true);
  });

  it('leaves foreign scheduled actions alone', async () => {
    const { ports, targets } = setup(['a']);
    ports.actions.set('a-asg', [{ name: 'nightly-batch', startTimeSec: NOW_SEC + 7200, minSize: 9 }]);
    const summary = await runForecastCycle(targets, ports, fixedClock());
    expect(ports.actions.get('a-asg')?.[0]).toEqual({
      name: 'nightly-batch',
      startTimeSec: NOW_SEC + 7200,
      minSize: 9,
    });
    expect(summary.records[0]?.actions?.foreign).toBe(1);
  });

  it.each([
    {
      name: 'too little history',
      history: dailyHistory(NOW_SEC, 3600, 0.75),
      reason: /history/,
    },
    {
      name: 'PartialData after every page',
      history: { ...dailyHistory(NOW_SEC, 3600, 14), partial: true, statusCodes: ['PartialData'] },
      reason: /PartialData/,
    },
    {
      name: 'a GetMetricData call CloudWatch executed only in part',
      history: {
        ...dailyHistory(NOW_SEC, 3600, 14),
        partial: true,
        messages: [
          'the GetMetricData call was executed only in part: Maximum number of allowed metrics exceeded',
        ],
      },
      reason:
        /incomplete; it said: the GetMetricData call was executed only in part: Maximum number of allowed metrics exceeded/,
    },
    {
      name: 'a long gap',
      history: {
        ...dailyHistory(NOW_SEC, 3600, 14),
        points: dailyHistory(NOW_SEC, 3600, 14).points.filter((_, i) => i < 100 || i > 110),
      },
      reason: /gap of 11\.0 h/,
    },
    {
      name: 'a history that stopped three days ago',
      history: dailyHistory(NOW_SEC - 3 * 86_400, 3600, 11),
      reason: /history stopped: the last point \(2024-03-01T09:00:00Z\) is 73\.5 h old/,
    },
  ])('does not scale on $name and says why', async ({ history, reason }) => {
    const { ports, targets } = setup(['a']);
    ports.histories.set('a', ok(history));
    const summary = await runForecastCycle(targets, ports, fixedClock());
    expect(summary).toMatchObject({ untrusted: 1, failed: 0, succeeded: 0 });
    expect(summary.records[0]?.trust?.reason).toMatch(reason);
    expect(summary.records[0]?.plannedCapacities).toEqual([]);
    expect(summary.records[0]?.planningBound).toBeUndefined();
    expect(ports.calls.some((c) => c.startsWith('put'))).toBe(false);
    // The forecast is still published, marked untrusted at every step so the dashboard says so.
    const trust = ports.published.filter((d) => d.metric === 'ForecastTrusted');
    expect(trust.length).toBeGreaterThan(0);
    expect(new Set(trust.map((d) => d.value))).toEqual(new Set([0]));
  });

  it.each([
    {
      name: 'its history read failed',
      arrange: (p: MemoryPorts) => p.histories.set('b', { ok: false, error: 'Throttling: Rate exceeded' }),
      stage: 'history',
      publishRan: false,
    },
    {
      name: 'its group is missing',
      arrange: (p: MemoryPorts) => p.groupStates.delete('b-asg'),
      stage: 'group',
      publishRan: true,
    },
    {
      name: 'its action writes throw',
      arrange: (p: MemoryPorts) => p.throwOnWrite.add('b-asg'),
      stage: 'actions',
      publishRan: true,
    },
    {
      name: 'its history cannot be regularized',
      arrange: (p: MemoryPorts) =>
        p.histories.set(
          'b',
          ok({ points: [{ tSec: 1, value: 1 }], partial: false, statusCodes: [], messages: [] }),
        ),
      stage: 'forecast',
      publishRan: false,
    },
  ])('fails only the target whose $name', async ({ arrange, stage, publishRan }) => {
    const { ports, targets } = setup(['a', 'b', 'c']);
    arrange(ports);
    const summary = await runForecastCycle(targets, ports, fixedClock());
    expect(summary).toMatchObject({ succeeded: 2, failed: 1 });
    expect(summary.records[1]).toMatchObject({ targetId: 'b', status: 'failed', failedStage: stage });
    expect(summary.records[1]?.error).toEqual(expect.any(String));
    // A target failed before it had a forecast never reached publishing: no counts, not zeros.
    expect(summary.records[1]?.publishedPoints !== undefined).toBe(publishRan);
    expect(summary.records[1]?.alreadyPublishedPoints !== undefined).toBe(publishRan);
  });

  it('fails every target when publishing fails', async () => {
    const { ports, targets } = setup(['a', 'b'], { mode: 'forecastOnly' });
    ports.publishFails = true;
    const summary = await runForecastCycle(targets, ports, fixedClock());
    expect(summary).toMatchObject({ failed: 2, succeeded: 0 });
    expect(summary.records.every((r) => r.failedStage === 'publish')).toBe(true);
  });
});
