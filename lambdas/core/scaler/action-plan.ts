/**
 * From a capacity plan to the scheduled actions that carry it out: when each change takes effect,
 * which sizes it writes, and where the plan returns to its baseline. Pure.
 */
import type { PlannedBlock } from '../planning/types';
import { type Change, planChanges } from './plan-changes';
import type { ScheduledActionSpec, ScheduledActionState } from './ports';
import {
  actionName,
  MIN_ACTION_LEAD_SEC,
  OWNER_RESERVED_SLOTS,
  restoreActionName,
  SCHEDULED_ACTIONS_PER_GROUP,
} from './scheduled-actions';
import { ACTION_SPACING_SEC, eitherTaken, placeStartTimes, type TakenTime, takenTimes } from './start-times';
import { floorAt, SizesInForce, sizesFor } from './user-floor';
import { type ReadRecurrence, recurrenceReader } from './user-recurrence';
import { userSchedule } from './user-schedule';
import { userStartTimes } from './user-times';

/** Bounds the plan is written against. */
export interface ActionBounds {
  readonly targetId: string;
  /** The floor (see `planBaseline`): no action sets MinSize below it, nor below the user's (see `floorAt`). */
  readonly baseline: number;
  /** True when the baseline is a MinSize found on the group: the restore is then `…-restore-held`. */
  readonly held: boolean;
  /** Configured maximum: with `increase`, a block planned above it raises MaxSize. */
  readonly maxCapacity: number;
  /** `increase` may write `maxSize` (only ever to raise it); `honor` never does. */
  readonly raiseMax: boolean;
  /** The group's MinSize when the plan is made: the floor in force during the block in progress. */
  readonly groupMinSize: number;
  /** The group's MaxSize when the plan is made: `honor` caps minimums at it; no action writes less. */
  readonly groupMaxSize: number;
  /** Actions this plan may hold: the quota minus the group's foreign actions and the owner's reserve (see `freeSlots`). */
  readonly slots: number;
  /** This target's actions on the group now: the restore is placed after any that may outlive the run. */
  readonly ownExisting: readonly ScheduledActionState[];
  /**
   * The group's other actions (the user's): never touched; no action of the plan takes their start
   * times, nor sets MinSize below the floor they set (see `userSchedule`).
   */
  readonly foreign: readonly ScheduledActionState[];
}

/** The desired actions and what had to give way to produce them. */
export interface DesiredActions {
  readonly actions: readonly ScheduledActionSpec[];
  /** Planned changes dropped to stay within the quota (the restore then comes earlier). */
  readonly truncatedRuns: number;
  readonly notes: readonly string[];
  /** The user's actions whose moments could not be worked out, each naming the action and the problem. */
  readonly warnings: readonly string[];
  /** The floor at a moment: an action moved later at the write keeps at least this MinSize. */
  readonly floorAt: (tSec: number) => number;
  /**
   * Start times the user's actions hold: their StartTimes and every run of their recurring ones,
   * whatever they set and however often they run (see `userStartTimes`).
   */
  readonly userTimes: TakenTime;
}

/** An action as planned, with the minimum of its own (its block's) before the floor is applied. */
type Draft = ScheduledActionSpec & { readonly own: number };

/**
 * Turns planned blocks into one-time actions, one per change of the group's sizes (consecutive
 * blocks that change nothing write nothing). A raise takes effect `schedulingBufferSec` before its
 * block (the block's `actionAtSec`); a lowering takes effect at its block's start, i.e. when the
 * higher block ends, never earlier. The block in progress keeps at least the group's current
 * MinSize, so nothing is lowered before it ends. With `increase`, `maxSize` is written only by an
 * action that raises it above the maximum in force (the group's MaxSize, or an earlier raise):
 * never lowered, as AWS predictive scaling's IncreaseMaxCapacity, whose raised maximum "does not
 * automatically decrease back to the original maximum". Blocks already over are dropped; an action
 * due within {@link MIN_ACTION_LEAD_SEC} moves to now + that lead.
 *
 * The user's own actions on the group (`bounds.foreign`, see `userSchedule`) are never touched, but
 * planned around: no action sets MinSize below the floor in force when it runs (see `floorAt`: the
 * higher of the baseline and the MinSize the user's last action up to then set, which holds until
 * their next one), nor above the MaxSize in force (capped with `honor`; with `increase` MaxSize is
 * raised with it). A user's action that lowers MinSize inside
 * a raised block holds until the plan's next action, which raises it again.
 *
 * EC2 Auto Scaling takes one action per start time on a group, and the restore is written while
 * every older action is still there: no action takes a start time another action of the group
 * holds (the user's, a run of a recurring one whatever it sets, or one of the target's own other
 * than the one of the same name), but moves later (see `placeStartTimes`); its sizes are those due at the
 * time it gets.
 *
 * The last action is the restore (`selfheal-<target>-restore[-held]`, see {@link restoreActionName}):
 * MinSize back to the floor when the last raised block ends. It always runs after every other
 * action of the target, including older ones this run deletes, since a delete can fail: when one
 * of those starts later, the restore moves {@link ACTION_SPACING_SEC} after it and the plan's own
 * return to the baseline stays, as an action named after its block. At most `bounds.slots`
 * actions, restore included.
 */
export function desiredActions(
  blocks: readonly PlannedBlock[],
  bounds: ActionBounds,
  nowSec: number,
  read: ReadRecurrence = recurrenceReader(),
): DesiredActions {
  const notes: string[] = [];
  const live = blocks.filter((b) => b.blockEndSec > nowSec);
  const schedule = userSchedule(bounds.foreign, nowSec, scheduleEndSec(live, bounds, nowSec), read);
  const base = { baseline: bounds.baseline };
  const floor = (tSec: number) => floorAt(schedule, base, tSec);
  const userTimes = userStartTimes(bounds.foreign, read);
  const result = { warnings: schedule.warnings, floorAt: floor, userTimes };
  if (bounds.slots < 1) {
    notes.push(
      `no scheduled-action slot left: the group's ${bounds.foreign.length} other action(s) and the ${OWNER_RESERVED_SLOTS} slots kept free for its owner fill the quota of ${SCHEDULED_ACTIONS_PER_GROUP}`,
    );
    return { actions: [], truncatedRuns: 0, notes, ...result };
  }
  const { changes, returns } = planChanges(live, bounds, schedule, nowSec, notes);
  const last = changes[changes.length - 1];
  // A plan that ends on the floor returns with its last change; one that ends above, at its end.
  const endsOnFloor = last?.toFloor === true;
  const planEndSec = live[live.length - 1]?.blockEndSec ?? nowSec;
  const cut = cutToSlots(
    endsOnFloor ? changes.slice(0, -1) : changes,
    endsOnFloor ? last.atSec : returns ? planEndSec : undefined,
    bounds.slots,
    notes,
  );
  const earliest = nowSec + MIN_ACTION_LEAD_SEC;
  const taken = eitherTaken(takenTimes(bounds.ownExisting), userTimes);
  const drafts: Draft[] = cut.body.map((c) =>
    draft(bounds.targetId, { ...c, atSec: Math.max(c.atSec, earliest) }),
  );
  const returnSize = (tSec: number) =>
    sizesFor(0, undefined, { floor: floor(tSec), maxSize: bounds.groupMaxSize }, bounds.raiseMax).minSize;
  drafts.push(...restoreActions(drafts, cut.restoreSec, bounds, { earliest, taken, returnSize }, notes));
  // Each action's sizes as they will be when it runs, at the start time it finally gets.
  const sizes = new SizesInForce(schedule, base, {
    minSize: bounds.groupMinSize,
    maxSize: bounds.groupMaxSize,
  });
  const placed = placeStartTimes(supersede(drafts), taken, notes, (a, tSec) => {
    sizes.advanceTo(tSec);
    const next = sizesFor(a.own, a.maxSize, sizes, bounds.raiseMax);
    sizes.write(next);
    return { name: a.name, startTimeSec: tSec, own: a.own, ...next };
  });
  return {
    actions: placed.map(({ own: _own, ...a }) => a),
    truncatedRuns: cut.truncatedRuns,
    notes,
    ...result,
  };
}

/** The user's actions matter up to the latest moment an action of this run may start. */
function scheduleEndSec(live: readonly PlannedBlock[], bounds: ActionBounds, nowSec: number): number {
  const starts = bounds.ownExisting.map((a) => a.startTimeSec ?? nowSec);
  // An hour past the last of them leaves room for actions moved off a held start time.
  return Math.max(nowSec, live[live.length - 1]?.blockEndSec ?? nowSec, ...starts) + 3600;
}

/**
 * Two actions due at the same moment run in no set order: the later one supersedes, and keeps the
 * MaxSize the earlier one raised, which its MinSize may need (a MinSize above the group's MaxSize
 * makes the action fail when it runs). Raises only grow, so a MaxSize of its own is the higher.
 */
export function supersede<T extends ScheduledActionSpec>(actions: readonly T[]): T[] {
  const out: T[] = [];
  for (const a of actions) {
    const prev = out[out.length - 1];
    if (prev === undefined || prev.startTimeSec < a.startTimeSec) out.push(a);
    else {
      const maxSize = a.maxSize ?? prev.maxSize;
      out[out.length - 1] = maxSize === undefined ? a : { ...a, maxSize };
    }
  }
  return out;
}

/**
 * Keeps as many changes as the slots allow with one left for a restore (needed whenever older
 * actions remain, even by a plan that returns to nothing); the restore then comes where the plan
 * was cut.
 */
function cutToSlots(
  body: readonly Change[],
  restoreSec: number | undefined,
  slots: number,
  notes: string[],
): { body: readonly Change[]; restoreSec: number | undefined; truncatedRuns: number } {
  const kept = Math.max(0, slots - 1);
  if (body.length <= kept) return { body, restoreSec, truncatedRuns: 0 };
  const truncatedRuns = body.length - kept;
  notes.push(`${truncatedRuns} planned change(s) dropped to stay within ${slots} scheduled-action slot(s)`);
  return { body: body.slice(0, kept), restoreSec: body[kept]?.blockStartSec ?? restoreSec, truncatedRuns };
}

/**
 * The restore (and, when an older action forces it later, the plan's own return to the baseline
 * at `restoreSec`), after `actions` and after every older action of the target that may survive.
 * The return keeps its block's name, and the restore follows it, also when that block's action,
 * already on the group, holds the return's time: the restore is written first, while it is there.
 */
function restoreActions(
  actions: readonly Draft[],
  restoreSec: number | undefined,
  bounds: ActionBounds,
  at: { readonly earliest: number; readonly taken: TakenTime; readonly returnSize: (tSec: number) => number },
  notes: string[],
): Draft[] {
  const { earliest, taken, returnSize } = at;
  const name = restoreActionName(bounds.targetId, bounds.held);
  const to = (actionName: string, startTimeSec: number): Draft => ({
    name: actionName,
    startTimeSec,
    minSize: returnSize(startTimeSec),
    own: 0,
  });
  if (restoreSec === undefined) {
    // Nothing to return from, but older actions may outlive this run: a restore follows them.
    const survivorSec = latestSurvivor(bounds, actions);
    if (survivorSec === undefined) return [];
    return [to(name, Math.max(survivorSec + ACTION_SPACING_SEC, earliest))];
  }
  const back = to(actionName(bounds.targetId, restoreSec), Math.max(restoreSec, earliest));
  const survivorSec = latestSurvivor(bounds, [...actions, back]);
  if (survivorSec === undefined || survivorSec < back.startTimeSec) {
    const heldByBack = taken(back.startTimeSec, name) && !taken(back.startTimeSec, back.name);
    if (!heldByBack || actions.length + 2 > bounds.slots) return [{ ...back, name }];
    return [back, to(name, back.startTimeSec + ACTION_SPACING_SEC)];
  }
  const restore = to(name, survivorSec + ACTION_SPACING_SEC);
  if (actions.length + 2 <= bounds.slots) return [back, restore];
  notes.push('no slot to return to the baseline before older actions end: the restore comes after them');
  return [restore];
}

/**
 * Latest start among this target's existing actions, other than the restore being written, that
 * no desired action reproduces exactly: the ones a failed delete would leave behind with a
 * different effect (an older plan's actions, or its other restore).
 */
function latestSurvivor(bounds: ActionBounds, desired: readonly ScheduledActionSpec[]): number | undefined {
  const restore = restoreActionName(bounds.targetId, bounds.held);
  let latest: number | undefined;
  for (const a of bounds.ownExisting) {
    if (a.name === restore || a.startTimeSec === undefined) continue;
    const same = desired.some(
      (d) =>
        d.name === a.name &&
        d.startTimeSec === a.startTimeSec &&
        d.minSize === a.minSize &&
        d.maxSize === a.maxSize,
    );
    if (!same && (latest === undefined || a.startTimeSec > latest)) latest = a.startTimeSec;
  }
  return latest;
}

function draft(targetId: string, c: Change): Draft {
  const name = actionName(targetId, c.blockStartSec);
  const a = { name, startTimeSec: c.atSec, minSize: c.minSize, own: c.own };
  return c.maxSize === undefined ? a : { ...a, maxSize: c.maxSize };
}
