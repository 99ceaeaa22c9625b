/**
 * The floor a target's plan never goes below and its restore returns to: the configured
 * `minCapacity`, or a higher MinSize found on the group that this target did not set. Pure.
 */
import type { ScheduledActionState } from './ports';
import { ACTION_NAME_PREFIX, forecasterActionOf, restoreActionName } from './scheduled-actions';

/** `config`: the target's `minCapacity`. `group`: a higher MinSize found on the group and kept. */
export type BaselineSource = 'config' | 'group';

/** The plan's floor and, for the decision record, where it comes from. */
export interface Baseline {
  readonly minSize: number;
  readonly source: BaselineSource;
  /** One sentence with the numbers. */
  readonly reason: string;
  /**
   * With `source` `group` (a held floor) once the plan is written: how to release it (see
   * {@link withRelease}). The handler logs it at WARN every run while the floor is held.
   */
  readonly release?: string;
  /**
   * With `source` `group`, when the floor is the one another target's plan holds: the name of that
   * plan's restore, `selfheal-<other id>-restore-held` (see {@link BaselineContext.foreign}).
   */
  readonly heldBy?: string;
}

/** What else on the group the baseline looks at besides the target's own pending actions. */
export interface BaselineContext {
  /** The MinSize the user's recurring action set last (see `userSchedule`). */
  readonly userCurrent?: { readonly name: string; readonly minSize: number };
  /**
   * The group's actions this target did not write. A restore among them named for another target
   * (`selfheal-<other id>-restore[-held]`) is that target's plan in flight: a scaled target moved
   * to another target of the group, or renamed, whose last plan still runs.
   */
  readonly foreign?: readonly ScheduledActionState[];
}

/**
 * Decides the baseline from the group's current MinSize and this target's pending actions.
 * EC2 Auto Scaling lists only actions that have not run, so whether the group's MinSize was set by
 * one of this target's actions that already ran cannot be read back; the rule is conservative:
 *
 * - No action of the target pending, but another target's restore pending on the group (see
 *   {@link BaselineContext.foreign}): the group's MinSize may be that plan's own raise, so it is not
 *   kept; the floor is `minCapacity`, or the floor that restore holds when it is `…-restore-held`
 *   (a MinSize that plan found on the group, kept as the hold it was). As for the target's own held
 *   restore (below), no action of that plan writes MinSize below its floor, so a group MinSize
 *   below it was lowered by someone else, and that lower value (not below `minCapacity`) becomes
 *   the floor.
 * - No action of the target pending (first run, its restore has run, or its actions were deleted):
 *   the MinSize is not one the target holds, so a MinSize above `minCapacity` becomes the floor
 *   (after the target's own restore has run it equals the floor that restore set), unless it is
 *   the MinSize the user's recurring action set last (`userCurrent`, see `userSchedule`): their
 *   schedule then sets the floor over time (see `floorAt`), and holding it would keep today's
 *   value past their next action. This holds only for a MinSize read after the actions were
 *   listed (`applyPlan` reads in that order): with an older read, an action of the target that
 *   ran in between (its restore, run up to two minutes late) is gone from the list while its
 *   effect is missing from the sizes, and the target's own raise would be kept as the floor.
 * - A plan in flight whose restore is `…-restore-held`: the floor found when that plan began, as
 *   the restore holds it. Since no action of the target writes MinSize below its floor, a group
 *   MinSize below it was lowered by someone else, and that lower value (not below `minCapacity`)
 *   becomes the floor. A lowering that an action of the plan overwrote before this read (each
 *   writes at least the floor) is not seen: deleting the restore is the release (see
 *   {@link withRelease}).
 * - A plan in flight whose restore is `…-restore`, or none (it was deleted): `minCapacity`. A
 *   MinSize raised by hand while the plan is in flight cannot be told from the target's own, so it
 *   is not kept beyond the block in progress (see `desiredActions`).
 */
export function planBaseline(
  targetId: string,
  minCapacity: number,
  groupMinSize: number,
  own: readonly ScheduledActionState[],
  context: BaselineContext = {},
): Baseline {
  const config = (why: string): Baseline => ({
    minSize: minCapacity,
    source: 'config',
    reason: `${why}: the floor is minCapacity ${minCapacity}`,
  });
  const group = (minSize: number, why: string): Baseline => ({ minSize, source: 'group', reason: why });
  const { userCurrent } = context;
  const other =
    own.length === 0 ? otherPlanRestore(targetId, context.foreign ?? [], groupMinSize) : undefined;
  if (other !== undefined) {
    const why = `no action of this target is pending, but target ${other.targetId}'s plan is in flight on the group (its restore ${other.name} is pending), so the group's MinSize ${groupMinSize} may be that plan's own`;
    const { heldFloor } = other;
    if (heldFloor === undefined || heldFloor <= minCapacity) return config(why);
    if (groupMinSize < heldFloor && other.alsoInFlight !== undefined) {
      return {
        ...group(
          heldFloor,
          `no action of this target is pending; target ${other.targetId}'s plan holds the floor ${heldFloor} (its restore ${other.name} is pending) and the group's MinSize ${groupMinSize} is below it, but target ${other.alsoInFlight.targetId}'s plan is in flight too (its restore ${other.alsoInFlight.name} is pending) and may have written it: kept the floor ${heldFloor} (minCapacity ${minCapacity})`,
        ),
        heldBy: other.name,
      };
    }
    if (groupMinSize < heldFloor) {
      const lowered = `no action of this target is pending, and the group's MinSize was lowered to ${groupMinSize}, below the floor ${heldFloor} that target ${other.targetId}'s plan holds (its restore ${other.name} is pending)`;
      return groupMinSize > minCapacity
        ? group(groupMinSize, `${lowered}: kept as the floor (minCapacity ${minCapacity})`)
        : config(lowered);
    }
    return {
      ...group(
        heldFloor,
        `${why}: the floor ${heldFloor} its restore holds is kept (minCapacity ${minCapacity})`,
      ),
      heldBy: other.name,
    };
  }
  if (own.length === 0 && groupMinSize > minCapacity && userCurrent?.minSize === groupMinSize) {
    return config(
      `no action of this target is pending and the group's MinSize ${groupMinSize} is the one the user's recurring action ${userCurrent.name} set last: their schedule raises the floor over time`,
    );
  }
  if (own.length === 0) {
    return groupMinSize > minCapacity
      ? group(
          groupMinSize,
          `no action of this target is pending, so the group's MinSize ${groupMinSize} is not one it set: kept as the floor (minCapacity ${minCapacity})`,
        )
      : config(`no action of this target is pending and the group's MinSize is ${groupMinSize}`);
  }
  const held = own.find((a) => a.name === restoreActionName(targetId, true))?.minSize;
  if (held !== undefined && groupMinSize < held) {
    return groupMinSize > minCapacity
      ? group(
          groupMinSize,
          `the group's MinSize was lowered to ${groupMinSize}, below the floor ${held} this target held: kept as the floor (minCapacity ${minCapacity})`,
        )
      : config(
          `the group's MinSize was lowered to ${groupMinSize}, below the floor ${held} this target held`,
        );
  }
  if (held !== undefined && held > minCapacity) {
    return group(
      held,
      `floor ${held} found on the group when this target's plan began, held by its restore (minCapacity ${minCapacity})`,
    );
  }
  return config(
    groupMinSize > minCapacity
      ? `a plan of this target is in flight, so the group's MinSize ${groupMinSize} may be its own`
      : `a plan of this target is in flight and the group's MinSize is ${groupMinSize}`,
  );
}

/** Another target's restore pending on the group. */
interface OtherRestore {
  readonly targetId: string;
  readonly name: string;
  /** With a `-restore-held`: the floor it holds. */
  readonly heldFloor?: number;
  /**
   * With `heldFloor`: the first restore of yet another target's plan pending on the group whose
   * actions may have written the group's MinSize (a `-restore` plan, or a `-restore-held` one whose
   * floor is at or below that MinSize: none of its actions writes below its floor).
   */
  readonly alsoInFlight?: { readonly targetId: string; readonly name: string };
}

/**
 * Another target's restore pending on the group, if any: the one holding the highest floor among
 * the held ones, else the first by name.
 */
function otherPlanRestore(
  targetId: string,
  foreign: readonly ScheduledActionState[],
  groupMinSize: number,
): OtherRestore | undefined {
  const restores: { targetId: string; name: string; heldFloor?: number }[] = [];
  for (const a of [...foreign].sort((x, y) => x.name.localeCompare(y.name))) {
    const of = forecasterActionOf(a.name);
    if (of === undefined || of.kind === 'block' || of.targetId === targetId) continue;
    restores.push({
      targetId: of.targetId,
      name: a.name,
      ...(of.kind === 'held' && a.minSize !== undefined ? { heldFloor: a.minSize } : {}),
    });
  }
  let held: (typeof restores)[number] | undefined;
  for (const r of restores) {
    if (r.heldFloor !== undefined && r.heldFloor > (held?.heldFloor ?? 0)) held = r;
  }
  if (held === undefined) return restores[0];
  // A held plan writes no MinSize below its floor, so only one without a floor at or below the
  // group's MinSize can have written it.
  const also = restores.find(
    (r) => r.targetId !== held.targetId && (r.heldFloor === undefined || r.heldFloor <= groupMinSize),
  );
  return also === undefined ? held : { ...held, alsoInFlight: { targetId: also.targetId, name: also.name } };
}

/**
 * The baseline with, when it holds a floor found on the group (`source` `group`) that the next run
 * will hold again, the sentence that says how to release it. EC2 Auto Scaling applies an action's
 * sizes when it runs and keeps no old value, and lists only actions that have not run. Every action
 * of a held plan writes MinSize at or above the floor, so a MinSize lowered by hand is seen only
 * when none of them runs before the next run reads it (in a daytime ramp one usually does), and
 * deleting only the held restore leaves the plan's raises without their return to the floor: if
 * no run writes a new plan before they have all run (untrusted forecasts write nothing), the last
 * raise stays in force and the next run, finding nothing of the target pending, holds it. So the
 * release deletes every pending action of the plan that holds the floor, then sets MinSize: the
 * next run finds none pending and plans on the MinSize read (see `planBaseline`), whenever it
 * comes. `ownOnGroup`: the target's actions on the group once the plan is written; when none is,
 * the plan that holds the floor is another target's (`heldBy`) or none; when some are but not the
 * held restore (its write failed), the next run does not hold the floor and there is nothing to
 * release. `otherHeld`: other targets' `-restore-held` actions pending on the group (a floor
 * inherited from one of them is written into this target's own held restore on its first plan,
 * after which `heldBy` is no longer set). Each of those plans writes at least its floor whenever
 * one of its actions runs, so a release that left them would see the floor held again: the
 * release names every one of them besides the target's own.
 */
export function withRelease(
  baseline: Baseline,
  at: {
    readonly targetId: string;
    readonly groupName: string;
    readonly minCapacity: number;
    readonly ownOnGroup: readonly string[];
    readonly otherHeld?: readonly string[];
  },
): Baseline {
  if (baseline.source !== 'group') return baseline;
  const held = `floor ${baseline.minSize} is held until it is released`;
  const minSize = `set the group's MinSize to minCapacity ${at.minCapacity}`;
  const actionsOf = (id: string, restore: string): string =>
    `(${restore} and each ${ACTION_NAME_PREFIX}${id}-<block start, ISO 8601 UTC>)`;
  /** `plans`: [target id, its `-restore-held`], the first the one that holds the floor. */
  const plan = (plans: readonly (readonly [string, string])[]): string => {
    const [[id, restore] = ['', ''], ...others] = plans;
    const also = others.map(([o, r]) => `, and of target ${o} ${actionsOf(o, r)}`).join('');
    return `delete every scheduled action of target ${id} pending on Auto Scaling group ${at.groupName} ${actionsOf(id, restore)}${also}, then ${minSize} (or another floor you want held)`;
  };
  const lost = (ids: readonly (readonly [string, string])[]): string =>
    `Deleting only ${ids.map(([, r]) => r).join(' and ')} leaves the ${ids.length > 1 ? "plans'" : "plan's"} raises without their return to the floor, and a MinSize lowered alone is lost when one of them runs before the next run: each writes at least the held floor`;
  const others = (except: string): [string, string][] =>
    [...new Set(at.otherHeld ?? [])]
      .filter((n) => n !== except)
      .sort((x, y) => x.localeCompare(y))
      .flatMap((n) => {
        const id = forecasterActionOf(n)?.targetId;
        return id === undefined || id === at.targetId ? [] : [[id, n] as [string, string]];
      });
  if (at.ownOnGroup.length === 0) {
    const { heldBy } = baseline;
    const by = heldBy === undefined ? undefined : forecasterActionOf(heldBy)?.targetId;
    if (heldBy === undefined || by === undefined) {
      // Another target's held plan still pending writes at least its floor when one of its
      // actions runs, so the MinSize set alone would be raised again: name it too.
      const pending = others('');
      return {
        ...baseline,
        release:
          pending.length === 0
            ? `${held}: ${minSize} (or another floor you want held); no action of this target is on the group to write the floor back, so the next run reads it`
            : `${held}: ${plan(pending)}; no action of this target is on the group, and the next run finds none of theirs pending and plans on the MinSize you set. ${lost(pending)}`,
      };
    }
    const plans: [string, string][] = [[by, heldBy], ...others(heldBy)];
    return {
      ...baseline,
      release: `${held}, as target ${by}'s plan holds it: ${plan(plans)}; the next run finds none of them pending and plans on the MinSize you set. ${lost(plans)}`,
    };
  }
  const name = restoreActionName(at.targetId, true);
  if (!at.ownOnGroup.includes(name)) return baseline;
  const plans: [string, string][] = [[at.targetId, name], ...others(name)];
  return {
    ...baseline,
    release: `${held}: ${plan(plans)}; the next run finds none of them pending and plans on the MinSize you set. ${lost(plans)}`,
  };
}

/**
 * The baseline with its reason completed when the group's MaxSize is below it and MaxSize is not
 * raised (`maxCapacityBreachBehavior` `honor`): no action sets MinSize above the MaxSize in force,
 * so the restore returns to that MaxSize, not to the floor the reason names. The floor itself is
 * unchanged (a MaxSize raised later lets the plan reach it).
 */
export function capByMaxSize(baseline: Baseline, groupMaxSize: number, raiseMax: boolean): Baseline {
  if (raiseMax || baseline.minSize <= groupMaxSize) return baseline;
  return {
    ...baseline,
    reason: `${baseline.reason}; the group's MaxSize ${groupMaxSize} is below it and maxCapacityBreachBehavior is honor, so no action sets MinSize above ${groupMaxSize} while that MaxSize holds (the restore included)`,
  };
}
