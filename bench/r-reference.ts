/**
 * Reads the forecasts bench/r/stlf-reference.R wrote for the backtest calibration: R's `forecast`
 * package as an outside yardstick for the simulator (the anchor: a planner on R stlf's
 * upper bound). Optional: the calibration runs without them and says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDecimal } from '../lambdas/core/series/decimal';
import type { PrecomputedForecasts } from './reference-forecasters';

/** The R references the calibration replays, when their forecasts exist: method, bound, label. */
export const R_REFERENCES = [
  {
    key: 'rStlfHi80',
    method: 'stlf',
    bound: 'hi80',
    label: "R stlf (ets), its 80 % interval's upper limit (p90)",
  },
  {
    key: 'rStlfHi90',
    method: 'stlf',
    bound: 'hi90',
    label: "R stlf (ets), its 90 % interval's upper limit (p95)",
  },
  {
    key: 'rSnaiveHi80',
    method: 'snaive',
    bound: 'hi80',
    label: "R snaive, its 80 % interval's upper limit (p90)",
  },
] as const;

export type RReference = (typeof R_REFERENCES)[number];

/**
 * Parses one output file: a `#key …` line, then rows `decision,kind,v1..vH`; fails naming the line
 * of a bad row, and when the key is not `expectedKey` (R's forecasts were made from another trace
 * or other replay settings: see `rInputKey`). A file holding a value that is not a finite number
 * (R writes `NA`, `NaN`, `Inf` or `-Inf`; an empty field is no number either) is refused, naming
 * the line and field: replaying without that forecast, or with a made-up one, would quietly skew
 * the reference it stands for.
 */
export function parseRForecasts(
  text: string,
  file: string,
  expectedKey: string,
): Map<string, Map<number, Float64Array>> {
  const byKind = new Map<string, Map<number, Float64Array>>();
  const [first, ...lines] = text.split('\n');
  if (first !== `#key ${expectedKey}`) {
    throw new Error(
      `${file}:1: made from "${first?.slice(0, 120)}", but the replay now needs "#key ${expectedKey}"; run bench/r/run.sh again`,
    );
  }
  lines.forEach((line, k) => {
    if (line === '') return;
    const { decision, kind, values } = parseRow(line, `${file}:${k + 2}`);
    const rows = byKind.get(kind) ?? new Map<number, Float64Array>();
    byKind.set(kind, rows.set(decision, values));
  });
  return byKind;
}

/**
 * The field as a finite number, as R prints one (`%.10g`, or `paste` for the decision: `1e+05`),
 * or undefined (`NA`, `NaN`, `Inf`, empty, or beyond float range): the CSV values' grammar.
 */
function finiteNumber(field: string): number | undefined {
  const read = readDecimal(field, { exponent: true });
  return read.ok ? read.value : undefined;
}

/** One row `decision,kind,v1..vH`; `at` is `file:line`. */
function parseRow(line: string, at: string): { decision: number; kind: string; values: Float64Array } {
  const [d = '', kind = '', ...rest] = line.split(',');
  const decision = finiteNumber(d);
  if (decision === undefined || !Number.isInteger(decision) || kind === '' || rest.length === 0) {
    throw new Error(`${at}: expected decision,kind,values… with finite numbers, got "${line.slice(0, 80)}"`);
  }
  const values = new Float64Array(rest.length);
  rest.forEach((field, j) => {
    const value = finiteNumber(field);
    if (value === undefined) {
      throw new Error(
        `${at}: field ${j + 3} (${kind} step ${j + 1} of decision ${decision}) is "${field.slice(0, 20)}", not a finite number; the file is refused rather than replayed without it (make R skip that forecast, as stlf-reference.R does for snaive, and run bench/r/run.sh again)`,
      );
    }
    values[j] = value;
  });
  return { decision, kind, values };
}

/**
 * The stored forecasts of every R reference for one trace (`stem`: see bench/r-export.ts), or an
 * empty map when R has not been run for it; fails when they were made from another input.
 */
export function loadRForecasts(
  dir: string,
  stem: string,
  expectedKey: string,
): Map<RReference['key'], PrecomputedForecasts> {
  const out = new Map<RReference['key'], PrecomputedForecasts>();
  const file = join(dir, `${stem}.csv`);
  if (!existsSync(file)) return out;
  const byKind = parseRForecasts(readFileSync(file, 'utf8'), file, expectedKey);
  for (const ref of R_REFERENCES) {
    const means = byKind.get(`${ref.method}_mean`) ?? new Map<number, Float64Array>();
    const uppers = byKind.get(`${ref.method}_${ref.bound}`) ?? new Map<number, Float64Array>();
    const byDecision = new Map<number, { point: Float64Array; upper: Float64Array }>();
    for (const [d, point] of means) {
      const upper = uppers.get(d);
      if (upper === undefined) {
        throw new Error(`${file}: decision ${d} has ${ref.method}_mean but no ${ref.method}_${ref.bound}`);
      }
      byDecision.set(d, { point, upper });
    }
    out.set(ref.key, { model: `r-${ref.method}-${ref.bound}`, byDecision });
  }
  return out;
}
