/**
 * Scheduled-action names, the quota, and the writes that reconcile a group with the desired
 * actions. Pure: naming, quota and clean-up rules live here.
 */
import type { ScheduledActionSpec, ScheduledActionState } from './ports';

/** Amazon EC2 Auto Scaling quota: scheduled actions per Auto Scaling group (cannot be changed). */
export const SCHEDULED_ACTIONS_PER_GROUP = 125;
/** AWS rejects actions scheduled in the past; an action due sooner is moved to now + this lead. */
export const MIN_ACTION_LEAD_SEC = 60;
/** Every action this scaler writes starts with this; nothing else is ever modified or deleted. */
export const ACTION_NAME_PREFIX = 'selfheal-';

const ISO_SUFFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** `selfheal-<targetId>-<ISO block start, seconds precision>`: a re-run names the same block the same way. */
export function actionName(targetId: string, blockStartSec: number): string {
  return `${ACTION_NAME_PREFIX}${targetId}-${new Date(blockStartSec * 1000).toISOString().replace('.000Z', 'Z')}`;
}

/**
 * True when `name` was written for `targetId`: the prefix and then exactly an ISO timestamp, so
 * target `web` never claims `selfheal-web-api-…` and nothing foreign is ever touched.
 */
export function isOwnAction(name: string, targetId: string): boolean {
  const prefix = `${ACTION_NAME_PREFIX}${targetId}-`;
  return name.startsWith(prefix) && ISO_SUFFIX.test(name.slice(prefix.length));
}

/** The writes that take a group from its current actions to the desired ones. */
export interface ActionChanges {
  /** New or changed actions (create-or-replace by name). */
  readonly put: readonly ScheduledActionSpec[];
  /** This target's own actions that the new plan no longer holds. */
  readonly remove: readonly string[];
  /** Desired actions already present with the same time and sizes. */
  readonly unchanged: number;
  /** Actions on the group that this target did not write (left alone, but they use quota). */
  readonly foreign: number;
}

/** Scheduled-action slots a target may use on a group: the quota minus actions it does not own. */
export function freeSlots(existing: readonly ScheduledActionState[], targetId: string): number {
  const foreign = existing.filter((a) => !isOwnAction(a.name, targetId)).length;
  return Math.max(0, SCHEDULED_ACTIONS_PER_GROUP - foreign);
}

/** Diffs desired against existing actions; only names {@link isOwnAction} accepts are ever removed. */
export function reconcileActions(
  desired: readonly ScheduledActionSpec[],
  existing: readonly ScheduledActionState[],
  targetId: string,
): ActionChanges {
  const own = new Map<string, ScheduledActionState>();
  let foreign = 0;
  for (const a of existing) {
    if (isOwnAction(a.name, targetId)) own.set(a.name, a);
    else foreign++;
  }
  const wanted = new Set(desired.map((d) => d.name));
  const put = desired.filter((d) => !sameAction(d, own.get(d.name)));
  const remove = [...own.keys()].filter((name) => !wanted.has(name)).sort();
  return { put, remove, unchanged: desired.length - put.length, foreign };
}

function sameAction(d: ScheduledActionSpec, e: ScheduledActionState | undefined): boolean {
  return (
    e !== undefined &&
    e.recurrence === undefined &&
    e.startTimeSec === d.startTimeSec &&
    e.minSize === d.minSize &&
    e.maxSize === d.maxSize
  );
}
