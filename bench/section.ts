/** One part of `npm run bench`: a printed table and the JSON written under `bench/results/`. */
export interface BenchSection {
  /** File-name-safe id, e.g. `accuracy`; the JSON goes to `bench/results/<name>.json`. */
  readonly name: string;
  readonly title: string;
  /** Rendered with {@link renderTable}. */
  readonly table: string;
  readonly json: unknown;
}

/** Renders rows as an aligned plain-text table; numbers are right-aligned. */
export function renderTable(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
): string {
  const cells = [header.map(String), ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = header.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const numeric = header.map((_, j) => rows.every((r) => typeof r[j] === 'number' || r[j] === '-'));
  const line = (r: readonly string[]) =>
    r.map((c, j) => (numeric[j] ? c.padStart(widths[j] ?? 0) : c.padEnd(widths[j] ?? 0))).join('  ');
  const [head, ...body] = cells;
  return [line(head ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return Math.abs(n) >= 100 ? n.toFixed(1) : n.toFixed(3);
}
