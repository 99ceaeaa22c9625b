/** A linear map from a data domain onto a pixel range. */
export type Scale = (value: number) => number;

/** Maps `[d0, d1]` onto `[r0, r1]`; a zero-width domain maps everything to `r0`. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** Round tick values from 0 to at least `max`, about `count` of them (1, 2 or 5 × 10^k apart, so instance ticks stay whole). */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let v = 0; v < max + step - 1e-9 * step; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const HOUR = 3_600;
const TICK_STEPS_SEC = [
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  24 * HOUR,
  48 * HOUR,
  7 * 24 * HOUR,
  28 * 24 * HOUR,
];

/** Time ticks aligned to UTC midnights and whole hours, at most `maxTicks` of them over `[startSec, endSec]`. */
export function timeTicks(
  startSec: number,
  endSec: number,
  maxTicks = 16,
): { stepSec: number; ticks: number[] } {
  const span = Math.max(endSec - startSec, 1);
  const stepSec = TICK_STEPS_SEC.find((s) => span / s <= maxTicks) ?? span;
  const ticks: number[] = [];
  for (let t = Math.ceil(startSec / stepSec) * stepSec; t <= endSec; t += stepSec) ticks.push(t);
  return { stepSec, ticks };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A tick label: `Thu 10 Apr` at midnight on day-sized steps, `06:00` otherwise (UTC). */
export function timeLabel(tSec: number, stepSec: number): string {
  const d = new Date(tSec * 1000);
  const hhmm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  const day = `${WEEKDAYS[d.getUTCDay()] ?? ''} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''}`;
  if (stepSec >= 24 * HOUR) return day;
  return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 ? day : hhmm;
}

/** How a bucket of points becomes one drawn point. */
export type BucketReducer = 'max' | 'min' | 'mean';

/**
 * Reduces `values` to `buckets` points, so a chart narrower than the series stays legible:
 * `max` keeps peaks and short capacity shortfalls, `min`/`max` together give an envelope,
 * `mean` a typical level. Values that are not finite (NaN, or a forecast that overflowed to
 * ±Infinity) are skipped; buckets holding no finite value stay NaN, a gap in the drawing.
 */
export function bucketReduce(values: Float64Array, buckets: number, how: BucketReducer): Float64Array {
  if (values.length <= buckets) return values;
  const out = new Float64Array(buckets).fill(Number.NaN);
  const counts = new Uint32Array(buckets);
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor((i * buckets) / values.length);
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    const cur = out[b] as number;
    counts[b] = (counts[b] ?? 0) + 1;
    if (Number.isNaN(cur)) out[b] = v;
    else if (how === 'max') out[b] = Math.max(cur, v);
    else if (how === 'min') out[b] = Math.min(cur, v);
    else out[b] = cur + v;
  }
  if (how === 'mean') for (let b = 0; b < buckets; b++) out[b] = (out[b] as number) / (counts[b] ?? 1);
  return out;
}
