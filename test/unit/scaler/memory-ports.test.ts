import { describe, expect, it } from 'vitest';
import { MemoryPorts, NOW_SEC, START_TIME_TAKEN } from './memory-ports';

const G = 'web-asg';

function ports(): MemoryPorts {
  const p = new MemoryPorts();
  p.addGroup(G, 2, 20);
  return p;
}

describe('MemoryPorts scheduled actions', () => {
  it('updates an action by name and leaves the sizes a put does not specify unchanged', async () => {
    const p = ports();
    await p.actuator.putScheduledActions(G, [
      { name: 'a', startTimeSec: NOW_SEC + 600, minSize: 5, maxSize: 30 },
    ]);
    await p.actuator.putScheduledActions(G, [{ name: 'a', startTimeSec: NOW_SEC + 900, minSize: 4 }]);
    expect(p.actions.get(G)).toEqual([{ name: 'a', startTimeSec: NOW_SEC + 900, minSize: 4, maxSize: 30 }]);
  });

  it('fails an item that starts in the past or does not fit the quota of 125, and writes the others', async () => {
    const p = ports();
    p.actions.set(
      G,
      Array.from({ length: 124 }, (_, i) => ({
        name: `other-${i}`,
        startTimeSec: NOW_SEC + 3600,
        minSize: 1,
      })),
    );
    const res = await p.actuator.putScheduledActions(G, [
      { name: 'past', startTimeSec: NOW_SEC, minSize: 3 },
      { name: 'fits', startTimeSec: NOW_SEC + 60, minSize: 3 },
      { name: 'over', startTimeSec: NOW_SEC + 120, minSize: 3 },
    ]);
    expect(res.failed.map((f) => f.name)).toEqual(['past', 'over']);
    expect(res.failed[1]?.error).toMatch(/^LimitExceeded/);
    expect(p.actions.get(G)?.length).toBe(125);
  });

  it('reports injected item failures and leaves those items as they were', async () => {
    const p = ports();
    p.actions.set(G, [{ name: 'keep', startTimeSec: NOW_SEC + 600, minSize: 3 }]);
    p.failPut = (s) => (s.name === 'b' ? 'ResourceContention: busy' : undefined);
    p.failDelete = (n) => (n === 'keep' ? 'ResourceContention: busy' : undefined);
    const put = await p.actuator.putScheduledActions(G, [
      { name: 'a', startTimeSec: NOW_SEC + 900, minSize: 4 },
      { name: 'b', startTimeSec: NOW_SEC + 1200, minSize: 5 },
    ]);
    const del = await p.actuator.deleteScheduledActions(G, ['keep', 'a']);
    expect(put.failed).toEqual([{ name: 'b', error: 'ResourceContention: busy' }]);
    expect(del.failed).toEqual([{ name: 'keep', error: 'ResourceContention: busy' }]);
    expect(p.actions.get(G)?.map((a) => a.name)).toEqual(['keep']);
  });

  it('fails an item whose start time another action of the group holds, items of one call taken in order', async () => {
    const p = ports();
    p.actions.set(G, [{ name: 'user', startTimeSec: NOW_SEC + 600, minSize: 3 }]);
    const res = await p.actuator.putScheduledActions(G, [
      { name: 'a', startTimeSec: NOW_SEC + 600, minSize: 4 },
      { name: 'b', startTimeSec: NOW_SEC + 900, minSize: 4 },
      { name: 'c', startTimeSec: NOW_SEC + 900, minSize: 5 },
      { name: 'user', startTimeSec: NOW_SEC + 600, minSize: 6 },
    ]);
    expect(res.failed).toEqual([
      { name: 'a', error: START_TIME_TAKEN },
      { name: 'c', error: START_TIME_TAKEN },
    ]);
    // The same action at its own time is an update, and another group holds no time of this one.
    p.addGroup('other-asg');
    await p.actuator.putScheduledActions('other-asg', [
      { name: 'a', startTimeSec: NOW_SEC + 600, minSize: 4 },
    ]);
    expect(p.actions.get(G)).toEqual([
      { name: 'user', startTimeSec: NOW_SEC + 600, minSize: 6 },
      { name: 'b', startTimeSec: NOW_SEC + 900, minSize: 4 },
    ]);
    expect(p.actions.get('other-asg')).toHaveLength(1);
  });

  it.each([
    ['put', 'throwOnPut'],
    ['delete', 'throwOnDelete'],
  ] as const)('throws on %s when asked to', async (call, flag) => {
    const p = ports();
    p[flag].add(G);
    const write =
      call === 'put'
        ? p.actuator.putScheduledActions(G, [{ name: 'a', startTimeSec: NOW_SEC + 600, minSize: 4 }])
        : p.actuator.deleteScheduledActions(G, ['a']);
    await expect(write).rejects.toThrow('Rate exceeded');
  });

  it('runs due actions in time order on the group and no longer lists them', async () => {
    const p = ports();
    p.actions.set(G, [
      { name: 'late', startTimeSec: NOW_SEC + 1200, minSize: 3 },
      { name: 'early', startTimeSec: NOW_SEC + 600, minSize: 9, maxSize: 40 },
      { name: 'future', startTimeSec: NOW_SEC + 7200, minSize: 5 },
    ]);
    p.advanceTo(NOW_SEC + 1800);
    expect(p.groupStates.get(G)).toMatchObject({ minSize: 3, maxSize: 40, desiredCapacity: 9 });
    expect(p.ran).toEqual([`${G} early min→9 max→40`, `${G} late min→3 max→40`]);
    expect((await p.groups.listScheduledActions(G)).map((a) => a.name)).toEqual(['future']);
    expect(p.nowSec).toBe(NOW_SEC + 1800);
  });
});
