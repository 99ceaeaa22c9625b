/** Writes one target's plan as scheduled actions through the ports: read, diff, delete stale, put. */
import type { ScalingTarget } from '../../../lib/config/schema';
import type { PlannedBlock } from '../planning/types';
import { desiredActions } from './action-plan';
import type { ActionFacts } from './decision';
import type { GroupReader, GroupState, ScalingActuator } from './ports';
import { freeSlots, reconcileActions } from './scheduled-actions';

/**
 * Replaces this target's own future scheduled actions on its group with the plan's. Stale own
 * actions are deleted first so they free quota; foreign actions are counted, never touched.
 * Item failures are returned in `failed`, not thrown; port errors (e.g. throttling after the SDK's
 * retries) propagate to the caller, which fails only this target.
 */
export async function applyPlan(
  target: ScalingTarget,
  group: GroupState,
  blocks: readonly PlannedBlock[],
  ports: { readonly groups: GroupReader; readonly actuator: ScalingActuator },
  nowSec: number,
): Promise<ActionFacts> {
  const existing = await ports.groups.listScheduledActions(group.name);
  const desired = desiredActions(
    blocks,
    {
      targetId: target.id,
      minCapacity: target.minCapacity,
      maxCapacity: target.maxCapacity,
      raiseMax: target.maxCapacityBreachBehavior === 'increase',
      groupMinSize: group.minSize,
      groupMaxSize: group.maxSize,
      slots: freeSlots(existing, target.id),
    },
    nowSec,
  );
  const changes = reconcileActions(desired.actions, existing, target.id);
  const failed: Array<{ name: string; error: string }> = [];
  if (changes.remove.length > 0) {
    const res = await ports.actuator.deleteScheduledActions(group.name, changes.remove);
    failed.push(...res.failed);
  }
  if (changes.put.length > 0) {
    const res = await ports.actuator.putScheduledActions(group.name, changes.put);
    failed.push(...res.failed);
  }
  const failedNames = new Set(failed.map((f) => f.name));
  return {
    written: changes.put.map((a) => a.name).filter((n) => !failedNames.has(n)),
    deleted: changes.remove.filter((n) => !failedNames.has(n)),
    unchanged: changes.unchanged,
    foreign: changes.foreign,
    truncatedRuns: desired.truncatedRuns,
    failed,
    notes: desired.notes,
  };
}
