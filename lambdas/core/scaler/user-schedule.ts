/**
 * The user's own scheduled actions on a group (every action this target did not write), as the
 * moments they will set MinSize or MaxSize: a one-time action at its StartTime, a recurring one at
 * each occurrence of its `Recurrence` (Unix cron, in its `TimeZone`, UTC by default), from its
 * StartTime (itself an occurrence) up to its EndTime. A recurring action stays listed after it
 * has run, so its last occurrence before now is known too: the MinSize it set still holds. Pure:
 * cron-parser evaluates the cron expressions, IANA time zones and daylight-saving changes included.
 */
import { CronExpressionParser } from 'cron-parser';
import type { ScheduledActionState } from './ports';

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
 * `nowSec`. Actions that set neither (DesiredCapacity only) do not matter for the floor.
 */
export function userSchedule(
  foreign: readonly ScheduledActionState[],
  nowSec: number,
  endSec: number,
): UserSchedule {
  const events: UserEvent[] = [];
  const warnings: string[] = [];
  let standing: number | undefined;
  let current: UserSchedule['current'];
  for (const a of foreign) {
    if (a.minSize === undefined && a.maxSize === undefined) continue;
    const sizes = {
      name: a.name,
      ...(a.minSize === undefined ? {} : { minSize: a.minSize }),
      ...(a.maxSize === undefined ? {} : { maxSize: a.maxSize }),
    };
    if (a.recurrence === undefined) {
      if (a.startTimeSec !== undefined && a.startTimeSec <= endSec)
        events.push({ atSec: Math.max(a.startTimeSec, nowSec), ...sizes });
      continue;
    }
    const times = occurrences(a, nowSec, endSec);
    const last = typeof times === 'string' ? undefined : lastOccurrence(a, nowSec);
    if (last !== undefined && a.minSize !== undefined && isLater(last, a.minSize, current)) {
      current = { name: a.name, atSec: last, minSize: a.minSize };
    }
    if (typeof times === 'string') {
      const floor =
        a.minSize === undefined
          ? 'it sets no MinSize'
          : `its MinSize ${a.minSize} is taken as a floor from now on`;
      warnings.push(`scheduled action ${a.name}: ${times}; ${floor}`);
      if (a.minSize !== undefined) standing = Math.max(standing ?? 0, a.minSize);
      continue;
    }
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

/**
 * The occurrences of a recurring action in `(nowSec, endSec]`, or why they cannot be worked out.
 * AWS performs the action at its StartTime and then on the recurrence, until its EndTime.
 */
function occurrences(a: ScheduledActionState, nowSec: number, endSec: number): number[] | string {
  const recurrence = a.recurrence ?? '';
  const fields = recurrence.trim().split(/\s+/);
  if (fields.length !== 5)
    return `Recurrence "${recurrence}" is not a Unix cron expression of 5 fields (it has ${fields.length})`;
  const timeZone = a.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) return `TimeZone "${timeZone}" is not an IANA time zone`;
  const untilSec = Math.min(endSec, a.endTimeSec ?? Number.POSITIVE_INFINITY);
  const out: number[] = [];
  const startSec = a.startTimeSec;
  if (startSec !== undefined && startSec > nowSec && startSec <= untilSec) out.push(startSec);
  const fromSec = Math.max(nowSec, startSec ?? nowSec);
  try {
    const cron = CronExpressionParser.parse(recurrence, {
      currentDate: new Date(fromSec * 1000),
      tz: timeZone,
    });
    for (;;) {
      const atSec = Math.round(cron.next().getTime() / 1000);
      if (atSec > untilSec) break;
      if (out.length >= MAX_OCCURRENCES_PER_ACTION)
        return `Recurrence "${recurrence}" runs more than ${MAX_OCCURRENCES_PER_ACTION} times before the plan ends`;
      out.push(atSec);
    }
  } catch (error) {
    return `Recurrence "${recurrence}" cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
  return out;
}

/** The last occurrence of a recurring action at or before `nowSec` (its StartTime included). */
function lastOccurrence(a: ScheduledActionState, nowSec: number): number | undefined {
  const startSec = a.startTimeSec;
  if (startSec !== undefined && startSec > nowSec) return undefined;
  const beforeSec = Math.min(nowSec, a.endTimeSec ?? nowSec);
  let last: number | undefined;
  try {
    const cron = CronExpressionParser.parse(a.recurrence ?? '', {
      currentDate: new Date((beforeSec + 1) * 1000),
      tz: a.timeZone ?? 'UTC',
    });
    last = Math.round(cron.prev().getTime() / 1000);
  } catch {
    // No occurrence at all before now (an expression that never matches): only the StartTime.
  }
  if (startSec === undefined) return last;
  return last === undefined || last < startSec ? startSec : last;
}

function isLater(atSec: number, minSize: number, current: UserSchedule['current']): boolean {
  return (
    current === undefined || atSec > current.atSec || (atSec === current.atSec && minSize > current.minSize)
  );
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
