/**
 * The user's own scheduled actions on a group (every action this target did not write), as the
 * moments they will set MinSize or MaxSize: a one-time action at its StartTime, a recurring one at
 * each occurrence of its `Recurrence` (Unix cron, in its `TimeZone`, UTC by default), from its
 * StartTime (itself an occurrence) up to its EndTime. A recurring action stays listed after it
 * has run, so its last occurrence before now is known too: the MinSize it set still holds. Pure:
 * cron-parser evaluates the cron expressions, IANA time zones and daylight-saving changes included.
 */
import type { ScheduledActionState } from './ports';
import {
  lastAtOrBefore,
  occurrencesAfter,
  type ReadRecurrence,
  type Recurrence,
  recurrenceReader,
} from './user-recurrence';

/** Occurrences followed per recurring action; one repeating more often is a standing floor instead. */
export const MAX_OCCURRENCES_PER_ACTION = 200;

/** One moment a user's action runs, and the sizes it sets. */
export interface UserEvent {
  readonly atSec: number;
  readonly name: string;
  readonly minSize?: number;
  readonly maxSize?: number;
}

/** The user's actions between now and the end of the plan. */
export interface UserSchedule {
  /** In time order; at one moment, the higher MinSize last (it is the floor that holds). */
  readonly events: readonly UserEvent[];
  /**
   * The highest MinSize of the recurring actions whose moments cannot be worked out (a Recurrence
   * or TimeZone that cannot be read, or more than {@link MAX_OCCURRENCES_PER_ACTION} occurrences):
   * a floor from now on, since any moment may be one of theirs.
   */
  readonly standingMinSize?: number;
  /**
   * The MinSize the user's recurring actions set last before now (their latest past occurrence):
   * it holds until the user's next action that sets MinSize.
   */
  readonly current?: { readonly name: string; readonly atSec: number; readonly minSize: number };
  /** One line per such action, naming it and the problem. */
  readonly warnings: readonly string[];
}

/**
 * The moments `foreign` actions set MinSize or MaxSize in `(nowSec, endSec]`. A one-time action
 * still listed after its StartTime has not run yet, so it runs at any moment: it counts from
 * `nowSec`. Actions that set neither (DesiredCapacity only) do not matter for the floor, but one
 * whose Recurrence cannot be read is warned about: its run times, which no action of the plan may
 * take (see `userStartTimes`), are unknown. `read` reads each Recurrence (one reader per run
 * parses each distinct one once).
 */
export function userSchedule(
  foreign: readonly ScheduledActionState[],
  nowSec: number,
  endSec: number,
  read: ReadRecurrence = recurrenceReader(),
): UserSchedule {
  const events: UserEvent[] = [];
  const warnings: string[] = [];
  const runs = new Runs();
  let standing: number | undefined;
  let current: UserSchedule['current'];
  for (const a of foreign) {
    const setsSize = a.minSize !== undefined || a.maxSize !== undefined;
    if (a.recurrence === undefined) {
      if (setsSize && a.startTimeSec !== undefined && a.startTimeSec <= endSec)
        events.push({ atSec: Math.max(a.startTimeSec, nowSec), ...sizesOf(a) });
      continue;
    }
    const r = read(a);
    if (typeof r === 'string') {
      warnings.push(`scheduled action ${a.name}: ${r}; ${floorTaken(a)}; ${UNKNOWN_RUN_TIMES}`);
      if (a.minSize !== undefined) standing = Math.max(standing ?? 0, a.minSize);
      continue;
    }
    if (!setsSize) continue;
    const times = occurrences(a, r, nowSec, endSec, runs);
    const last = typeof times === 'string' ? undefined : lastOccurrence(a, r, nowSec, runs);
    if (last !== undefined && a.minSize !== undefined && isLater(last, a.minSize, current)) {
      current = { name: a.name, atSec: last, minSize: a.minSize };
    }
    if (typeof times === 'string') {
      warnings.push(`scheduled action ${a.name}: ${times}; ${floorTaken(a)}`);
      if (a.minSize !== undefined) standing = Math.max(standing ?? 0, a.minSize);
      continue;
    }
    const sizes = sizesOf(a);
    for (const atSec of times) events.push({ atSec, ...sizes });
  }
  events.sort(
    (x, y) => x.atSec - y.atSec || (x.minSize ?? -1) - (y.minSize ?? -1) || x.name.localeCompare(y.name),
  );
  return {
    events,
    ...(standing === undefined ? {} : { standingMinSize: standing }),
    ...(current === undefined ? {} : { current }),
    warnings,
  };
}

/** Said of a recurring action whose Recurrence or TimeZone cannot be read. */
export const UNKNOWN_RUN_TIMES =
  'its run times are unknown, so an action of the plan may be put at one of them and be rejected';

function sizesOf(a: ScheduledActionState): Omit<UserEvent, 'atSec'> {
  return {
    name: a.name,
    ...(a.minSize === undefined ? {} : { minSize: a.minSize }),
    ...(a.maxSize === undefined ? {} : { maxSize: a.maxSize }),
  };
}

function floorTaken(a: ScheduledActionState): string {
  return a.minSize === undefined
    ? 'it sets no MinSize'
    : `its MinSize ${a.minSize} is taken as a floor from now on`;
}

/**
 * The runs of recurrences worked out so far in this call, by recurrence and window: actions that
 * share a Recurrence, a TimeZone and a window are followed once.
 */
class Runs {
  private readonly after = new Map<Recurrence, Map<string, number[] | string>>();
  private readonly last = new Map<Recurrence, Map<number, number | undefined>>();

  occurrencesAfter(r: Recurrence, fromSec: number, untilSec: number): number[] | string {
    const byWindow = this.after.get(r) ?? new Map<string, number[] | string>();
    this.after.set(r, byWindow);
    const key = `${fromSec} ${untilSec}`;
    let times = byWindow.get(key);
    if (times === undefined) {
      times = occurrencesAfter(r, fromSec, untilSec, MAX_OCCURRENCES_PER_ACTION);
      byWindow.set(key, times);
    }
    return times;
  }

  lastAtOrBefore(r: Recurrence, tSec: number): number | undefined {
    const byTime = this.last.get(r) ?? new Map<number, number | undefined>();
    this.last.set(r, byTime);
    if (!byTime.has(tSec)) byTime.set(tSec, lastAtOrBefore(r, tSec));
    return byTime.get(tSec);
  }
}

/**
 * The occurrences of a recurring action in `(nowSec, endSec]`, or why they cannot be worked out.
 * AWS performs the action at its StartTime and then on the recurrence, until its EndTime.
 */
function occurrences(
  a: ScheduledActionState,
  r: Recurrence,
  nowSec: number,
  endSec: number,
  runs: Runs,
): number[] | string {
  const untilSec = Math.min(endSec, a.endTimeSec ?? Number.POSITIVE_INFINITY);
  const out: number[] = [];
  const startSec = a.startTimeSec;
  if (startSec !== undefined && startSec > nowSec && startSec <= untilSec) out.push(startSec);
  const times = runs.occurrencesAfter(r, Math.max(nowSec, startSec ?? nowSec), untilSec);
  if (typeof times === 'string') return times;
  if (out.length + times.length > MAX_OCCURRENCES_PER_ACTION)
    return `Recurrence "${r.expression}" runs more than ${MAX_OCCURRENCES_PER_ACTION} times before the plan ends`;
  out.push(...times);
  return out;
}

/** The last occurrence of a recurring action at or before `nowSec` (its StartTime included). */
function lastOccurrence(
  a: ScheduledActionState,
  r: Recurrence,
  nowSec: number,
  runs: Runs,
): number | undefined {
  const startSec = a.startTimeSec;
  if (startSec !== undefined && startSec > nowSec) return undefined;
  const last = runs.lastAtOrBefore(r, Math.min(nowSec, a.endTimeSec ?? nowSec));
  if (startSec === undefined) return last;
  return last === undefined || last < startSec ? startSec : last;
}

function isLater(atSec: number, minSize: number, current: UserSchedule['current']): boolean {
  return (
    current === undefined || atSec > current.atSec || (atSec === current.atSec && minSize > current.minSize)
  );
}
