/**
 * The changes of the group's sizes a plan needs, block by block, against the sizes in force: the
 * plan's own writes and the user's actions as they run. Pure.
 */
import type { PlannedBlock } from '../planning/types';
import { SizesInForce, sizesFor, type WrittenSizes } from './user-floor';
import type { UserSchedule } from './user-schedule';

/** What `planChanges` plans against. */
interface ChangeBounds {
  /** The plan's floor (see `planBaseline`), raised by the user's own MinSize (see `floorAt`). */
  readonly baseline: number;
  readonly maxCapacity: number;
  readonly raiseMax: boolean;
  readonly groupMinSize: number;
  readonly groupMaxSize: number;
}

/** One change of the group's sizes, named after the block it starts. */
export interface Change {
  readonly blockStartSec: number;
  readonly atSec: number;
  /** The block's own minimum (the planned capacity, or the MinSize the block in progress keeps). */
  readonly own: number;
  readonly minSize: number;
  readonly maxSize?: number;
  /** True when the floor, not the block, sets this MinSize: the change returns to the floor. */
  readonly toFloor: boolean;
}

/**
 * One change per change of the group's sizes (blocks that change nothing write nothing, except a
 * return from sizes the plan wrote that a user's action has already changed). A raise takes
 * effect `schedulingBufferSec` before its block (the block's `actionAtSec`); a lowering at its
 * block's start, when the higher block ends. The block in progress keeps at least the group's
 * current MinSize. Each MinSize is the block's
 * own, never below the floor in force when it takes effect (see `floorAt`): a user's action that
 * raises MinSize keeps its value, and a user's action that lowers it inside a raised block is
 * raised again by the next block's action. With `honor` MinSize is capped at the MaxSize in
 * force; with `increase` `maxSize` is written only by an action that raises it above the maximum
 * in force, never lowered. `returns` is true when the plan's own last write leaves MinSize off the
 * floor at its end (or, when it writes nothing, the group's MinSize is off it), so a restore must
 * follow (a user's action returning the group to the floor does not count: it may be deleted).
 */
export function planChanges(
  live: readonly PlannedBlock[],
  bounds: ChangeBounds,
  schedule: UserSchedule,
  nowSec: number,
  notes: string[],
): { changes: Change[]; returns: boolean } {
  const changes: Change[] = [];
  const sizes = new SizesInForce(schedule, bounds, {
    minSize: bounds.groupMinSize,
    maxSize: bounds.groupMaxSize,
  });
  // The MinSize the plan's own writes leave (the group's to begin with): the plan returns from a
  // raise of its own itself, whatever the user's actions do in between (they may be deleted).
  let ownMin = bounds.groupMinSize;
  let capped = 0;
  let heldSec: number | undefined;
  // Nothing to write when the group already has these sizes, unless the plan has written sizes
  // of its own that only a user's action changed: the plan then returns from them itself (once
  // that return has run, nothing of the target is pending and the next run keeps the user's
  // MinSize as a floor found on the group, see `planBaseline`).
  const unchanged = (next: WrittenSizes) =>
    next.maxSize === undefined &&
    next.minSize === sizes.minSize &&
    (changes.length === 0 || next.minSize === ownMin);
  for (const b of live) {
    let own = b.minCapacity;
    if (b.blockStartSec <= nowSec && own < bounds.groupMinSize) {
      own = bounds.groupMinSize;
      heldSec = b.blockEndSec;
    }
    // A raise goes a scheduling buffer early; anything else waits for the higher block to end.
    sizes.advanceTo(b.actionAtSec);
    let next = blockSizes(b, own, sizes, bounds);
    if (!bounds.raiseMax && own > sizes.maxSize) capped++;
    let atSec = b.actionAtSec;
    if (next.maxSize === undefined && next.minSize <= sizes.minSize) {
      sizes.advanceTo(b.blockStartSec);
      next = blockSizes(b, own, sizes, bounds);
      atSec = b.blockStartSec;
    }
    if (unchanged(next)) continue;
    const toFloor = own <= sizes.floor && next.maxSize === undefined;
    changes.push({ blockStartSec: b.blockStartSec, atSec, own, ...next, toFloor });
    sizes.write(next);
    ownMin = next.minSize;
  }
  if (capped > 0)
    notes.push(`${capped} block(s) capped at the group's MaxSize ${bounds.groupMaxSize} (honor)`);
  if (heldSec !== undefined) {
    notes.push(
      `the block in progress keeps the group's MinSize ${bounds.groupMinSize} until it ends (${new Date(heldSec * 1000).toISOString()})`,
    );
  }
  sizes.advanceTo(live[live.length - 1]?.blockEndSec ?? nowSec);
  notes.push(...sizes.failing);
  const floorEnd = sizesFor(0, undefined, sizes, bounds.raiseMax).minSize;
  // After changes the plan returns from its own last write; with none, from the group's MinSize.
  return { changes, returns: (changes.length > 0 ? ownMin : sizes.minSize) !== floorEnd };
}

/** The sizes block `b` writes when `sizes` hold, with `increase`'s MaxSize raise (see `sizesFor`). */
function blockSizes(b: PlannedBlock, own: number, sizes: SizesInForce, bounds: ChangeBounds) {
  let ownMax: number | undefined;
  if (bounds.raiseMax) {
    const minSize = Math.max(own, sizes.floor);
    const breach = b.maxCapacity > bounds.maxCapacity;
    const wanted = Math.max(b.maxCapacity, minSize);
    if ((breach || minSize > sizes.maxSize) && wanted > sizes.maxSize) ownMax = wanted;
  }
  return sizesFor(own, ownMax, sizes, bounds.raiseMax);
}
