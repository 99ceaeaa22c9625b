/**
 * The forecaster's EventBridge schedule: checked at synth time against EventBridge's own rules and
 * against the one cadence the forecaster is built for, hourly.
 */

/** The hourly schedules accepted, as the error message lists them. */
export const HOURLY_SCHEDULES = 'rate(1 hour), rate(60 minutes) or cron(<minute> * * * ? *)';

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_SEC: Readonly<Record<string, number>> = { minute: 60, hour: 3600, day: 86_400 };
/** cron(M * * * ? *), or with `?` in day-of-month instead: once an hour at minute M. */
const HOURLY_CRON = /^cron\(([0-5]?\d) \* (\*|\?) \* (\*|\?) \*\)$/;

/**
 * Why `expression` cannot schedule the forecaster, or undefined when it can.
 *
 * EventBridge takes `rate(value unit)` with a positive value and a singular unit for 1, plural
 * otherwise (`rate(1 hours)` and `rate(5 hour)` fail only at deploy time). The forecaster is built
 * to run hourly: each run publishes the forecast points up to an hour ahead (`PUBLISH_AHEAD_SEC`),
 * so a slower schedule leaves steps without forecast points. A faster one no longer publishes a
 * point twice (each run sends only the times CloudWatch does not hold yet), but the scaler is
 * built, measured and documented for hourly runs only.
 */
export function scheduleProblem(expression: string): string | undefined {
  const rate = RATE.exec(expression);
  if (rate !== null) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? '';
    const singular = !unit.endsWith('s');
    if (value < 1 || singular !== (value === 1)) {
      return 'EventBridge rejects this rate: the value must be at least 1, with a singular unit for 1 (rate(1 hour)) and a plural one otherwise (rate(60 minutes))';
    }
    const intervalSec = value * (UNIT_SEC[singular ? unit : unit.slice(0, -1)] ?? 0);
    return intervalSec === 3600 ? undefined : hourlyOnly();
  }
  if (/^cron\(.+\)$/.test(expression)) {
    const cron = HOURLY_CRON.exec(expression);
    const oneQuestionMark = cron !== null && (cron[2] === '?') !== (cron[3] === '?');
    return oneQuestionMark ? undefined : hourlyOnly();
  }
  return 'expected rate(...) or cron(...)';
}

function hourlyOnly(): string {
  return `the forecaster must run once an hour (each run publishes the next hour of forecast points): use ${HOURLY_SCHEDULES}`;
}
