import { printable } from './printable';

export { isoUtc } from '../lambdas/core/series/iso-time';

/** A table cell: text is left-aligned, numbers (already formatted by the caller) right-aligned. */
export type Cell = string | { readonly num: string };

/**
 * Renders rows as an aligned plain-text table with a dashed rule under the header. Every cell is
 * shown {@link printable}: a cell may hold text read from a file or the ledger.
 */
export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const text = (c: Cell | undefined): string =>
    printable(c === undefined ? '' : typeof c === 'string' ? c : c.num);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => text(r[j]).length)));
  const rightAligned = header.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === 'object'));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, j) => (rightAligned[j] ? c.padStart(widths[j] ?? 0) : c.padEnd(widths[j] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r) => line(header.map((_, j) => text(r[j])))),
  ].join('\n');
}

/** A number cell with a fixed number of decimals and thousands separators. */
export function num(value: number, decimals = 0): { readonly num: string } {
  if (!Number.isFinite(value)) return { num: 'n/a' };
  return {
    num: value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }),
  };
}

/**
 * Magnitude from which {@link readableNum} switches to exponent notation: a double's integer
 * digits stop being exact near 9e15, and 1e300 grouped in thousands is 400 characters.
 */
const EXPONENT_FROM = 1e15;

/**
 * {@link num} for values of any magnitude, such as a forecast of whatever series it was given:
 * beyond 1e15, or non-zero but too small to show in `decimals` decimals, the value is written in
 * exponent notation with up to 6 significant digits (`1.25e+300`, `4e-3`).
 */
export function readableNum(value: number, decimals = 0): Cell {
  const abs = Math.abs(value);
  if (!Number.isFinite(value) || (abs < EXPONENT_FROM && (abs === 0 || abs >= 0.5 * 10 ** -decimals))) {
    return num(value, decimals);
  }
  return { num: Number(value.toPrecision(6)).toExponential() };
}

/** A fraction in [0, 1] shown as a percentage cell, e.g. `0.0123` → `1.23 %`. */
export function pct(fraction: number, decimals = 2): Cell {
  if (!Number.isFinite(fraction)) return { num: 'n/a' };
  return { num: `${(fraction * 100).toFixed(decimals)} %` };
}

/** Rounds to `digits` significant digits for output, so JSON and CSV carry no float noise. */
export function roundSig(value: number, digits = 6): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}
