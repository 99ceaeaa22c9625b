/**
 * A user's recurring scheduled action as the forecaster reads it, once per run: its `Recurrence`
 * (Unix cron) parsed by cron-parser in its `TimeZone` (UTC by default), or why it cannot be read;
 * its occurrences between two moments; and whether it runs at a given moment (the start time it
 * then holds on the group). Pure.
 */
import { CronDate, type CronExpression, CronExpressionParser } from 'cron-parser';

/** A Recurrence that could be read. */
export interface Recurrence {
  readonly expression: string;
  readonly timeZone: string;
  /** cron-parser's iterator: stateful, so every use below resets it first. */
  readonly cron: CronExpression;
}

/** A recurring action's Recurrence as read, or why it cannot be read. */
export type ReadRecurrence = (a: {
  readonly recurrence?: string;
  readonly timeZone?: string;
}) => Recurrence | string;

/**
 * Reads each distinct Recurrence and TimeZone once: many actions of a group often share one, and
 * parsing is a good part of the cost of following them.
 */
export function recurrenceReader(): ReadRecurrence {
  const read = new Map<string, Recurrence | string>();
  return (a) => {
    const expression = a.recurrence ?? '';
    const timeZone = a.timeZone ?? 'UTC';
    const key = `${timeZone}\n${expression}`;
    let r = read.get(key);
    if (r === undefined) {
      r = parse(expression, timeZone);
      read.set(key, r);
    }
    return r;
  };
}

function parse(expression: string, timeZone: string): Recurrence | string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5)
    return `Recurrence "${expression}" is not a Unix cron expression of 5 fields (it has ${fields.length})`;
  if (!isTimeZone(timeZone)) return `TimeZone "${timeZone}" is not an IANA time zone`;
  try {
    return { expression, timeZone, cron: CronExpressionParser.parse(expression, { tz: timeZone }) };
  } catch (error) {
    return `Recurrence "${expression}" cannot be read (${message(error)})`;
  }
}

/**
 * The occurrences in `(fromSec, untilSec]`, in order, at most `limit + 1` (so a caller can tell
 * "more than `limit`"); or why they cannot be worked out (cron-parser gave up looking).
 */
export function occurrencesAfter(
  r: Recurrence,
  fromSec: number,
  untilSec: number,
  limit: number,
): number[] | string {
  const out: number[] = [];
  try {
    r.cron.reset(new Date(fromSec * 1000));
    while (out.length <= limit) {
      const atSec = Math.round(r.cron.next().getTime() / 1000);
      if (atSec > untilSec) break;
      out.push(atSec);
    }
  } catch (error) {
    return `Recurrence "${r.expression}" cannot be followed (${message(error)})`;
  }
  return out;
}

/** The last occurrence at or before `tSec`, if there is one. */
export function lastAtOrBefore(r: Recurrence, tSec: number): number | undefined {
  try {
    r.cron.reset(new Date((tSec + 1) * 1000));
    return Math.round(r.cron.prev().getTime() / 1000);
  } catch {
    // No occurrence at all before then (an expression that never matches).
    return undefined;
  }
}

/** Longest daylight-saving jump forward looked for: two hours (double summer time). */
const SHIFT_SEC = 7200;

/**
 * Whether recurring actions run at a given moment, each asked in its own TimeZone. The wall clock
 * at a moment is worked out once per time zone, whatever the number of actions asked about it.
 */
export class RunTimes {
  private readonly clocks = new Map<string, CronDate>();

  /**
   * True when `r` runs at `tSec`: its cron expression matches the wall clock there (both times a
   * local time repeated when clocks go back, a superset of the runs); or, within two hours after
   * clocks go forward, cron-parser walking from before the change runs it at `tSec` (it runs a
   * skipped local time in the hour after the change, and knows so only when it walks across it).
   */
  runsAt(r: Recurrence, tSec: number): boolean {
    const clock = this.clock(r.timeZone, tSec);
    if (r.cron.includesDate(clock)) return true;
    if (clock.getUTCOffset() <= this.clock(r.timeZone, tSec - SHIFT_SEC).getUTCOffset()) return false;
    try {
      r.cron.reset(new Date((tSec - SHIFT_SEC - 1) * 1000));
      for (;;) {
        const atSec = Math.round(r.cron.next().getTime() / 1000);
        if (atSec >= tSec) return atSec === tSec;
      }
    } catch {
      return false;
    }
  }

  private clock(timeZone: string, tSec: number): CronDate {
    const key = `${timeZone}\n${tSec}`;
    let date = this.clocks.get(key);
    if (date === undefined) {
      date = new CronDate(new Date(tSec * 1000), timeZone);
      this.clocks.set(key, date);
    }
    return date;
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
