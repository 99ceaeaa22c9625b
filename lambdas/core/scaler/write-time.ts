/**
 * The plan's start times checked against the clock at the moment of each write, not at the start
 * of the run: under throttling a target's later writes can come minutes after its plan was made,
 * and EC2 Auto Scaling rejects an action whose StartTime is in the past. Pure.
 */
import { supersede } from './action-plan';
import type { ScheduledActionSpec, ScheduledActionState } from './ports';
import { MIN_ACTION_LEAD_SEC } from './scheduled-actions';
import { NO_TAKEN_TIME, placeStartTimes, type TakenTime } from './start-times';

/**
 * The plan as it must be written at `nowSec`: every action due within {@link MIN_ACTION_LEAD_SEC}
 * moves to now + that lead. Moving them all to one moment keeps their order; those that meet there
 * become one, the latest in the plan (the restore when it is among them, so it still runs after
 * every other action), which keeps the MaxSize any of them raised. Nothing else changes, so no
 * MaxSize is lowered. When another action of the group holds that moment (`group.taken`, as the
 * group stands when the put is sent), the action moves on to the next free minute (see
 * `placeStartTimes`); an action moved keeps MinSize at least the floor at its new time
 * (`group.floorAt`). `plan` is in start order, as `desiredActions` returns it.
 */
export function retimeForWrite(
  plan: readonly ScheduledActionSpec[],
  nowSec: number,
  group: GroupAtWrite = {},
): ScheduledActionSpec[] {
  const earliest = nowSec + MIN_ACTION_LEAD_SEC;
  const planned = new Map(plan.map((a) => [a.name, a.startTimeSec]));
  const { taken = NO_TAKEN_TIME, floorAt } = group;
  return placeStartTimes(
    supersede(plan.map((a) => (a.startTimeSec >= earliest ? a : { ...a, startTimeSec: earliest }))),
    taken,
    undefined,
    (a, tSec) => {
      if (tSec === planned.get(a.name)) return a;
      // Moved later: a user's action may have raised the floor in between.
      const minSize = floorAt === undefined ? a.minSize : Math.max(a.minSize, floorAt(tSec));
      return { ...a, startTimeSec: tSec, minSize };
    },
  );
}

/** What the group holds when a put is sent. */
export interface GroupAtWrite {
  /** Start times other actions of the group hold. */
  readonly taken?: TakenTime;
  /** The floor at a moment (see `desiredActions`): an action moved later keeps at least it. */
  readonly floorAt?: (tSec: number) => number;
}

/** One batch put as it must be sent at a given moment. */
export interface WriteBatch {
  /** The batch's actions as retimed, plus any action they merged into that must carry a MaxSize. */
  readonly put: readonly ScheduledActionSpec[];
  /** Actions of the batch merged into a later one: not written, and deleted if on the group. */
  readonly merged: readonly string[];
}

/**
 * The put of `names` (actions of `plan`) at `nowSec`, after {@link retimeForWrite} (with the group
 * as it stands at that moment). An action merged
 * into a later one is dropped; when that later one is already on the group (`onGroup`) and is not
 * written later in this run (`later`), it is written again with the MaxSize the merge gave it, so
 * a raise its MinSize may need is not lost.
 */
export function writeBatch(
  plan: readonly ScheduledActionSpec[],
  names: readonly string[],
  onGroup: ReadonlyMap<string, ScheduledActionState>,
  later: ReadonlySet<string>,
  nowSec: number,
  group: GroupAtWrite = {},
): WriteBatch {
  const retimed = retimeForWrite(plan, nowSec, group);
  const byName = new Map(retimed.map((a) => [a.name, a]));
  const earliest = nowSec + MIN_ACTION_LEAD_SEC;
  const put: ScheduledActionSpec[] = [];
  const merged: string[] = [];
  for (const name of names) {
    const a = byName.get(name);
    if (a !== undefined) {
      put.push(a);
      continue;
    }
    merged.push(name);
    const plannedSec = plan.find((p) => p.name === name)?.startTimeSec ?? earliest;
    const into = retimed.find((r) => r.startTimeSec >= Math.max(plannedSec, earliest));
    if (
      into !== undefined &&
      !names.includes(into.name) &&
      !later.has(into.name) &&
      !put.includes(into) &&
      onGroup.get(into.name)?.maxSize !== into.maxSize
    )
      put.push(into);
  }
  return { put, merged };
}
