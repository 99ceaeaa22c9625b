/**
 * The timestamps CloudWatch writes inside an alarm state change (`detail.state.timestamp`,
 * `detail.previousState.timestamp`): ISO 8601 with seconds, an optional fraction, and `Z` or an
 * offset with or without a colon (`2019-10-02T17:20:48.551+0000`, as in the CloudWatch User
 * Guide's samples; so not z.iso.datetime, which wants `Z`).
 */

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|([+-]\d{2}):?(\d{2}))$/;

/** The expected form, as the parser's messages say it. */
export const ALARM_TIMESTAMP_FORM = 'expected an ISO 8601 timestamp such as 2019-10-02T17:20:48.551+0000';

/**
 * Why `text` is not a real instant in CloudWatch's form, or `undefined` when it is one. The shape
 * alone would let month 13, February 30 or 24:00 through, so each part is checked too.
 */
export function alarmTimestampProblem(text: string): string | undefined {
  const m = PATTERN.exec(text);
  if (m === null) return ALARM_TIMESTAMP_FORM;
  const part = (i: number) => m[i] ?? '';
  const num = (i: number) => Number(part(i));
  const month = num(2);
  if (month < 1 || month > 12) return `month ${part(2)} does not exist (01-12)`;
  const days = daysInMonth(num(1), month);
  if (num(3) < 1 || num(3) > days)
    return `day ${part(3)} does not exist in ${part(1)}-${part(2)} (01-${days})`;
  if (num(4) > 23) return `hour ${part(4)} does not exist (00-23)`;
  if (num(5) > 59) return `minute ${part(5)} does not exist (00-59)`;
  if (num(6) > 59) return `second ${part(6)} does not exist (00-59)`;
  if (m[7] !== undefined && (Math.abs(num(7)) > 23 || num(8) > 59)) {
    return `offset ${text.slice(text.lastIndexOf(m[7]))} is not a time offset (hours 00-23, minutes 00-59)`;
  }
  return undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
