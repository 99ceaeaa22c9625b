/**
 * Scheduled-action names, the quota, and the writes that reconcile a group with the desired
 * actions. Pure: naming, quota and clean-up rules live here.
 */
import type { ScheduledActionSpec, ScheduledActionState } from './ports';

/** Amazon EC2 Auto Scaling quota: scheduled actions per Auto Scaling group (cannot be changed). */
export const SCHEDULED_ACTIONS_PER_GROUP = 125;
/**
 * Slots of that quota a plan always leaves free for the group's owner: a put beyond the quota is
 * refused (LimitExceeded), so a plan that filled it would refuse the owner's next scheduled action
 * (console, CLI, CloudFormation) until the next run. Once they are used, the next run counts the
 * owner's new actions and leaves this many free again.
 */
export const OWNER_RESERVED_SLOTS = 5;
/** AWS rejects actions scheduled in the past; an action due sooner is moved to now + this lead, at planning and again just before each write. */
export const MIN_ACTION_LEAD_SEC = 60;
/** BatchPutScheduledUpdateGroupAction and BatchDeleteScheduledAction take at most 50 actions per call. */
export const SCHEDULED_ACTIONS_PER_BATCH = 50;
/** Every action this scaler writes starts with this; nothing else is ever modified or deleted. */
export const ACTION_NAME_PREFIX = 'selfheal-';
/** Suffix of a target's restore action, the one action whose name never changes. */
export const RESTORE_SUFFIX = 'restore';
/** Appended to {@link RESTORE_SUFFIX} when the restore returns to a floor found on the group. */
export const HELD_SUFFIX = '-held';

const ISO_SUFFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** `selfheal-<targetId>-<ISO block start, seconds precision>`: a re-run names the same block the same way. */
export function actionName(targetId: string, blockStartSec: number): string {
  return `${ACTION_NAME_PREFIX}${targetId}-${new Date(blockStartSec * 1000).toISOString().replace('.000Z', 'Z')}`;
}

/**
 * `selfheal-<targetId>-restore`, or `selfheal-<targetId>-restore-held` when the floor it returns to
 * is a MinSize found on the group (see `planBaseline`): the action that returns the group to its
 * baseline after the plan. Its name is fixed so every run updates it in place (a put with an
 * existing name replaces it) and it is never among the stale actions deleted.
 */
export function restoreActionName(targetId: string, held = false): string {
  return `${ACTION_NAME_PREFIX}${targetId}-${RESTORE_SUFFIX}${held ? HELD_SUFFIX : ''}`;
}

/** True when `name` is one of `targetId`'s restore actions. */
export function isRestoreAction(name: string, targetId: string): boolean {
  return name === restoreActionName(targetId) || name === restoreActionName(targetId, true);
}

/**
 * True when `name` was written for `targetId`: the prefix and then exactly an ISO timestamp, or
 * the target's restore action, so target `web` never claims `selfheal-web-api-…` and nothing
 * foreign is ever touched.
 */
export function isOwnAction(name: string, targetId: string): boolean {
  const prefix = `${ACTION_NAME_PREFIX}${targetId}-`;
  return (
    isRestoreAction(name, targetId) || (name.startsWith(prefix) && ISO_SUFFIX.test(name.slice(prefix.length)))
  );
}

/**
 * The writes that take a group from its current actions to the desired ones, in the order they
 * are sent: `removeFirst`, `restore`, `remove`, `put`. The restore is written before anything is
 * deleted or raised, so a failure at any later step leaves it in place after every action of the
 * target.
 */
export interface ActionChanges {
  /** Stale actions deleted before the restore only because the quota has no slot for a new restore. */
  readonly removeFirst: readonly string[];
  /** The restore, when new or changed; written alone, first. */
  readonly restore?: ScheduledActionSpec;
  /**
   * This target's actions that the new plan no longer holds, and those that hold a MaxSize the new
   * plan drops (a put leaves unspecified sizes unchanged, so they are deleted and written anew).
   */
  readonly remove: readonly string[];
  /** Other new or changed actions (create-or-replace by name). */
  readonly put: readonly ScheduledActionSpec[];
  /** Desired actions already present with the same time and sizes. */
  readonly unchanged: number;
  /** Actions on the group that this target did not write (left alone, but they use quota). */
  readonly foreign: number;
}

/**
 * Scheduled-action slots a target's plan may use on a group: the quota minus the actions it does
 * not own and minus {@link OWNER_RESERVED_SLOTS}. The reserve never takes the one slot a restore
 * needs while actions of the target are on the group (the plan would otherwise delete them all,
 * its restore included, and leave a raise in force), as long as the quota itself has room.
 */
export function freeSlots(existing: readonly ScheduledActionState[], targetId: string): number {
  const own = existing.filter((a) => isOwnAction(a.name, targetId)).length;
  const room = SCHEDULED_ACTIONS_PER_GROUP - (existing.length - own);
  const planned = room - OWNER_RESERVED_SLOTS;
  return Math.max(0, own > 0 ? Math.max(planned, Math.min(1, room)) : planned);
}

/** What a name this scaler writes says: the target it was written for and the kind of action. */
export interface ForecasterAction {
  readonly targetId: string;
  /** `block`: `selfheal-<id>-<ISO block start>`; `restore` and `held`: `…-restore` and `…-restore-held`. */
  readonly kind: 'block' | 'restore' | 'held';
}

const FORECASTER_NAME = new RegExp(
  `^${ACTION_NAME_PREFIX}(.+)-(?:(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z)|${RESTORE_SUFFIX}(${HELD_SUFFIX})?)$`,
);

/**
 * The target a scheduled action named as this scaler names them was written for (any target id,
 * this stack's or another's), or `undefined` for any other name. `selfheal-x-restore-held` is
 * target `x`'s held restore, never a block of target `x-restore` (a block ends in a timestamp).
 */
export function forecasterActionOf(name: string): ForecasterAction | undefined {
  const m = FORECASTER_NAME.exec(name);
  const targetId = m?.[1];
  if (m === null || targetId === undefined) return undefined;
  if (m[2] !== undefined) return { targetId, kind: 'block' };
  return { targetId, kind: m[3] === undefined ? 'restore' : 'held' };
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
  const changed = desired.filter((d) => !sameAction(d, own.get(d.name)));
  const restore = changed.find((d) => isRestoreAction(d.name, targetId));
  const put = changed.filter((d) => d !== restore);
  const recreate = put.filter((d) => d.maxSize === undefined && own.get(d.name)?.maxSize !== undefined);
  const stale = [...own.values()].filter((a) => !wanted.has(a.name));
  const removeFirst: string[] = [];
  if (restore !== undefined && !own.has(restore.name) && foreign + own.size >= SCHEDULED_ACTIONS_PER_GROUP) {
    // The earliest stale action makes room; the latest ones may be an older plan's last word.
    const earliest = [...stale].sort((a, b) => (a.startTimeSec ?? 0) - (b.startTimeSec ?? 0))[0];
    if (earliest !== undefined) removeFirst.push(earliest.name);
  }
  const remove = [...stale.map((a) => a.name), ...recreate.map((d) => d.name)]
    .filter((name) => !removeFirst.includes(name))
    .sort();
  return {
    removeFirst,
    ...(restore === undefined ? {} : { restore }),
    remove,
    put,
    unchanged: desired.length - changed.length,
    foreign,
  };
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
