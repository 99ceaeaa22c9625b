/**
 * From a capacity plan to the scheduled actions that carry it out, and from those to the writes
 * that reconcile a group with them. Pure: names, merging, quota and clean-up rules live here.
 */
import type { PlannedBlock } from '../planning/types';
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

/** Bounds the plan is written against. */
export interface ActionBounds {
  readonly targetId: string;
  /** Configured baseline: restored by the last action. */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** `increase` also writes `maxSize`; `honor` leaves the group maximum alone. */
  readonly raiseMax: boolean;
  /** The group's current maximum; with `honor` no action asks for a minimum above it. */
  readonly groupMaxSize: number;
  /** Actions this plan may hold: the quota minus the group's foreign actions. */
  readonly slots: number;
}

/** The desired actions and what had to give way to produce them. */
export interface DesiredActions {
  readonly actions: readonly ScheduledActionSpec[];
  /** Planned runs dropped to stay within the quota (the restore then comes earlier). */
  readonly truncatedRuns: number;
  readonly notes: readonly string[];
}

interface Run {
  readonly startSec: number;
  readonly actionAtSec: number;
  readonly minSize: number;
  readonly maxSize: number;
}

/**
 * Turns planned blocks into one-time actions: consecutive blocks with the same capacity merge into
 * one action at the first block's start minus the buffer; blocks already over are dropped and an
 * action due within {@link MIN_ACTION_LEAD_SEC} is moved to now + that lead; the last action
 * restores the configured minimum (and maximum) at the end of the plan, so the group returns to
 * its baseline if the forecaster stops. At most `bounds.slots` actions, restore included.
 */
export function desiredActions(
  blocks: readonly PlannedBlock[],
  bounds: ActionBounds,
  nowSec: number,
): DesiredActions {
  const notes: string[] = [];
  const live = blocks.filter((b) => b.blockEndSec > nowSec);
  const last = live[live.length - 1];
  if (last === undefined || bounds.slots < 1) {
    if (bounds.slots < 1) notes.push('no scheduled-action slot left: foreign actions fill the quota');
    return { actions: [], truncatedRuns: 0, notes };
  }
  let runs = mergeRuns(live, bounds, notes);
  let endSec = last.blockEndSec;
  let truncatedRuns = 0;
  const lastRun = runs[runs.length - 1];
  const needsRestore = lastRun !== undefined && !isBaseline(lastRun, bounds);
  const budget = needsRestore ? bounds.slots - 1 : bounds.slots;
  if (runs.length > budget) {
    truncatedRuns = runs.length - Math.max(0, bounds.slots - 1);
    const firstDropped = runs[bounds.slots - 1];
    runs = runs.slice(0, Math.max(0, bounds.slots - 1));
    if (firstDropped !== undefined) endSec = firstDropped.startSec;
    notes.push(
      `${truncatedRuns} planned change(s) dropped to stay within ${bounds.slots} scheduled-action slot(s)`,
    );
  }
  const earliest = nowSec + MIN_ACTION_LEAD_SEC;
  const timed = runs.map((r) => ({ ...r, actionAtSec: Math.max(r.actionAtSec, earliest) }));
  // Two runs both due "now" would fire together in no set order: the later one supersedes.
  const ordered = timed.filter((r, i) => {
    const next = timed[i + 1];
    return next === undefined || next.actionAtSec > r.actionAtSec;
  });
  const actions = ordered.map((r) => spec(bounds, r.startSec, r.actionAtSec, r.minSize, r.maxSize));
  const finalRun = runs[runs.length - 1];
  if (finalRun === undefined || !isBaseline(finalRun, bounds)) {
    actions.push(spec(bounds, endSec, Math.max(endSec, earliest), bounds.minCapacity, bounds.maxCapacity));
  }
  return { actions, truncatedRuns, notes };
}

function mergeRuns(blocks: readonly PlannedBlock[], bounds: ActionBounds, notes: string[]): Run[] {
  const runs: Run[] = [];
  let capped = 0;
  for (const b of blocks) {
    let minSize = b.minCapacity;
    const maxSize = bounds.raiseMax ? Math.max(b.maxCapacity, minSize) : bounds.groupMaxSize;
    if (!bounds.raiseMax && minSize > bounds.groupMaxSize) {
      minSize = bounds.groupMaxSize;
      capped++;
    }
    const prev = runs[runs.length - 1];
    if (prev !== undefined && prev.minSize === minSize && prev.maxSize === maxSize) continue;
    runs.push({ startSec: b.blockStartSec, actionAtSec: b.actionAtSec, minSize, maxSize });
  }
  if (capped > 0)
    notes.push(`${capped} block(s) capped at the group's MaxSize ${bounds.groupMaxSize} (honor)`);
  return runs;
}

function isBaseline(run: Run, bounds: ActionBounds): boolean {
  const maxAtBaseline = !bounds.raiseMax || run.maxSize === bounds.maxCapacity;
  return run.minSize === bounds.minCapacity && maxAtBaseline;
}

function spec(
  bounds: ActionBounds,
  nameSec: number,
  startTimeSec: number,
  minSize: number,
  maxSize: number,
): ScheduledActionSpec {
  const name = actionName(bounds.targetId, nameSec);
  return bounds.raiseMax ? { name, startTimeSec, minSize, maxSize } : { name, startTimeSec, minSize };
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
