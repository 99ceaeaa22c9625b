/**
 * Writes the inputs of bench/r/stlf-reference.R: for every 5-minute trace of ../shared/data/traces,
 * `<trace>.txt` (path separators as `__`; see {@link rFileStem}) holding
 *   line 1: `#key …`, the {@link rInputKey} R copies into its output, so a stale output is caught;
 *   line 2: the replay's decision settings in steps, `first every history horizon period`, as the
 *           backtest resolves them by default;
 *   then the trace's grid values, one per line, each printed exactly (shortest round-trip form).
 *
 *   npx tsx bench/r-export.ts OUT_DIR      (bench/r/run.sh runs it, then R)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stepsPerDay } from '../lambdas/core/forecast/options';
import type { RegularSeries } from '../lambdas/core/series/types';
import { resolveBacktestOptions } from '../lambdas/core/simulation/backtest-options';
import { fiveMinuteTraces } from './backtest';
import { isMainModule } from './main-module';

/** The replay's default decisions in steps: `first every history horizon period`. */
function settingsLine(series: RegularSeries): string {
  const notCalled = () => {
    throw new Error('the export resolves settings only');
  };
  const s = resolveBacktestOptions(series, { targetValue: 1, forecaster: notCalled });
  return [s.firstDecision, s.replanSteps, s.historySteps, s.horizonSteps, stepsPerDay(series.stepSec)].join(
    ' ',
  );
}

const valuesText = (series: RegularSeries) => Array.from(series.values, (v) => String(v)).join('\n');

/** 32-bit FNV-1a of a string's UTF-16 code units, as 8 hex digits: a fingerprint, not security. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** R's input for `series`: the key, the settings line and the values text, each made once. */
function rInput(series: RegularSeries): { key: string; settings: string; values: string } {
  const settings = settingsLine(series);
  const values = valuesText(series);
  const key = `${settings} step=${series.stepSec} n=${series.values.length} fnv1a=${fnv1a(values)}`;
  return { key, settings, values };
}

/**
 * What R's forecasts for `series` were made from: the replay settings, the step and the number and
 * fingerprint of the values. The calibration replays R's forecasts only when their key matches.
 */
export function rInputKey(series: RegularSeries): string {
  return rInput(series).key;
}

/** The input file R reads for `series`; see the file comment. */
export function rInputText(series: RegularSeries): string {
  const { key, settings, values } = rInput(series);
  return `#key ${key}\n${settings}\n${values}\n`;
}

/** The file name a trace's R input and output take: `realTweets/Twitter_volume_GOOG` → `realTweets__Twitter_volume_GOOG`. */
export const rFileStem = (trace: string) => trace.replaceAll('/', '__');

if (isMainModule(import.meta.url)) {
  const out = process.argv[2];
  if (out === undefined) throw new Error('usage: npx tsx bench/r-export.ts OUT_DIR');
  mkdirSync(out, { recursive: true });
  for (const { name, series } of fiveMinuteTraces()) {
    writeFileSync(join(out, `${rFileStem(name)}.txt`), rInputText(series));
    console.log(`${name}: ${series.values.length} points`);
  }
}
