/** Writes one target's plan as scheduled actions through the ports: read, diff, restore, delete, put. */
import type { ScalingTarget } from '../../../lib/config/schema';
import type { PlannedBlock } from '../planning/types';
import { desiredActions } from './action-plan';
import { planBaseline } from './baseline';
import type { ActionFacts } from './decision';
import type {
  BatchWriteResult,
  GroupReader,
  GroupState,
  ScalingActuator,
  ScheduledActionSpec,
} from './ports';
import { freeSlots, isOwnAction, reconcileActions } from './scheduled-actions';

type Failure = BatchWriteResult['failed'][number];

/**
 * Replaces this target's own future scheduled actions on its group with the plan's, on the
 * baseline `planBaseline` decides (never below a group MinSize the target did not set), in an
 * order that never leaves the group without a restore after its last raise: the restore first
 * (updated in place; if it cannot be written nothing else is), then stale own actions are deleted
 * (freeing quota), then the other actions are put. Foreign actions are counted, never touched.
 * Item failures are returned in `failed`, not thrown; port errors (e.g. throttling after the
 * SDK's retries) propagate to the caller, which fails only this target. Either way the restore
 * written or kept runs after every own action left on the group.
 */
export async function applyPlan(
  target: ScalingTarget,
  group: GroupState,
  blocks: readonly PlannedBlock[],
  ports: { readonly groups: GroupReader; readonly actuator: ScalingActuator },
  nowSec: number,
): Promise<ActionFacts> {
  const existing = await ports.groups.listScheduledActions(group.name);
  const own = existing.filter((a) => isOwnAction(a.name, target.id));
  const baseline = planBaseline(target.id, target.minCapacity, group.minSize, own);
  const desired = desiredActions(
    blocks,
    {
      targetId: target.id,
      baseline: baseline.minSize,
      held: baseline.source === 'group',
      maxCapacity: target.maxCapacity,
      raiseMax: target.maxCapacityBreachBehavior === 'increase',
      groupMinSize: group.minSize,
      groupMaxSize: group.maxSize,
      slots: freeSlots(existing, target.id),
      ownExisting: own,
    },
    nowSec,
  );
  const changes = reconcileActions(desired.actions, existing, target.id);
  const failed: Failure[] = [];
  const deleted: string[] = [];
  const written: string[] = [];
  const remove = async (names: readonly string[]) => {
    if (names.length === 0) return;
    const res = await ports.actuator.deleteScheduledActions(group.name, names);
    failed.push(...res.failed);
    deleted.push(...succeeded(names, res.failed));
  };
  const put = async (specs: readonly ScheduledActionSpec[]) => {
    if (specs.length === 0) return true;
    const res = await ports.actuator.putScheduledActions(group.name, specs);
    failed.push(...res.failed);
    written.push(
      ...succeeded(
        specs.map((s) => s.name),
        res.failed,
      ),
    );
    return res.failed.length === 0;
  };
  await remove(changes.removeFirst);
  const restored = changes.restore === undefined || (await put([changes.restore]));
  if (restored) {
    await remove(changes.remove);
    await put(changes.put);
  }
  return {
    baseline,
    written,
    deleted,
    unchanged: changes.unchanged,
    foreign: changes.foreign,
    truncatedRuns: desired.truncatedRuns,
    failed,
    notes: restored
      ? desired.notes
      : [...desired.notes, 'the restore could not be written: nothing else was'],
  };
}

function succeeded(names: readonly string[], failed: readonly Failure[]): string[] {
  const bad = new Set(failed.map((f) => f.name));
  return names.filter((n) => !bad.has(n));
}
