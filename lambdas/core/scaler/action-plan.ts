/**
 * From a capacity plan to the scheduled actions that carry it out: when each change takes effect,
 * which sizes it writes, and where the plan returns to its baseline. Pure.
 */
import type { PlannedBlock } from '../planning/types';
import type { ScheduledActionSpec, ScheduledActionState } from './ports';
import { actionName, MIN_ACTION_LEAD_SEC, restoreActionName } from './scheduled-actions';
import { ACTION_SPACING_SEC, placeStartTimes, type TakenTime, takenTimes } from './start-times';

/** Bounds the plan is written against. */
export interface ActionBounds {
  readonly targetId: string;
  /** The floor (see `planBaseline`): no action sets MinSize below it; the restore returns to it. */
  readonly baseline: number;
  /** True when the floor is a MinSize found on the group: the restore is then `…-restore-held`. */
  readonly held: boolean;
  /** Configured maximum: with `increase`, a block planned above it raises MaxSize. */
  readonly maxCapacity: number;
  /** `increase` may write `maxSize` (only ever to raise it); `honor` never does. */
  readonly raiseMax: boolean;
  /** The group's MinSize when the plan is made: the floor in force during the block in progress. */
  readonly groupMinSize: number;
  /** The group's MaxSize when the plan is made: `honor` caps minimums at it; no action writes less. */
  readonly groupMaxSize: number;
  /** Actions this plan may hold: the quota minus the group's foreign actions. */
  readonly slots: number;
  /** This target's actions on the group now: the restore is placed after any that may outlive the run. */
  readonly ownExisting: readonly ScheduledActionState[];
  /** The group's other actions (the user's): never touched, and no action of the plan takes their start time. */
  readonly foreign: readonly ScheduledActionState[];
}

/** The desired actions and what had to give way to produce them. */
export interface DesiredActions {
  readonly actions: readonly ScheduledActionSpec[];
  /** Planned changes dropped to stay within the quota (the restore then comes earlier). */
  readonly truncatedRuns: number;
  readonly notes: readonly string[];
}

/** One change of the group's sizes, named after the block it starts. */
interface Change {
  readonly blockStartSec: number;
  readonly atSec: number;
  readonly minSize: number;
  readonly maxSize?: number;
}

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
 * EC2 Auto Scaling takes one action per start time on a group, and the restore is written while
 * every older action is still there: no action takes a start time another action of the group
 * holds (the user's, or one of the target's own other than the one of the same name), but moves
 * later (see `placeStartTimes`).
 *
 * The last action is the restore (`selfheal-<target>-restore[-held]`, see {@link restoreActionName}):
 * MinSize back to the baseline when the last raised block ends. It always runs after every other
 * action of the target, including older ones this run deletes, since a delete can fail: when one
 * of those starts later, the restore moves {@link ACTION_SPACING_SEC} after it and the plan's own
 * return to the baseline stays, as an action named after its block. At most `bounds.slots`
 * actions, restore included.
 */
export function desiredActions(
  blocks: readonly PlannedBlock[],
  bounds: ActionBounds,
  nowSec: number,
): DesiredActions {
  const notes: string[] = [];
  if (bounds.slots < 1) {
    notes.push('no scheduled-action slot left: foreign actions fill the quota');
    return { actions: [], truncatedRuns: 0, notes };
  }
  const live = blocks.filter((b) => b.blockEndSec > nowSec);
  const { changes, finalMinSize } = planChanges(live, bounds, nowSec, notes);
  const baseline = floorOf(bounds);
  const last = changes[changes.length - 1];
  // A plan that ends on its baseline returns with its last change; one that ends above, at its end.
  const endsOnBaseline = last !== undefined && last.minSize === baseline && last.maxSize === undefined;
  const planEndSec = live[live.length - 1]?.blockEndSec ?? nowSec;
  const cut = cutToSlots(
    endsOnBaseline ? changes.slice(0, -1) : changes,
    endsOnBaseline ? last.atSec : finalMinSize === baseline ? undefined : planEndSec,
    bounds.slots,
    notes,
  );
  const earliest = nowSec + MIN_ACTION_LEAD_SEC;
  const taken = takenTimes([...bounds.ownExisting, ...bounds.foreign]);
  const actions = cut.body.map((c) => spec(bounds.targetId, { ...c, atSec: Math.max(c.atSec, earliest) }));
  actions.push(...restoreActions(actions, cut.restoreSec, bounds, { earliest, taken }, notes));
  return {
    actions: placeStartTimes(supersede(actions), taken, notes),
    truncatedRuns: cut.truncatedRuns,
    notes,
  };
}

/**
 * Two actions due at the same moment run in no set order: the later one supersedes, and keeps the
 * MaxSize the earlier one raised, which its MinSize may need (a MinSize above the group's MaxSize
 * makes the action fail when it runs). Raises only grow, so a MaxSize of its own is the higher.
 */
export function supersede(actions: readonly ScheduledActionSpec[]): ScheduledActionSpec[] {
  const out: ScheduledActionSpec[] = [];
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
  actions: readonly ScheduledActionSpec[],
  restoreSec: number | undefined,
  bounds: ActionBounds,
  at: { readonly earliest: number; readonly taken: TakenTime },
  notes: string[],
): ScheduledActionSpec[] {
  const { earliest, taken } = at;
  const name = restoreActionName(bounds.targetId, bounds.held);
  const minSize = floorOf(bounds);
  if (restoreSec === undefined) {
    // Nothing to return from, but older actions may outlive this run: a restore follows them.
    const survivorSec = latestSurvivor(bounds, actions);
    if (survivorSec === undefined) return [];
    return [{ name, startTimeSec: Math.max(survivorSec + ACTION_SPACING_SEC, earliest), minSize }];
  }
  const back = spec(bounds.targetId, {
    blockStartSec: restoreSec,
    atSec: Math.max(restoreSec, earliest),
    minSize,
  });
  const survivorSec = latestSurvivor(bounds, [...actions, back]);
  if (survivorSec === undefined || survivorSec < back.startTimeSec) {
    const heldByBack = taken(back.startTimeSec, name) && !taken(back.startTimeSec, back.name);
    if (!heldByBack || actions.length + 2 > bounds.slots) return [{ ...back, name }];
    return [back, { name, startTimeSec: back.startTimeSec + ACTION_SPACING_SEC, minSize }];
  }
  const restore = { name, startTimeSec: survivorSec + ACTION_SPACING_SEC, minSize };
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

/** The lowest MinSize any action writes: the baseline, within the group's MaxSize with `honor`. */
function floorOf(bounds: ActionBounds): number {
  return bounds.raiseMax ? bounds.baseline : Math.min(bounds.baseline, bounds.groupMaxSize);
}

function planChanges(
  live: readonly PlannedBlock[],
  bounds: ActionBounds,
  nowSec: number,
  notes: string[],
): { changes: Change[]; finalMinSize: number } {
  const changes: Change[] = [];
  let minInForce = bounds.groupMinSize;
  let maxInForce = bounds.groupMaxSize;
  let capped = 0;
  let heldSec: number | undefined;
  for (const b of live) {
    let minSize = Math.max(b.minCapacity, floorOf(bounds));
    if (b.blockStartSec <= nowSec && minSize < bounds.groupMinSize) {
      minSize = bounds.groupMinSize;
      heldSec = b.blockEndSec;
    }
    let maxSize: number | undefined;
    if (bounds.raiseMax) {
      const breach = b.maxCapacity > bounds.maxCapacity;
      const wanted = Math.max(b.maxCapacity, minSize);
      if ((breach || minSize > maxInForce) && wanted > maxInForce) maxSize = wanted;
    } else if (minSize > maxInForce) {
      minSize = maxInForce;
      capped++;
    }
    if (minSize === minInForce && maxSize === undefined) continue;
    // A lowering waits for the higher block to end; only raises go a scheduling buffer early.
    const atSec = minSize < minInForce ? b.blockStartSec : b.actionAtSec;
    changes.push({
      blockStartSec: b.blockStartSec,
      atSec,
      minSize,
      ...(maxSize === undefined ? {} : { maxSize }),
    });
    minInForce = minSize;
    if (maxSize !== undefined) maxInForce = maxSize;
  }
  if (capped > 0)
    notes.push(`${capped} block(s) capped at the group's MaxSize ${bounds.groupMaxSize} (honor)`);
  if (heldSec !== undefined) {
    notes.push(
      `the block in progress keeps the group's MinSize ${bounds.groupMinSize} until it ends (${new Date(heldSec * 1000).toISOString()})`,
    );
  }
  return { changes, finalMinSize: minInForce };
}

function spec(targetId: string, c: Change): ScheduledActionSpec {
  const name = actionName(targetId, c.blockStartSec);
  return c.maxSize === undefined
    ? { name, startTimeSec: c.atSec, minSize: c.minSize }
    : { name, startTimeSec: c.atSec, minSize: c.minSize, maxSize: c.maxSize };
}
