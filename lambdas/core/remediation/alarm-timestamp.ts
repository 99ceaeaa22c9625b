/**
 * The timestamps CloudWatch writes inside an alarm state change (`detail.state.timestamp`,
 * `detail.previousState.timestamp`): ISO 8601 with seconds, an optional fraction, and `Z` or an
 * offset with or without a colon (`2019-10-02T17:20:48.551+0000`, as in the CloudWatch User
 * Guide's samples; so not z.iso.datetime, which wants `Z`).
 */
import { dateTimeProblem } from '../series/calendar';

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|([+-]\d{2}:?\d{2}))$/;

/**
 * Why `text` is not a real instant in CloudWatch's form, or `undefined` when it is one. The shape
 * alone would let month 13, February 30 or 24:00 through, so each part is checked too.
 */
export function alarmTimestampProblem(text: string): string | undefined {
  const m = PATTERN.exec(text);
  if (m === null) return 'expected an ISO 8601 timestamp such as 2019-10-02T17:20:48.551+0000';
  const [, year = '', month = '', day = '', hour = '', minute = '', second = '', offset] = m;
  return dateTimeProblem({
    year,
    month,
    day,
    hour,
    minute,
    second,
    offset:
      offset === undefined
        ? undefined
        : { text: offset, hours: offset.slice(1, 3), minutes: offset.slice(-2) },
  });
}

/**
 * Epoch milliseconds of a timestamp {@link alarmTimestampProblem} accepts (`+0000` is read as
 * `+00:00`, the form ECMAScript's date-time string format defines).
 */
export function alarmTimestampMs(text: string): number {
  const problem = alarmTimestampProblem(text);
  if (problem !== undefined) throw new Error(`alarm timestamp "${text}": ${problem}`);
  return Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}
