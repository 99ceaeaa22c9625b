/**
 * The floor no action of the plan writes MinSize below, over time, and the sizes an action writes
 * on it: the higher of the plan's baseline (see `planBaseline`) and the user's own MinSize at that
 * moment. The user's timeline is what the group would do without the scaler: a user's action that
 * sets MinSize holds until their next one changes it (a recurring action's last occurrence before
 * now included). Pure.
 */
import type { UserSchedule } from './user-schedule';

/** What the floor is made of besides the user's actions. */
interface FloorBase {
  /** The plan's baseline: a floor at every moment. */
  readonly baseline: number;
}

/** The floor at `tSec` (the user's actions due by then have run). */
export function floorAt(schedule: UserSchedule, base: FloorBase, tSec: number): number {
  let userMin = schedule.current?.minSize;
  for (const e of schedule.events) {
    if (e.atSec > tSec) break;
    if (e.minSize !== undefined) userMin = e.minSize;
  }
  return combineFloor(base, userMin, schedule.standingMinSize);
}

function combineFloor(base: FloorBase, userMin: number | undefined, standing: number | undefined): number {
  return Math.max(base.baseline, userMin ?? 0, standing ?? 0);
}

/** The sizes one action writes. */
export interface WrittenSizes {
  readonly minSize: number;
  readonly maxSize?: number;
}

/**
 * What an action whose own minimum is `own` (a planned block's, or none for a return) writes when
 * `floor` and `maxInForce` hold: MinSize never below the floor, nor above the MaxSize in force.
 * With `honor` (`raiseMax` false) MinSize is capped at the MaxSize in force (the floor too: an
 * action setting MinSize above it would fail when it runs); with `increase` a MaxSize is written
 * whenever MinSize needs it, and `ownMax` only when it raises the maximum in force.
 */
export function sizesFor(
  own: number,
  ownMax: number | undefined,
  inForce: { readonly floor: number; readonly maxSize: number },
  raiseMax: boolean,
): WrittenSizes {
  const wanted = Math.max(own, inForce.floor);
  if (!raiseMax) return { minSize: Math.min(wanted, inForce.maxSize) };
  const raise = ownMax !== undefined && ownMax > inForce.maxSize ? ownMax : undefined;
  if (wanted <= (raise ?? inForce.maxSize))
    return raise === undefined ? { minSize: wanted } : { minSize: wanted, maxSize: raise };
  return { minSize: wanted, maxSize: wanted };
}

/**
 * The group's sizes as time moves on (forward only): each user action as it runs, and the plan's
 * own writes as they are made.
 */
export class SizesInForce {
  minSize: number;
  maxSize: number;
  /** The user's actions that leave MinSize above MaxSize: EC2 Auto Scaling fails them when they run. */
  readonly failing: string[] = [];
  private next = 0;
  private userMin: number | undefined;

  constructor(
    private readonly schedule: UserSchedule,
    private readonly base: FloorBase,
    group: { readonly minSize: number; readonly maxSize: number },
  ) {
    this.minSize = group.minSize;
    this.maxSize = group.maxSize;
    this.userMin = schedule.current?.minSize;
  }

  /** Runs the user's actions due by `tSec`; one that would leave MinSize above MaxSize fails and changes nothing. */
  advanceTo(tSec: number): void {
    const events = this.schedule.events;
    for (let e = events[this.next]; e !== undefined && e.atSec <= tSec; e = events[++this.next]) {
      const minSize = e.minSize ?? this.minSize;
      const maxSize = e.maxSize ?? this.maxSize;
      if (minSize > maxSize) {
        const at = new Date(e.atSec * 1000).toISOString().replace('.000Z', 'Z');
        this.failing.push(
          `scheduled action ${e.name} at ${at} would leave MinSize ${minSize} above MaxSize ${maxSize}: it fails when it runs`,
        );
        continue;
      }
      this.minSize = minSize;
      this.maxSize = maxSize;
      if (e.minSize !== undefined) this.userMin = e.minSize;
    }
  }

  /** The floor now: the higher of the baseline, the user's last MinSize and a standing floor. */
  get floor(): number {
    return combineFloor(this.base, this.userMin, this.schedule.standingMinSize);
  }

  /** An action of the plan runs. */
  write(sizes: WrittenSizes): void {
    this.minSize = sizes.minSize;
    if (sizes.maxSize !== undefined) this.maxSize = sizes.maxSize;
  }
}
