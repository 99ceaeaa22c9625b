/**
 * From a capacity plan to the scheduled actions that carry it out: when each change takes effect,
 * which sizes it writes, and where the plan returns to its baseline. Pure.
 */
import type { PlannedBlock } from '../planning/types';
import type { ScheduledActionSpec } from './ports';
import { actionName, MIN_ACTION_LEAD_SEC } from './scheduled-actions';

/** Bounds the plan is written against. */
export interface ActionBounds {
  readonly targetId: string;
  /** Configured baseline: no action sets MinSize below it, and the plan ends by restoring it. */
  readonly minCapacity: number;
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
 * due within {@link MIN_ACTION_LEAD_SEC} moves to now + that lead. The last action restores the
 * configured minimum when the last raised block ends. At most `bounds.slots` actions, restore
 * included.
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
  const endsOnBaseline = last !== undefined && last.minSize === baseline && last.maxSize === undefined;
  let body = endsOnBaseline ? changes.slice(0, -1) : changes;
  let restoreSec: number | undefined = endsOnBaseline
    ? last.atSec
    : finalMinSize === baseline
      ? undefined
      : (live[live.length - 1]?.blockEndSec ?? nowSec);
  let truncatedRuns = 0;
  const budget = restoreSec === undefined ? bounds.slots : bounds.slots - 1;
  if (body.length > budget) {
    const kept = Math.max(0, bounds.slots - 1);
    truncatedRuns = body.length - kept;
    restoreSec = body[kept]?.blockStartSec ?? restoreSec;
    body = body.slice(0, kept);
    notes.push(
      `${truncatedRuns} planned change(s) dropped to stay within ${bounds.slots} scheduled-action slot(s)`,
    );
  }
  const earliest = nowSec + MIN_ACTION_LEAD_SEC;
  const timed: Change[] = body.map((c) => ({ ...c, atSec: Math.max(c.atSec, earliest) }));
  if (restoreSec !== undefined) {
    timed.push({ blockStartSec: restoreSec, atSec: Math.max(restoreSec, earliest), minSize: baseline });
  }
  // Two actions due at the same moment run in no set order: the later one supersedes.
  const ordered = timed.filter((c, i) => {
    const next = timed[i + 1];
    return next === undefined || next.atSec > c.atSec;
  });
  return { actions: ordered.map((c) => spec(bounds.targetId, c)), truncatedRuns, notes };
}

/** The lowest MinSize any action writes: the configured minimum, within the group's MaxSize with `honor`. */
function floorOf(bounds: ActionBounds): number {
  return bounds.raiseMax ? bounds.minCapacity : Math.min(bounds.minCapacity, bounds.groupMaxSize);
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
