/**
 * One scheduled action per start time: EC2 Auto Scaling rejects a put at a start time another
 * action of the group holds ("A scheduled action must have a unique time value. If you attempt to
 * schedule an activity at a time when another scaling activity is already scheduled, the call is
 * rejected", https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html#scheduled-scaling-limitations).
 * Which times are held, and where an action goes instead. Pure.
 */
import type { ScheduledActionSpec } from './ports';

/** Actions of one target are at least this far apart when one has to give way to another. */
export const ACTION_SPACING_SEC = 60;

/** True when an action other than `name` holds start time `tSec`. */
export type TakenTime = (tSec: number, name: string) => boolean;

/** No time is taken. */
export const NO_TAKEN_TIME: TakenTime = () => false;

/** The start times `actions` hold, each by the names holding it. */
export function takenTimes(
  actions: Iterable<{ readonly name: string; readonly startTimeSec?: number }>,
): TakenTime {
  const byTime = new Map<number, Set<string>>();
  for (const a of actions) {
    if (a.startTimeSec === undefined) continue;
    const names = byTime.get(a.startTimeSec) ?? new Set<string>();
    names.add(a.name);
    byTime.set(a.startTimeSec, names);
  }
  return (tSec, name) => {
    const names = byTime.get(tSec);
    return names !== undefined && (names.size > 1 || !names.has(name));
  };
}

/** Both: a time taken in either. */
export function eitherTaken(a: TakenTime, b: TakenTime): TakenTime {
  return (tSec, name) => a(tSec, name) || b(tSec, name);
}

/**
 * `actions` (strictly in start order, as `supersede` leaves them), each moved to a start time no
 * other action holds: an action whose time is taken moves later by whole {@link ACTION_SPACING_SEC}
 * steps. Later, never earlier: a lowering then still comes after the higher block has ended, and
 * an action of the group that holds the time (a user's action included) still runs before it, as
 * it was planned; a raise comes a minute later, still ahead of its block unless
 * `schedulingBufferSec` is under a minute. An action moved onto or past the next one's start
 * becomes one with it, the later, which keeps any MaxSize it raised (see `supersede`). One with no
 * free time within {@link MAX_MOVE_SEC} keeps its own, and a note says so (its put is rejected). `at`, when
 * given, is called in start order with each action kept and the start time it gets, and returns
 * the action as it is written then (its sizes may depend on the moment).
 */
export function placeStartTimes<T extends ScheduledActionSpec>(
  actions: readonly T[],
  taken: TakenTime,
  notes?: string[],
  at: (a: T, tSec: number) => T = (a, tSec) => (tSec === a.startTimeSec ? a : { ...a, startTimeSec: tSec }),
): T[] {
  const out: T[] = [];
  let carriedMax: number | undefined;
  for (let i = 0; i < actions.length; i++) {
    const planned = actions[i] as T;
    const maxSize = planned.maxSize ?? carriedMax;
    const a = maxSize === undefined ? planned : { ...planned, maxSize };
    carriedMax = undefined;
    const free = freeFrom(a.startTimeSec, a.name, taken);
    if (free === undefined) {
      notes?.push(
        `${a.name} kept at ${iso(a.startTimeSec)}: every start time for a day from then is held by another scheduled action of the group`,
      );
    }
    const tSec = free ?? a.startTimeSec;
    const next = actions[i + 1];
    if (next !== undefined && tSec >= next.startTimeSec) {
      notes?.push(`${a.name} merged into ${next.name}: its start time is held by another scheduled action`);
      carriedMax = a.maxSize;
      continue;
    }
    if (tSec !== a.startTimeSec) {
      notes?.push(
        `${a.name} moved from ${iso(a.startTimeSec)} to ${iso(tSec)}: another scheduled action of the group starts at ${iso(a.startTimeSec)}`,
      );
    }
    out.push(at(a, tSec));
  }
  return out;
}

/** How far {@link freeFrom} looks for a free start time: a day. */
const MAX_MOVE_SEC = 86_400;

/**
 * The first start time from `tSec` on, in {@link ACTION_SPACING_SEC} steps, that `name` may take;
 * undefined when none is free within {@link MAX_MOVE_SEC} (a user's action running every minute).
 */
function freeFrom(tSec: number, name: string, taken: TakenTime): number | undefined {
  for (let t = tSec; t <= tSec + MAX_MOVE_SEC; t += ACTION_SPACING_SEC) if (!taken(t, name)) return t;
  return undefined;
}

function iso(tSec: number): string {
  return new Date(tSec * 1000).toISOString().replace('.000Z', 'Z');
}
