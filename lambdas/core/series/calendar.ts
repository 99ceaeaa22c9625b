/**
 * Whether a date and time as written names a real instant. Regular expressions check the shape
 * only, and `Date.UTC` silently rolls month 13, February 30 or 12:75 over to another instant, so
 * every reader of written timestamps (CSV series, alarm events) checks the parts here.
 */

/** The parts of a written date and time, as written (so messages quote them as the user wrote them). */
export interface WrittenDateTime {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
  readonly minute: string;
  readonly second?: string | undefined;
  /** A numeric zone offset (not `Z`): its text as written, and its hour and minute digits. */
  readonly offset?: { readonly text: string; readonly hours: string; readonly minutes: string } | undefined;
}

/** The first part that does not exist, as one line (`month 13 does not exist (01-12)`), or `undefined`. */
export function dateTimeProblem(w: WrittenDateTime): string | undefined {
  const month = Number(w.month);
  if (month < 1 || month > 12) return `month ${w.month} does not exist (01-12)`;
  const days = daysInMonth(Number(w.year), month);
  const day = Number(w.day);
  if (day < 1 || day > days) return `day ${w.day} does not exist in ${w.year}-${w.month} (01-${days})`;
  if (Number(w.hour) > 23) return `hour ${w.hour} does not exist (00-23)`;
  if (Number(w.minute) > 59) return `minute ${w.minute} does not exist (00-59)`;
  if (w.second !== undefined && Number(w.second) > 59) return `second ${w.second} does not exist (00-59)`;
  if (w.offset !== undefined && (Number(w.offset.hours) > 23 || Number(w.offset.minutes) > 59)) {
    return `offset ${w.offset.text} is not a time offset (hours 00-23, minutes 00-59)`;
  }
  return undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
