import { describe, expect, it } from 'vitest';
import {
  ACTION_SPACING_SEC,
  type ActionBounds,
  actionName,
  desiredActions,
  restoreActionName,
  supersede,
} from '../../../lambdas/core/scaler';
import { blocks, bounds, H, minutes, NOW, sizesAt, T0 } from './plan-fixtures';

const increase: ActionBounds = { ...bounds, raiseMax: true };

describe('desiredActions', () => {
  it.each([
    {
      name: 'merges equal consecutive blocks and restores the baseline when the last raised block ends',
      caps: [4, 4, 6, 6, 6, 2],
      expected: [
        [T0 - 300, 4],
        [T0 + 2 * H - 300, 6],
        [T0 + 5 * H, 2],
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
      name: 'lowers at the block boundary and raises a scheduling buffer early',
      caps: [8, 5, 7, 2],
      expected: [
        [T0 - 300, 8],
        [T0 + H, 5],
        [T0 + 2 * H - 300, 7],
        [T0 + 3 * H, 2],
      ],
    },
    {
      name: 'writes nothing for a flat plan at the baseline the group already has',
      caps: [2, 2, 2],
      expected: [],
    },
  ])('$name', ({ caps, expected }) => {
    const out = desiredActions(blocks(caps), bounds, NOW);
    expect(out.actions.map((a) => [a.startTimeSec, a.minSize])).toEqual(expected);
    expect(out.actions.every((a) => a.maxSize === undefined)).toBe(true);
  });

  it('drops finished blocks, keeps the block in progress at the group MinSize and moves a raise due now to now + 60 s', () => {
    const now = T0 + H + 600; // inside the second block
    const out = desiredActions(blocks([3, 5, 7]), { ...bounds, groupMinSize: 5 }, now);
    expect(out.actions.map((a) => [a.name, a.startTimeSec, a.minSize])).toEqual([
      [actionName('web', T0 + 2 * H), T0 + 2 * H - 300, 7],
      [restoreActionName('web'), T0 + 3 * H, 2],
    ]);
  });

  it('raises the block in progress at now + 60 s when the group is below it', () => {
    const now = T0 + H + 600;
    const out = desiredActions(blocks([3, 5, 7]), bounds, now);
    expect(out.actions[0]).toMatchObject({
      name: actionName('web', T0 + H),
      startTimeSec: now + 60,
      minSize: 5,
    });
  });

  it('keeps only the later of two actions both moved to now + 60 s', () => {
    const now = T0 + H - 200; // block 1 running, block 2's raise (T0+H-300) already due
    const out = desiredActions(blocks([3, 5, 7]), bounds, now);
    expect(out.actions[0]).toMatchObject({
      name: actionName('web', T0 + H),
      minSize: 5,
      startTimeSec: now + 60,
    });
    expect(out.actions.filter((a) => a.startTimeSec === now + 60)).toHaveLength(1);
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
    expect(out.actions.at(-1)).toMatchObject({ minSize: 2, startTimeSec: T0 + 9 * H });
  });

  it('drops nothing when the changes and the restore fill the slots exactly', () => {
    const out = desiredActions(blocks([3, 5]), { ...bounds, slots: 3 }, NOW);
    expect(out.actions).toHaveLength(3);
    expect(out.truncatedRuns).toBe(0);
    expect(out.notes.join()).not.toContain('dropped');
  });

  it('drops a block that ends exactly now: it is over', () => {
    const now = T0 + H; // the breach block [25, 28] ends now
    const out = desiredActions(blocks([[25, 28], 5, 7]), { ...increase, groupMinSize: 5 }, now);
    expect(out.actions.every((a) => a.maxSize === undefined)).toBe(true);
  });

  it('writes nothing when foreign actions fill the quota', () => {
    const out = desiredActions(blocks([5]), { ...bounds, slots: 0 }, NOW);
    expect(out.actions).toEqual([]);
    expect(out.notes.join()).toContain('quota');
  });
});

describe('desiredActions: the restore', () => {
  it('is named selfheal-<target>-restore, whatever block it follows', () => {
    const early = desiredActions(blocks([5, 2, 2]), bounds, NOW).actions.at(-1);
    const late = desiredActions(blocks([5, 5, 5]), bounds, NOW).actions.at(-1);
    expect(early).toEqual({ name: 'selfheal-web-restore', startTimeSec: T0 + H, minSize: 2 });
    expect(late).toEqual({ name: 'selfheal-web-restore', startTimeSec: T0 + 3 * H, minSize: 2 });
  });

  it('comes after an older action that a failed delete would leave, and the plan still returns on time', () => {
    const stale = { name: actionName('web', T0 + 9 * H), startTimeSec: T0 + 9 * H - 300, minSize: 9 };
    const out = desiredActions(blocks([5, 2]), { ...bounds, ownExisting: [stale] }, NOW);
    expect(out.actions).toEqual([
      { name: actionName('web', T0), startTimeSec: T0 - 300, minSize: 5 },
      { name: actionName('web', T0 + H), startTimeSec: T0 + H, minSize: 2 },
      { name: 'selfheal-web-restore', startTimeSec: stale.startTimeSec + ACTION_SPACING_SEC, minSize: 2 },
    ]);
  });

  it('keeps the return on time when the slots just hold it, the restore after the older action', () => {
    const stale = { name: actionName('web', T0 + 9 * H), startTimeSec: T0 + 9 * H - 300, minSize: 9 };
    const out = desiredActions(blocks([5, 2]), { ...bounds, ownExisting: [stale], slots: 3 }, NOW);
    expect(out.actions.map((a) => [a.name, a.startTimeSec])).toEqual([
      [actionName('web', T0), T0 - 300],
      [actionName('web', T0 + H), T0 + H],
      ['selfheal-web-restore', stale.startTimeSec + ACTION_SPACING_SEC],
    ]);
    expect(out.notes.join()).not.toContain('no slot');
  });

  it('comes after the latest of several older actions, in whatever order they are listed', () => {
    const late = { name: actionName('web', T0 + 9 * H), startTimeSec: T0 + 9 * H - 300, minSize: 9 };
    const early = { name: actionName('web', T0 + 5 * H), startTimeSec: T0 + 5 * H - 300, minSize: 7 };
    const out = desiredActions(blocks([5, 2]), { ...bounds, ownExisting: [late, early] }, NOW);
    expect(out.actions.at(-1)).toMatchObject({
      name: 'selfheal-web-restore',
      startTimeSec: late.startTimeSec + ACTION_SPACING_SEC,
    });
  });

  it('ignores older actions the plan writes again unchanged, and its own earlier restore', () => {
    const first = desiredActions(blocks([5, 7]), bounds, NOW).actions;
    const again = desiredActions(blocks([5, 7]), { ...bounds, ownExisting: first }, NOW).actions;
    expect(again).toEqual(first);
  });

  it('is written on its own when the plan changes nothing but older actions remain', () => {
    const stale = { name: actionName('web', T0 + 4 * H), startTimeSec: T0 + 4 * H - 300, minSize: 6 };
    const out = desiredActions(blocks([2, 2]), { ...bounds, ownExisting: [stale] }, NOW);
    expect(out.actions).toEqual([
      { name: 'selfheal-web-restore', startTimeSec: stale.startTimeSec + ACTION_SPACING_SEC, minSize: 2 },
    ]);
  });
});

describe('desiredActions: start times other actions of the group hold', () => {
  it('moves a lowering the user’s action holds a minute later, after the higher block has ended', () => {
    const user = { name: 'nightly-report', startTimeSec: T0 + H, minSize: 2 };
    const out = desiredActions(blocks([5, 3, 3]), { ...bounds, foreign: [user] }, NOW);
    expect(out.actions.map((a) => [a.name, a.startTimeSec, a.minSize])).toEqual([
      [actionName('web', T0), T0 - 300, 5],
      [actionName('web', T0 + H), T0 + H + 60, 3],
      [restoreActionName('web'), T0 + 3 * H, 2],
    ]);
  });

  it('keeps the return under its block’s name and puts the restore after it when that action holds the return’s time', () => {
    const first = desiredActions(blocks([5, 2]), bounds, NOW).actions;
    // An earlier run left the return at 12:00 under its block's name, and the restore after it.
    const ownExisting = [
      first[0] as (typeof first)[number],
      { name: actionName('web', T0 + H), startTimeSec: T0 + H, minSize: 2 },
      { name: restoreActionName('web'), startTimeSec: T0 + H + 60, minSize: 2 },
    ];
    const out = desiredActions(blocks([5, 2]), { ...bounds, ownExisting }, NOW);
    expect(out.actions).toEqual(ownExisting);
    // Exactly a slot for each of them: both are kept.
    expect(desiredActions(blocks([5, 2]), { ...bounds, ownExisting, slots: 3 }, NOW).actions).toEqual(
      ownExisting,
    );
    // Without a slot for both, the restore alone follows the return's time.
    const tight = desiredActions(blocks([5, 2]), { ...bounds, ownExisting, slots: 2 }, NOW);
    expect(tight.actions.at(-1)).toEqual({
      name: restoreActionName('web'),
      startTimeSec: T0 + H + 60,
      minSize: 2,
    });
  });

  it('returns to the floor the user’s action set during the last raised block, not below it', () => {
    const user = { name: 'evening-floor', startTimeSec: T0 + 2 * H - 1800, minSize: 4 };
    const out = desiredActions(blocks([5, 5]), { ...bounds, foreign: [user] }, NOW);
    expect(out.actions.at(-1)).toEqual({
      name: restoreActionName('web'),
      startTimeSec: T0 + 2 * H,
      minSize: 4,
    });
  });

  it('takes the time its own restore holds: the same action, updated in place', () => {
    const ownExisting = [{ name: restoreActionName('web'), startTimeSec: T0 + H, minSize: 2 }];
    const out = desiredActions(blocks([5, 2]), { ...bounds, ownExisting }, NOW);
    expect(out.actions.at(-1)).toEqual(ownExisting[0]);
  });
});

describe('desiredActions with maxCapacityBreachBehavior increase', () => {
  it('raises MaxSize with the block that needs it and never writes it again to lower it', () => {
    const out = desiredActions(blocks([[25, 28], [25, 28], 4]), increase, NOW);
    expect(out.actions.map((a) => [a.startTimeSec, a.minSize, a.maxSize])).toEqual([
      [T0 - 300, 25, 28],
      [T0 + 2 * H, 4, undefined],
      [T0 + 3 * H, 2, undefined],
    ]);
  });

  it("keeps the group at the breach block's size until that block ends (the reviewer's 50-then-15 plan)", () => {
    const plan = blocks([[50, 55], 15]);
    const group = { minSize: 2, maxSize: 20 };
    const out = desiredActions(plan, { ...increase, groupMaxSize: group.maxSize }, NOW);
    for (const t of minutes(T0 - 300, T0 + H)) {
      expect(sizesAt(out.actions, group, t)).toEqual({ minSize: 50, maxSize: 55 });
    }
    expect(sizesAt(out.actions, group, T0 + H)).toEqual({ minSize: 15, maxSize: 55 });
  });

  it.each([20, 40, 60])(
    'no action writes MaxSize below the group pre-existing MaxSize %i',
    (groupMaxSize) => {
      const plan = blocks([[50, 55], 15, [25, 28], 4, [30, 33], 2]);
      const out = desiredActions(plan, { ...increase, groupMaxSize }, NOW);
      const written = out.actions.flatMap((a) => (a.maxSize === undefined ? [] : [a.maxSize]));
      expect(written.every((m) => m > groupMaxSize && m >= increase.maxCapacity)).toBe(true);
      const maxima = minutes(NOW, T0 + 7 * H).map(
        (t) => sizesAt(out.actions, { minSize: 2, maxSize: groupMaxSize }, t).maxSize,
      );
      expect(maxima.every((m, i) => m >= groupMaxSize && m >= (maxima[i - 1] ?? m))).toBe(true);
      expect(written).toEqual(groupMaxSize < 55 ? [55] : []);
    },
  );

  it('keeps the MaxSize raise of an action superseded by a later one moved to the same now + 60 s', () => {
    // Run 200 s before 11:00: the breach block in progress and the next block both act at now + 60 s.
    const now = T0 - 200;
    const plan = blocks([[25, 28], [26, 28], 4], T0 - H);
    const out = desiredActions(plan, { ...increase, groupMaxSize: 20 }, now);
    const at = sizesAt(out.actions, { minSize: 2, maxSize: 20 }, now + 60);
    expect(at).toEqual({ minSize: 26, maxSize: 28 });
    expect(out.actions.filter((a) => a.startTimeSec === now + 60)).toHaveLength(1);
  });

  it('raises MaxSize to the configured maximum when an operator lowered it below a planned floor', () => {
    const out = desiredActions(blocks([4, 18]), { ...increase, groupMaxSize: 15 }, NOW);
    expect(out.actions.map((a) => [a.minSize, a.maxSize])).toEqual([
      [4, undefined],
      [18, 20],
      [2, undefined],
    ]);
  });
});

describe('no lowering is scheduled before the end of the higher block', () => {
  const plans = [
    [8, 5, 7, 2, 9, 9, 3],
    [[50, 55], 15, [25, 28], 4],
    [3, 10, 2, 2, 6],
  ] as const;
  it.each(
    plans.flatMap((caps) => [
      { caps, raiseMax: false, groupMinSize: 2 },
      { caps, raiseMax: true, groupMinSize: 2 },
      { caps, raiseMax: true, groupMinSize: 12 },
    ]),
  )('$caps, increase $raiseMax, group MinSize $groupMinSize', ({ caps, raiseMax, groupMinSize }) => {
    const now = T0 + 600; // the first block is in progress
    const plan = blocks(caps);
    const b = { ...bounds, raiseMax, groupMinSize };
    const group = { minSize: groupMinSize, maxSize: 20 };
    const out = desiredActions(plan, b, now);
    for (const block of plan) {
      const from = Math.max(block.blockStartSec, now + 60);
      const floor = Math.min(block.minCapacity, raiseMax ? Number.POSITIVE_INFINITY : 20);
      for (const t of minutes(from, block.blockEndSec)) {
        expect(sizesAt(out.actions, group, t).minSize).toBeGreaterThanOrEqual(floor);
      }
    }
    for (const t of minutes(now, T0 + H)) {
      expect(sizesAt(out.actions, group, t).minSize).toBeGreaterThanOrEqual(groupMinSize);
    }
  });
});

describe('desiredActions within the quota', () => {
  it.each([1, 2, 5])('never asks for more than %i slot(s), older actions and restore included', (slots) => {
    const older = Array.from({ length: 6 }, (_, i) => ({
      name: actionName('web', T0 + (20 + i) * H),
      startTimeSec: T0 + (20 + i) * H - 300,
      minSize: 9,
    }));
    for (const caps of [
      [5, 6, 7, 8, 9, 10],
      [5, 2, 5, 2, 5, 2],
      [2, 2, 2],
    ]) {
      const out = desiredActions(blocks(caps), { ...bounds, slots, ownExisting: older }, NOW);
      expect(out.actions.length).toBeLessThanOrEqual(slots);
      expect(out.actions.at(-1)).toMatchObject({ name: 'selfheal-web-restore', minSize: 2 });
    }
  });
});

describe('supersede', () => {
  it('keeps the later of two actions at the same start time, with the MaxSize the earlier raised', () => {
    const earlier = { name: 'a', startTimeSec: T0, minSize: 3, maxSize: 25 };
    const later = { name: 'b', startTimeSec: T0, minSize: 5 };
    const next = { name: 'c', startTimeSec: T0 + 60, minSize: 2 };
    expect(supersede([earlier, later, next])).toEqual([{ ...later, maxSize: 25 }, next]);
  });
});
