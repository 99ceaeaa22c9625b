/** Writes one target's plan as scheduled actions through the ports: read, diff, restore, delete, put. */
import type { ScalingTarget } from '../../../lib/config/schema';
import type { PlannedBlock } from '../planning/types';
import { desiredActions } from './action-plan';
import { capByMaxSize, planBaseline, withRelease } from './baseline';
import { type ActionFacts, describeError } from './decision';
import { GroupRefusedError, groupFit } from './group-fit';
import { otherPlans } from './other-plans';
import type {
  BatchWriteResult,
  Clock,
  GroupReader,
  GroupState,
  Outcome,
  ScalingActuator,
  ScheduledActionState,
} from './ports';
import {
  forecasterActionOf,
  freeSlots,
  isOwnAction,
  reconcileActions,
  SCHEDULED_ACTIONS_PER_BATCH,
} from './scheduled-actions';
import { eitherTaken, takenTimes } from './start-times';
import { recurrenceReader } from './user-recurrence';
import { userSchedule } from './user-schedule';
import { writeBatch } from './write-time';

type Failure = BatchWriteResult['failed'][number];

/** The group could not be described after its scheduled actions were listed: nothing was written. */
export class GroupReadError extends Error {
  override readonly name = 'GroupReadError';
}

/**
 * Replaces this target's own future scheduled actions on its group with the plan's, on the
 * baseline `planBaseline` decides (never below a group MinSize the target did not set), in an
 * order that never leaves the group without a restore after its last raise: the restore first
 * (updated in place; if it cannot be written nothing else is), then stale own actions are deleted
 * (freeing quota), then the other actions are put. Foreign actions are counted, never touched, and
 * no put takes a start time another action of the group holds when it is sent.
 * Item failures are returned in `failed`, not thrown; port errors (e.g. throttling after the
 * SDK's retries) propagate to the caller, which fails only this target. Either way the restore
 * written or kept runs after every own action left on the group.
 *
 * The group (its sizes and what `groupFit` checks) is described on its own after its actions are
 * listed, just before the plan is made. EC2 Auto Scaling lists only actions that have not run, and
 * may run one up to two minutes late: an action of the target that runs before the list is gone
 * from it with its effect in the sizes, one that runs between the two reads is listed with its
 * effect in the sizes, so neither a raise it made (MinSize, MaxSize with `increase`, the block in
 * progress) is missed nor a restore that has run taken for a floor someone else set. An action
 * that runs after the group read and before the writes is still planned as pending on sizes
 * without it; that window is one call and the planning (one read of every group before the writes,
 * batched, would stretch it over the writes of every target before this one). A failed read
 * throws {@link GroupReadError} before anything is written.
 *
 * The plan is made at the clock's time once the actions and the group are read; each batch put
 * (the restore, then 50 actions at a time) reads the clock again just before it is sent and moves
 * any action due within the lead to now + the lead (see `writeBatch`), since retries under
 * throttling can delay a write past a start time that was far enough ahead when planned.
 *
 * `signal` (the run's `stopTargets`) is passed to every call, so the SDK aborts the call in flight
 * when the run stops waiting for the target; a call whose answer comes anyway (a port that does
 * not honour it) is followed by no write: each write checks it first.
 *
 * A group that cannot take the plan (see `groupFit`: sizes not counted in instances,
 * ScheduledActions suspended, being deleted) throws {@link GroupRefusedError} before anything is
 * written; suspended processes that keep the written plan from taking full effect are returned
 * in `groupWarnings`.
 */
export async function applyPlan(
  target: ScalingTarget,
  blocks: readonly PlannedBlock[],
  ports: { readonly groups: GroupReader; readonly actuator: ScalingActuator },
  clock: Clock,
  signal?: AbortSignal,
): Promise<ActionFacts> {
  const existing = await ports.groups.listScheduledActions(target.autoScalingGroupName, signal);
  const own = existing.filter((a) => isOwnAction(a.name, target.id));
  const foreign = existing.filter((a) => !isOwnAction(a.name, target.id));
  const group = await describeAfterList(ports.groups, target.autoScalingGroupName, signal);
  const fit = groupFit(group);
  if (fit.refusals.length > 0) {
    throw new GroupRefusedError(
      `Auto Scaling group ${group.name} cannot take the plan, so nothing was written (actions this target wrote before, if any, stay as they are): ${fit.refusals.join('; ')}`,
    );
  }
  const nowSec = clock.nowSec();
  const onGroup = new Map<string, ScheduledActionState>(own.map((a) => [a.name, a]));
  // One reader for the run's two looks at the user's schedule: each Recurrence is parsed once.
  const read = recurrenceReader();
  const { current } = userSchedule(foreign, nowSec, nowSec, read);
  const raiseMax = target.maxCapacityBreachBehavior === 'increase';
  const baseline = capByMaxSize(
    planBaseline(target.id, target.minCapacity, group.minSize, own, { userCurrent: current, foreign }),
    group.maxSize,
    raiseMax,
  );
  const desired = desiredActions(
    blocks,
    {
      targetId: target.id,
      baseline: baseline.minSize,
      held: baseline.source === 'group',
      maxCapacity: target.maxCapacity,
      raiseMax,
      groupMinSize: group.minSize,
      groupMaxSize: group.maxSize,
      slots: freeSlots(existing, target.id),
      ownExisting: own,
      foreign,
    },
    nowSec,
    read,
  );
  const changes = reconcileActions(desired.actions, existing, target.id);
  const failed: Failure[] = [];
  const deleted: string[] = [];
  const written: string[] = [];
  const notes = [...desired.notes];
  const remove = async (names: readonly string[]) => {
    if (names.length === 0) return;
    // The run stopped waiting for this target: nothing more is written for it.
    signal?.throwIfAborted();
    const res = await ports.actuator.deleteScheduledActions(group.name, names, signal);
    failed.push(...res.failed);
    for (const name of succeeded(names, res.failed)) {
      deleted.push(name);
      onGroup.delete(name);
    }
  };
  const put = async (names: readonly string[], later: ReadonlySet<string>) => {
    // A start time is checked against the group as it stands when the put is sent.
    const taken = eitherTaken(desired.userTimes, takenTimes(onGroup.values()));
    const batch = writeBatch(desired.actions, names, onGroup, later, clock.nowSec(), {
      taken,
      floorAt: desired.floorAt,
    });
    let ok = true;
    if (batch.put.length > 0) {
      signal?.throwIfAborted();
      const res = await ports.actuator.putScheduledActions(group.name, batch.put, signal);
      failed.push(...res.failed);
      const done = new Set(
        succeeded(
          batch.put.map((s) => s.name),
          res.failed,
        ),
      );
      for (const s of batch.put.filter((a) => done.has(a.name))) {
        if (!written.includes(s.name)) written.push(s.name);
        onGroup.set(s.name, s);
      }
      ok = res.failed.length === 0;
    }
    if (batch.merged.length > 0) {
      notes.push(
        `${batch.merged.join(', ')} merged into a later action: due before the write could take effect`,
      );
      await remove(batch.merged.filter((n) => onGroup.has(n)));
    }
    return ok;
  };
  const body = changes.put.map((s) => s.name);
  await remove(changes.removeFirst);
  const restored = changes.restore === undefined || (await put([changes.restore.name], new Set(body)));
  if (restored) {
    await remove(changes.remove);
    for (let i = 0; i < body.length; i += SCHEDULED_ACTIONS_PER_BATCH) {
      await put(
        body.slice(i, i + SCHEDULED_ACTIONS_PER_BATCH),
        new Set(body.slice(i + SCHEDULED_ACTIONS_PER_BATCH)),
      );
    }
  }
  return {
    baseline: withRelease(baseline, {
      targetId: target.id,
      groupName: group.name,
      minCapacity: target.minCapacity,
      ownOnGroup: [...onGroup.keys()],
      otherHeld: foreign.filter((a) => forecasterActionOf(a.name)?.kind === 'held').map((a) => a.name),
    }),
    written,
    deleted,
    unchanged: changes.unchanged,
    foreign: changes.foreign,
    truncatedRuns: desired.truncatedRuns,
    failed,
    warnings: desired.warnings,
    groupWarnings: fit.warnings,
    otherPlans: otherPlans(target.id, foreign),
    notes: restored ? notes : [...notes, 'the restore could not be written: nothing else was'],
  };
}

/** The group's sizes read now; a failed read is a {@link GroupReadError} naming the group. */
async function describeAfterList(
  reader: GroupReader,
  name: string,
  signal: AbortSignal | undefined,
): Promise<GroupState> {
  let read: Outcome<GroupState> | undefined;
  try {
    read = (await reader.describeGroups([name], signal)).get(name);
  } catch (error) {
    read = { ok: false, error: describeError(error) };
  }
  if (read?.ok === true) return read.value;
  throw new GroupReadError(
    `Auto Scaling group ${name} could not be described after its scheduled actions were listed (${read === undefined ? 'no answer for this group' : read.error}); the plan is made on its sizes read then, so nothing was written`,
  );
}

function succeeded(names: readonly string[], failed: readonly Failure[]): string[] {
  const bad = new Set(failed.map((f) => f.name));
  return names.filter((n) => !bad.has(n));
}
