import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../bench/synthetic';
import { selectForecast } from '../../../lambdas/core/forecast/select';

const STEP = 300;
const DAY = 288;
const HOUR_SEC = 3600;
/** Tokyo's UTC offset, as a target's `weekendUtcOffsetHours: 9`. */
const TOKYO_SEC = 9 * HOUR_SEC;
/** 2015-01-03T00:00:00 in Tokyo (Friday 15:00 UTC), a local Saturday 00:00. */
const TOKYO_SATURDAY_SEC = 1_420_243_200 - TOKYO_SEC;
const LIFT = 30;

/** Epoch week day of a local time: 0 Thursday (1970-01-01), 2 Saturday, 3 Sunday. */
const isLocalWeekend = (sec: number) => {
  const d = Math.floor(((((sec + TOKYO_SEC) / 86_400) % 7) + 7) % 7);
  return d === 2 || d === 3;
};
/** A clean daily cycle whose Saturday and Sunday (Tokyo) run 30 higher. */
const truth = (sec: number) =>
  100 + (isLocalWeekend(sec) ? LIFT : 0) + 20 * Math.sin((2 * Math.PI * (sec % 86_400)) / 86_400);

/** Two weeks of 5-minute history with Gaussian noise σ 1, ending at local `endSec`. */
function history(endSec: number) {
  const rnd = seededRandom(7);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const startSec = endSec - 14 * 86_400;
  const values = Float64Array.from({ length: 14 * DAY }, (_, i) => truth(startSec + i * STEP) + gauss());
  return { startSec, stepSec: STEP, values };
}

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

describe('selectForecast from the edge of a local weekend', () => {
  // The day-type profile is smoothed over the week, so it ramps across the weekend's edges; a
  // history ending there departs from that ramp. Taken for a level shift (and an AR(1) start),
  // that departure was carried through the next day: from Friday midnight, Saturday was forecast
  // 15.6 above the weekdays and its p90 bound sat 13.0 below the load (docs/forecasting-experiments.md,
  // session 13). From Sunday midnight the selector fell back to seasonal-naive-weekly-ar (lift 0.0);
  // robust-seasonal-ar is chosen now and must keep Monday at the weekday level.
  it.each([
    { name: 'Saturday, from local Friday midnight', endSec: TOKYO_SATURDAY_SEC, weekend: true },
    { name: 'Monday, from local Sunday midnight', endSec: TOKYO_SATURDAY_SEC + 2 * 86_400, weekend: false },
  ])('forecasts the next day at its own level: $name', ({ endSec, weekend }) => {
    const h = history(endSec);
    const n = h.values.length;

    const f = selectForecast(h, { horizonSteps: DAY, weekendUtcOffsetSec: TOKYO_SEC });

    const times = Array.from({ length: DAY }, (_, i) => h.startSec + (n + i) * STEP);
    expect(times.every((t) => isLocalWeekend(t) === weekend)).toBe(true);
    const weekdayLevel = times.map((t) => truth(t) - (isLocalWeekend(t) ? LIFT : 0));
    const forecastLift = mean(Array.from(f.point, (p, i) => p - (weekdayLevel[i] as number)));
    const upperShortfall = mean(Array.from(f.upper, (u, i) => truth(times[i] as number) - u));
    expect(f.trust.trusted).toBe(true);
    // Observed: Saturday 28.9 (15.6 before the fix), Monday 0.8.
    expect(Math.abs(forecastLift - (weekend ? LIFT : 0)), `model ${f.model}`).toBeLessThan(5);
    // The p90 bound should not sit below the load on average (observed: 0.5 and 2.3 above).
    expect(upperShortfall).toBeLessThan(0);
  });
});
