import { describe, expect, it } from 'vitest';
import type { PlannedBlock } from '../../../lambdas/core/planning';
import {
  type ActionBounds,
  actionName,
  alignToBlocks,
  desiredActions,
  freeSlots,
  isOwnAction,
  reconcileActions,
  SCHEDULED_ACTIONS_PER_GROUP,
} from '../../../lambdas/core/scaler';

const H = 3600;
const T0 = 1_709_550_000; // 2024-03-04T11:00:00Z
const NOW = T0 - H;

function blocks(
  caps: ReadonlyArray<number | [number, number]>,
  startSec = T0,
  bufferSec = 300,
): PlannedBlock[] {
  return caps.map((c, i) => {
    const [min, max] = Array.isArray(c) ? c : [c, 20];
    const blockStartSec = startSec + i * H;
    return {
      blockStartSec,
      blockEndSec: blockStartSec + H,
      actionAtSec: blockStartSec - bufferSec,
      forecastLoad: min * 100,
      neededCapacity: min,
      minCapacity: min,
      maxCapacity: max,
    };
  });
}

const bounds: ActionBounds = {
  targetId: 'web',
  minCapacity: 2,
  maxCapacity: 20,
  raiseMax: false,
  groupMaxSize: 20,
  slots: 125,
};

describe('actionName / isOwnAction', () => {
  it.each([
    ['selfheal-web-2024-03-04T11:00:00Z', 'web', true],
    ['selfheal-web-api-2024-03-04T11:00:00Z', 'web', false],
    ['selfheal-web-api-2024-03-04T11:00:00Z', 'web-api', true],
    ['selfheal-web-nightly', 'web', false],
    ['my-own-action', 'web', false],
  ])('%s belongs to %s: %s', (name, id, own) => {
    expect(isOwnAction(name, id)).toBe(own);
  });

  it('names a block by its ISO start, to the second', () => {
    expect(actionName('web', T0)).toBe('selfheal-web-2024-03-04T11:00:00Z');
  });
});

describe('desiredActions', () => {
  it.each([
    {
      name: 'merges equal consecutive blocks and restores the baseline at the end',
      caps: [4, 4, 6, 6, 6, 2],
      expected: [
        [T0 - 300, 4],
        [T0 + 2 * H - 300, 6],
        [T0 + 5 * H - 300, 2],
      ],
    },
    {
      name: 'adds a restore action when the plan ends above the baseline',
      caps: [3, 5],
      expected: [
        [T0 - 300, 3],
        [T0 + H - 300, 5],
        [T0 + 2 * H, 2],
      ],
    },
    {
      name: 'writes nothing but the baseline for a flat baseline plan',
      caps: [2, 2, 2],
      expected: [[T0 - 300, 2]],
    },
  ])('$name', ({ caps, expected }) => {
    const out = desiredActions(blocks(caps), bounds, NOW);
    expect(out.actions.map((a) => [a.startTimeSec, a.minSize])).toEqual(expected);
    expect(out.actions.every((a) => a.maxSize === undefined)).toBe(true);
  });

  it('drops finished blocks and moves an action due now to now + 60 s', () => {
    const now = T0 + H + 600; // inside the second block
    const out = desiredActions(blocks([3, 5, 7]), bounds, now);
    expect(out.actions.map((a) => [a.name, a.startTimeSec, a.minSize])).toEqual([
      [actionName('web', T0 + H), now + 60, 5],
      [actionName('web', T0 + 2 * H), T0 + 2 * H - 300, 7],
      [actionName('web', T0 + 3 * H), T0 + 3 * H, 2],
    ]);
  });

  it('keeps only the later of two actions both moved to now + 60 s', () => {
    const now = T0 + H - 200; // block 1 running, block 2's action (T0+H-300) already due
    const out = desiredActions(blocks([3, 5, 7]), bounds, now);
    expect(out.actions[0]).toMatchObject({
      name: actionName('web', T0 + H),
      minSize: 5,
      startTimeSec: now + 60,
    });
  });

  it('raises MaxSize with increase and restores the configured maximum last', () => {
    const out = desiredActions(blocks([[25, 28], [25, 28], 4]), { ...bounds, raiseMax: true }, NOW);
    expect(out.actions.map((a) => [a.minSize, a.maxSize])).toEqual([
      [25, 28],
      [4, 20],
      [2, 20],
    ]);
  });

  it('caps the minimum at the group MaxSize with honor and says so', () => {
    const out = desiredActions(blocks([30]), { ...bounds, groupMaxSize: 12 }, NOW);
    expect(out.actions[0]?.minSize).toBe(12);
    expect(out.notes.join()).toContain('capped');
  });

  it('stays within the free slots and restores where the plan was cut', () => {
    const caps = Array.from({ length: 48 }, (_, i) => 3 + (i % 2));
    const out = desiredActions(blocks(caps), { ...bounds, slots: 10 }, NOW);
    expect(out.actions).toHaveLength(10);
    expect(out.truncatedRuns).toBe(39);
    expect(out.actions.at(-1)).toMatchObject({ minSize: 2, startTimeSec: T0 + 9 * H - 300 + 300 });
  });

  it('writes nothing when foreign actions fill the quota', () => {
    const out = desiredActions(blocks([5]), { ...bounds, slots: 0 }, NOW);
    expect(out.actions).toEqual([]);
    expect(out.notes.join()).toContain('quota');
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
    expect(changes.put.map((a) => a.name)).toEqual(desired.map((a) => a.name));
    expect(changes.remove).toEqual([actionName('web', T0 - 5 * H)]);
    expect(changes.foreign).toBe(2);
  });

  it('leaves identical actions alone on a re-run', () => {
    const existing = desired.map((a) => ({ ...a }));
    const changes = reconcileActions(desired, existing, 'web');
    expect(changes).toMatchObject({ put: [], remove: [], unchanged: desired.length });
  });

  it('counts foreign actions against the quota', () => {
    const existing = Array.from({ length: 100 }, (_, i) => ({ name: `other-${i}` }));
    expect(freeSlots(existing, 'web')).toBe(SCHEDULED_ACTIONS_PER_GROUP - 100);
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
