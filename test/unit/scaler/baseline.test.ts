import { describe, expect, it } from 'vitest';
import {
  actionName,
  capByMaxSize,
  planBaseline,
  restoreActionName,
  withRelease,
} from '../../../lambdas/core/scaler';
import { T0 } from './plan-fixtures';

const block = { name: actionName('web', T0), startTimeSec: T0 - 300, minSize: 9 };
const restore = (minSize: number) => ({
  name: restoreActionName('web'),
  startTimeSec: T0 + 9 * 3600,
  minSize,
});
const held = (minSize: number) => ({
  name: restoreActionName('web', true),
  startTimeSec: T0 + 9 * 3600,
  minSize,
});

describe('planBaseline', () => {
  it.each([
    {
      name: 'a higher MinSize with nothing of the target pending',
      group: 30,
      own: [],
      expected: [30, 'group'],
    },
    { name: 'a MinSize at minCapacity with nothing pending', group: 2, own: [], expected: [2, 'config'] },
    { name: 'a MinSize below minCapacity', group: 1, own: [], expected: [2, 'config'] },
    {
      name: 'a plan in flight that restores minCapacity',
      group: 9,
      own: [block, restore(2)],
      expected: [2, 'config'],
    },
    {
      name: 'a plan in flight without a restore (older layout)',
      group: 9,
      own: [block],
      expected: [2, 'config'],
    },
    {
      name: 'a held floor, the group at its own raise',
      group: 50,
      own: [block, held(30)],
      expected: [30, 'group'],
    },
    { name: 'a held floor, the group at it', group: 30, own: [held(30)], expected: [30, 'group'] },
    {
      name: 'a held floor the group was lowered below',
      group: 12,
      own: [block, held(30)],
      expected: [12, 'group'],
    },
    {
      name: 'a held floor of minCapacity, the group above it',
      group: 5,
      own: [block, held(2)],
      expected: [2, 'config'],
    },
    {
      name: 'a held floor lowered to minCapacity',
      group: 2,
      own: [block, held(30)],
      expected: [2, 'config'],
    },
    {
      name: 'a held floor under a raised minCapacity',
      group: 40,
      own: [block, held(3)],
      expected: [4, 'config'],
      min: 4,
    },
    {
      name: 'a plain restore of an older, higher minCapacity',
      group: 4,
      own: [block, restore(4)],
      expected: [2, 'config'],
    },
  ])('$name', ({ group, own, expected, min }) => {
    const b = planBaseline('web', min ?? 2, group, own);
    expect([b.minSize, b.source]).toEqual(expected);
    expect(b.reason).toMatch(/\d/);
  });

  it('does not call a group MinSize equal to the held floor lowered', () => {
    expect(planBaseline('web', 2, 30, [held(30)]).reason).toBe(
      "floor 30 found on the group when this target's plan began, held by its restore (minCapacity 2)",
    );
  });

  it('says in the decision record why a MinSize on the group is kept', () => {
    expect(planBaseline('web', 2, 30, []).reason).toBe(
      "no action of this target is pending, so the group's MinSize 30 is not one it set: kept as the floor (minCapacity 2)",
    );
    expect(planBaseline('web', 2, 9, [block, restore(2)]).reason).toBe(
      "a plan of this target is in flight, so the group's MinSize 9 may be its own: the floor is minCapacity 2",
    );
  });

  it('does not hold a MinSize the user’s recurring action set last: their schedule sets the floor over time', () => {
    const office = { name: 'office-open', minSize: 30 };
    const b = planBaseline('web', 2, 30, [], { userCurrent: office });
    expect([b.minSize, b.source]).toEqual([2, 'config']);
    expect(b.reason).toBe(
      "no action of this target is pending and the group's MinSize 30 is the one the user's recurring action office-open set last: their schedule raises the floor over time: the floor is minCapacity 2",
    );
    // Another MinSize (set by hand, say) is still held.
    expect(planBaseline('web', 2, 25, [], { userCurrent: office })).toMatchObject({
      minSize: 25,
      source: 'group',
    });
  });

  describe('with another target’s plan in flight on the group (a scaled target moved or renamed)', () => {
    const theirs = { name: actionName('api', T0), startTimeSec: T0 - 300, minSize: 9 };
    const theirRestore = { name: restoreActionName('api'), startTimeSec: T0 + 40 * 3600, minSize: 1 };
    const theirHeld = { name: restoreActionName('api', true), startTimeSec: T0 + 40 * 3600, minSize: 6 };

    it('does not keep the group’s MinSize, which may be that plan’s raise', () => {
      const b = planBaseline('web', 2, 9, [], { foreign: [theirs, theirRestore] });
      expect(b).toEqual({
        minSize: 2,
        source: 'config',
        reason:
          "no action of this target is pending, but target api's plan is in flight on the group (its restore selfheal-api-restore is pending), so the group's MinSize 9 may be that plan's own: the floor is minCapacity 2",
      });
    });

    it('holds no floor for a plain -restore, whatever MinSize it writes back', () => {
      const b = planBaseline('web', 2, 9, [], { foreign: [theirs, { ...theirRestore, minSize: 6 }] });
      expect([b.minSize, b.source, b.heldBy]).toEqual([2, 'config', undefined]);
    });

    it('keeps the floor that plan held with its -restore-held', () => {
      const b = planBaseline('web', 2, 9, [], { foreign: [theirs, theirHeld] });
      expect([b.minSize, b.source, b.heldBy]).toEqual([6, 'group', 'selfheal-api-restore-held']);
      expect(b.reason).toContain('the floor 6 its restore holds is kept (minCapacity 2)');
      expect(planBaseline('web', 7, 9, [], { foreign: [theirHeld] })).toMatchObject({
        minSize: 7,
        source: 'config',
      });
    });

    it('lets that floor go when the group’s MinSize is below it: no action of that plan writes below it', () => {
      expect(planBaseline('web', 2, 4, [], { foreign: [theirs, theirHeld] })).toEqual({
        minSize: 4,
        source: 'group',
        reason:
          "no action of this target is pending, and the group's MinSize was lowered to 4, below the floor 6 that target api's plan holds (its restore selfheal-api-restore-held is pending): kept as the floor (minCapacity 2)",
      });
      expect(planBaseline('web', 2, 1, [], { foreign: [theirs, theirHeld] })).toMatchObject({
        minSize: 2,
        source: 'config',
      });
      expect(planBaseline('web', 2, 6, [], { foreign: [theirHeld] })).toMatchObject({
        minSize: 6,
        source: 'group',
      });
    });

    it('keeps that floor when yet another target’s plan is in flight, whose raise the MinSize below it may be', () => {
      const db = { name: actionName('db', T0), startTimeSec: T0 - 600, minSize: 4 };
      const dbRestore = { name: restoreActionName('db'), startTimeSec: T0 + 30 * 3600, minSize: 1 };
      const b = planBaseline('web', 2, 4, [], { foreign: [theirs, theirHeld, db, dbRestore] });
      expect(b).toEqual({
        minSize: 6,
        source: 'group',
        heldBy: 'selfheal-api-restore-held',
        reason:
          "no action of this target is pending; target api's plan holds the floor 6 (its restore selfheal-api-restore-held is pending) and the group's MinSize 4 is below it, but target db's plan is in flight too (its restore selfheal-db-restore is pending) and may have written it: kept the floor 6 (minCapacity 2)",
      });
      // A MinSize at the floor is not below it: the floor is kept as the one that plan holds.
      expect(planBaseline('web', 2, 6, [], { foreign: [theirHeld, dbRestore] }).reason).toBe(
        "no action of this target is pending, but target api's plan is in flight on the group (its restore selfheal-api-restore-held is pending), so the group's MinSize 6 may be that plan's own: the floor 6 its restore holds is kept (minCapacity 2)",
      );
      // A lower held floor of a third plan is such a plan too; at or above the floor nothing changes.
      const dbHeld = { ...dbRestore, name: restoreActionName('db', true), minSize: 3 };
      expect(planBaseline('web', 2, 4, [], { foreign: [theirHeld, dbHeld] })).toMatchObject({ minSize: 6 });
      // "at or below": a held floor equal to the MinSize may have written it too.
      expect(
        planBaseline('web', 2, 4, [], { foreign: [theirHeld, { ...dbHeld, minSize: 4 }] }),
      ).toMatchObject({
        minSize: 6,
        heldBy: 'selfheal-api-restore-held',
      });
      expect(planBaseline('web', 2, 8, [], { foreign: [theirHeld, dbRestore] })).toMatchObject({
        minSize: 6,
        heldBy: 'selfheal-api-restore-held',
      });
    });

    it('honours a MinSize lowered below every other held floor: none of those plans can have written it', () => {
      // api holds 6, db holds 5; a person lowered MinSize to 3 (minCapacity 2). Found by review.
      const dbHeld = { name: restoreActionName('db', true), startTimeSec: T0 + 30 * 3600, minSize: 5 };
      const db = { name: actionName('db', T0), startTimeSec: T0 - 600, minSize: 8 };
      const b = planBaseline('web', 2, 3, [], { foreign: [theirs, theirHeld, db, dbHeld] });
      expect(b).toMatchObject({ minSize: 3, source: 'group' });
      expect(b.heldBy).toBeUndefined();
    });

    it('goes by this target’s own plan once it has one, and by the group when only blocks of the other are left', () => {
      expect(planBaseline('web', 2, 9, [block, restore(2)], { foreign: [theirs, theirHeld] })).toMatchObject({
        minSize: 2,
        source: 'config',
      });
      // Its restore has run: nothing of that plan can hold the MinSize any more but its blocks.
      expect(planBaseline('web', 2, 9, [], { foreign: [theirs] })).toMatchObject({
        minSize: 9,
        source: 'group',
      });
      // The user's own actions named otherwise are not a plan in flight.
      const user = { name: 'selfheal-web-nightly', startTimeSec: T0, minSize: 1 };
      expect(planBaseline('web', 2, 9, [], { foreign: [user] })).toMatchObject({
        minSize: 9,
        source: 'group',
      });
    });
  });
});

describe('withRelease', () => {
  const at = { targetId: 'web', groupName: 'web-asg', minCapacity: 2 };
  const heldBaseline = planBaseline('web', 2, 30, []);

  it('names every pending action of the target to delete, the held restore among them, then the MinSize to set', () => {
    const b = withRelease(heldBaseline, {
      ...at,
      ownOnGroup: [actionName('web', T0), restoreActionName('web', true)],
    });
    expect(b).toMatchObject({ minSize: 30, source: 'group', reason: heldBaseline.reason });
    expect(b.release).toBe(
      "floor 30 is held until it is released: delete every scheduled action of target web pending on Auto Scaling group web-asg (selfheal-web-restore-held and each selfheal-web-<block start, ISO 8601 UTC>), then set the group's MinSize to minCapacity 2 (or another floor you want held); the next run finds none of them pending and plans on the MinSize you set. Deleting only selfheal-web-restore-held leaves the plan's raises without their return to the floor, and a MinSize lowered alone is lost when one of them runs before the next run: each writes at least the held floor",
    );
  });

  it('names only the MinSize when no action of the target is on the group to write it back', () => {
    expect(withRelease(heldBaseline, { ...at, ownOnGroup: [] }).release).toBe(
      "floor 30 is held until it is released: set the group's MinSize to minCapacity 2 (or another floor you want held); no action of this target is on the group to write the floor back, so the next run reads it",
    );
  });

  it('names the other target’s plan to delete when the floor is the one its -restore-held holds', () => {
    const inherited = planBaseline('web', 2, 9, [], {
      foreign: [
        { name: actionName('api', T0), startTimeSec: T0 - 300, minSize: 9 },
        { name: restoreActionName('api', true), startTimeSec: T0 + 40 * 3600, minSize: 6 },
      ],
    });
    expect(withRelease(inherited, { ...at, ownOnGroup: [] }).release).toBe(
      "floor 6 is held until it is released, as target api's plan holds it: delete every scheduled action of target api pending on Auto Scaling group web-asg (selfheal-api-restore-held and each selfheal-api-<block start, ISO 8601 UTC>), then set the group's MinSize to minCapacity 2 (or another floor you want held); the next run finds none of them pending and plans on the MinSize you set. Deleting only selfheal-api-restore-held leaves the plan's raises without their return to the floor, and a MinSize lowered alone is lost when one of them runs before the next run: each writes at least the held floor",
    );
  });

  it('names every other target’s held plan besides the target’s own, since each of their actions writes at least its floor', () => {
    const b = withRelease(heldBaseline, {
      ...at,
      ownOnGroup: [actionName('web', T0), restoreActionName('web', true)],
      otherHeld: [
        restoreActionName('db', true),
        restoreActionName('api', true),
        restoreActionName('web', true),
      ],
    });
    expect(b.release).toBe(
      "floor 30 is held until it is released: delete every scheduled action of target web pending on Auto Scaling group web-asg (selfheal-web-restore-held and each selfheal-web-<block start, ISO 8601 UTC>), and of target api (selfheal-api-restore-held and each selfheal-api-<block start, ISO 8601 UTC>), and of target db (selfheal-db-restore-held and each selfheal-db-<block start, ISO 8601 UTC>), then set the group's MinSize to minCapacity 2 (or another floor you want held); the next run finds none of them pending and plans on the MinSize you set. Deleting only selfheal-web-restore-held and selfheal-api-restore-held and selfheal-db-restore-held leaves the plans' raises without their return to the floor, and a MinSize lowered alone is lost when one of them runs before the next run: each writes at least the held floor",
    );
  });

  it('names another target’s held plan when a lowering below its floor is held and this target has no action on the group', () => {
    // api holds 6; a person lowered MinSize to 4, kept as the floor; web writes nothing. api's next
    // action writes at least 6, so setting MinSize alone would not release anything (found by review).
    const lowered = planBaseline('web', 2, 4, [], {
      foreign: [
        { name: actionName('api', T0), startTimeSec: T0 + 3600, minSize: 9 },
        { name: restoreActionName('api', true), startTimeSec: T0 + 40 * 3600, minSize: 6 },
      ],
    });
    expect(lowered).toMatchObject({ minSize: 4, source: 'group' });
    expect(
      withRelease(lowered, { ...at, ownOnGroup: [], otherHeld: [restoreActionName('api', true)] }).release,
    ).toBe(
      "floor 4 is held until it is released: delete every scheduled action of target api pending on Auto Scaling group web-asg (selfheal-api-restore-held and each selfheal-api-<block start, ISO 8601 UTC>), then set the group's MinSize to minCapacity 2 (or another floor you want held); no action of this target is on the group, and the next run finds none of theirs pending and plans on the MinSize you set. Deleting only selfheal-api-restore-held leaves the plan's raises without their return to the floor, and a MinSize lowered alone is lost when one of them runs before the next run: each writes at least the held floor",
    );
  });

  it('adds nothing to a floor of minCapacity, nor when the held restore is not on the group (the next run does not hold it)', () => {
    const config = planBaseline('web', 2, 9, [block, restore(2)]);
    expect(withRelease(config, { ...at, ownOnGroup: [restoreActionName('web')] })).toEqual(config);
    expect(withRelease(config, { ...at, ownOnGroup: [] })).toEqual(config);
    expect(withRelease(heldBaseline, { ...at, ownOnGroup: [restoreActionName('web')] })).toEqual(
      heldBaseline,
    );
  });
});

describe('capByMaxSize', () => {
  const floor = planBaseline('web', 2, 12, []);

  it('keeps the reason when the group’s MaxSize reaches the floor, or MaxSize is raised', () => {
    expect(capByMaxSize(floor, 12, false)).toBe(floor);
    expect(capByMaxSize(floor, 8, true)).toBe(floor);
  });

  it('says the restore returns to a MaxSize below the floor with honor, the floor unchanged', () => {
    const b = capByMaxSize(floor, 8, false);
    expect(b.minSize).toBe(12);
    expect(b.reason).toBe(
      `${floor.reason}; the group's MaxSize 8 is below it and maxCapacityBreachBehavior is honor, so no action sets MinSize above 8 while that MaxSize holds (the restore included)`,
    );
  });
});
