import { type Cell, renderTable as renderCells } from '../cli/table';

/** One part of `npm run bench`: a printed table and the JSON written under `bench/results/`. */
export interface BenchSection {
  /** File-name-safe id, e.g. `accuracy`; the JSON goes to `bench/results/<name>.json`. */
  readonly name: string;
  readonly title: string;
  /** Rendered with {@link renderTable}. */
  readonly table: string;
  readonly json: unknown;
}

/**
 * Renders rows with the CLI's table (`cli/table.ts`), formatting numbers on the way: a column of
 * numbers (and `-` for a missing one) is right-aligned.
 */
export function renderTable(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
): string {
  const numeric = header.map((_, j) => rows.every((r) => typeof r[j] === 'number' || r[j] === '-'));
  const cell = (c: string | number | undefined, j: number): Cell =>
    typeof c === 'number' ? { num: fmt(c) } : numeric[j] ? { num: c ?? '' } : (c ?? '');
  return renderCells(
    header,
    rows.map((r) => header.map((_, j) => cell(r[j], j))),
  );
}

/**
 * Integers grouped in thousands, other numbers with 3 decimals, or 1 from 100 on (grouped too, so
 * `2,508.9` sits beside `3,135` in one column).
 */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const decimals = Number.isInteger(n) ? 0 : Math.abs(n) >= 100 ? 1 : 3;
  return n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}
