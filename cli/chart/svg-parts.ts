import type { Scale } from './scale';

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Formats a pixel coordinate compactly (one decimal), keeping the SVG small. */
function px(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

/**
 * Path data for a polyline through `values` (point `i` at `x(i)`), broken at values that are not
 * finite (NaN, or an overflowed ±Infinity, which has no place on the axis);
 * `step` draws horizontal-then-vertical segments, as capacity changes in steps.
 */
export function linePath(values: ArrayLike<number>, x: Scale, y: Scale, step = false): string {
  const parts: string[] = [];
  let pen = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      pen = false;
      continue;
    }
    if (pen && step) parts.push(`H${px(x(i))}`);
    parts.push(`${pen ? 'L' : 'M'}${px(x(i))} ${px(y(v))}`);
    pen = true;
  }
  return parts.join('');
}

/** Path data for the region between `lower` and `upper`, one closed shape per run where both are finite. */
export function bandPath(lower: ArrayLike<number>, upper: ArrayLike<number>, x: Scale, y: Scale): string {
  const shapes: string[] = [];
  let run: number[] = [];
  const flush = (): void => {
    if (run.length > 1) {
      const top = run.map((i, k) => `${k === 0 ? 'M' : 'L'}${px(x(i))} ${px(y(upper[i] as number))}`);
      const bottom = [...run].reverse().map((i) => `L${px(x(i))} ${px(y(lower[i] as number))}`);
      shapes.push(`${top.join('')}${bottom.join('')}Z`);
    }
    run = [];
  };
  for (let i = 0; i < lower.length; i++) {
    if (!Number.isFinite(lower[i] as number) || !Number.isFinite(upper[i] as number)) flush();
    else run.push(i);
  }
  flush();
  return shapes.join('');
}

/** Index ranges `[start, end)` where `flags` is true, so shortfalls draw as a few rectangles. */
export function runsOf(flags: readonly boolean[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= flags.length; i++) {
    const on = i < flags.length && flags[i] === true;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      runs.push([start, i]);
      start = -1;
    }
  }
  return runs;
}

/** An SVG element with attributes; `body` is inserted unescaped (callers escape text). */
export function el(name: string, attrs: Record<string, string | number>, body?: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? px(v) : escapeXml(v)}"`)
    .join('');
  return body === undefined ? `<${name}${a}/>` : `<${name}${a}>${body}</${name}>`;
}
