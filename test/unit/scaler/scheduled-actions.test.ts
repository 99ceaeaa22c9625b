import { describe, expect, it } from 'vitest';
import {
  actionName,
  alignToBlocks,
  desiredActions,
  forecasterActionOf,
  freeSlots,
  isOwnAction,
  OWNER_RESERVED_SLOTS,
  reconcileActions,
  SCHEDULED_ACTIONS_PER_GROUP,
} from '../../../lambdas/core/scaler';
import { blocks, bounds, H, NOW, T0 } from './plan-fixtures';

describe('actionName / isOwnAction', () => {
  it.each([
    ['selfheal-web-2024-03-04T11:00:00Z', 'web', true],
    ['selfheal-web-api-2024-03-04T11:00:00Z', 'web', false],
    ['selfheal-web-api-2024-03-04T11:00:00Z', 'web-api', true],
    ['selfheal-web-nightly', 'web', false],
    ['selfheal-web-restore', 'web', true],
    ['selfheal-web-restore', 'web-restore', false],
    ['selfheal-web-restore-2024-03-04T11:00:00Z', 'web', false],
    ['selfheal-web-restore-2024-03-04T11:00:00Z', 'web-restore', true],
    ['selfheal-web-api-restore', 'web', false],
    ['my-own-action', 'web', false],
  ])('%s belongs to %s: %s', (name, id, own) => {
    expect(isOwnAction(name, id)).toBe(own);
  });

  it('names a block by its ISO start, to the second', () => {
    expect(actionName('web', T0)).toBe('selfheal-web-2024-03-04T11:00:00Z');
  });
});

describe('reconcileActions', () => {
  const desired = desiredActions(blocks([4, 6]), bounds, NOW).actions;

  it('puts new actions, deletes own stale ones and never touches foreign ones', () => {
    const existing = [
      { name: 'nightly-batch', startTimeSec: T0, minSize: 8 },
      { name: 'selfheal-web-api-2024-03-04T09:00:00Z', startTimeSec: T0, minSize: 3 },
      { name: actionName('web', T0 - 5 * H), startTimeSec: T0 + 30 * H, minSize: 9 },
    ];
    const changes = reconcileActions(desired, existing, 'web');
    expect([changes.restore, ...changes.put].map((a) => a?.name)).toEqual([
      'selfheal-web-restore',
      ...desired.slice(0, -1).map((a) => a.name),
    ]);
    expect(changes.remove).toEqual([actionName('web', T0 - 5 * H)]);
    expect(changes.removeFirst).toEqual([]);
    expect(changes.foreign).toBe(2);
  });

  it('updates the restore in place and never deletes it as stale', () => {
    const existing = [{ name: 'selfheal-web-restore', startTimeSec: T0 + 40 * H, minSize: 2 }];
    const changes = reconcileActions(desired, existing, 'web');
    expect(changes.restore).toMatchObject({ name: 'selfheal-web-restore', startTimeSec: T0 + 2 * H });
    expect(changes.remove).toEqual([]);
  });

  it('deletes the earliest stale action first when the quota has no slot for a new restore', () => {
    const foreign = Array.from({ length: 122 }, (_, i) => ({
      name: `other-${i}`,
      startTimeSec: T0,
      minSize: 1,
    }));
    const stale = [
      { name: actionName('web', T0 + 9 * H), startTimeSec: T0 + 9 * H, minSize: 2 },
      { name: actionName('web', T0 + 5 * H), startTimeSec: T0 + 5 * H, minSize: 7 },
      { name: actionName('web', T0 + 7 * H), startTimeSec: T0 + 7 * H, minSize: 7 },
    ];
    const changes = reconcileActions(desired, [...foreign, ...stale], 'web');
    expect(changes.removeFirst).toEqual([actionName('web', T0 + 5 * H)]);
    expect(changes.remove).toEqual([actionName('web', T0 + 7 * H), actionName('web', T0 + 9 * H)]);
  });

  it('deletes and writes anew an action holding a MaxSize the plan no longer sets (a put keeps it)', () => {
    const [first] = desired;
    if (first === undefined) throw new Error('no action');
    const changes = reconcileActions(desired, [{ ...first, maxSize: 20 }], 'web');
    expect(changes.remove).toEqual([first.name]);
    expect(changes.put.map((a) => a.name)).toContain(first.name);
  });

  it('leaves identical actions alone on a re-run', () => {
    const existing = desired.map((a) => ({ ...a }));
    const changes = reconcileActions(desired, existing, 'web');
    expect(changes).toMatchObject({ put: [], remove: [], unchanged: desired.length });
  });
});

describe('freeSlots', () => {
  const others = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `other-${i}` }));
  const mine = (n: number) => Array.from({ length: n }, (_, i) => ({ name: actionName('web', T0 + i * H) }));

  it('counts foreign actions against the quota and leaves the owner a few slots', () => {
    expect(OWNER_RESERVED_SLOTS).toBe(5);
    expect(freeSlots([], 'web')).toBe(SCHEDULED_ACTIONS_PER_GROUP - 5);
    expect(freeSlots(others(100), 'web')).toBe(SCHEDULED_ACTIONS_PER_GROUP - 100 - 5);
    // The target's own actions are its to replace: they do not shrink the plan.
    expect(freeSlots([...others(100), ...mine(20)], 'web')).toBe(SCHEDULED_ACTIONS_PER_GROUP - 100 - 5);
  });

  it('takes nothing of the reserve for a target with nothing on the group', () => {
    expect(freeSlots(others(120), 'web')).toBe(0);
    expect(freeSlots(others(124), 'web')).toBe(0);
  });

  it('keeps one slot for the restore of a target whose actions are on the group, while the quota has room', () => {
    expect(freeSlots([...others(122), ...mine(3)], 'web')).toBe(1);
    expect(freeSlots([...others(124), ...mine(1)], 'web')).toBe(1);
    expect(freeSlots([...others(125), ...mine(1)], 'web')).toBe(0);
  });
});

describe('forecasterActionOf', () => {
  it.each([
    ['selfheal-web-2024-03-04T11:00:00Z', { targetId: 'web', kind: 'block' }],
    ['selfheal-web-api-2024-03-04T11:00:00Z', { targetId: 'web-api', kind: 'block' }],
    ['selfheal-web-restore', { targetId: 'web', kind: 'restore' }],
    ['selfheal-web-restore-held', { targetId: 'web', kind: 'held' }],
    ['selfheal-x-restore-restore', { targetId: 'x-restore', kind: 'restore' }],
    ['selfheal-x-restore-restore-held', { targetId: 'x-restore', kind: 'held' }],
    ['selfheal-x-restore-2024-03-04T11:00:00Z', { targetId: 'x-restore', kind: 'block' }],
    ['selfheal-web-nightly', undefined],
    ['selfheal-restore', undefined],
    ['office-open', undefined],
    ['selfheal-web-2024-03-04T11:00Z', undefined],
  ])('%s', (name, expected) => {
    expect(forecasterActionOf(name)).toEqual(expected);
  });
});

describe('alignToBlocks', () => {
  it.each([
    { start: T0 + 25 * 60, step: 300, lead: 5, alignedStart: T0 },
    { start: T0, step: 300, lead: 0, alignedStart: T0 },
    { start: T0 + 15 * 60, step: 900, lead: 1, alignedStart: T0 },
  ])('re-bases a forecast starting $lead step(s) into the hour', ({ start, step, lead, alignedStart }) => {
    const f = {
      startSec: start,
      stepSec: step,
      point: new Float64Array([1, 2]),
      upper: new Float64Array([3, 4]),
    };
    const a = alignToBlocks(f, H);
    expect(a.startSec).toBe(alignedStart);
    expect(a.point.length).toBe(2 + lead);
    expect(Array.from(a.upper.slice(lead))).toEqual([3, 4]);
    expect(Array.from(a.point.slice(0, lead)).every(Number.isNaN)).toBe(true);
  });
});
