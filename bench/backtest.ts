/**
 * `npm run bench backtest`: replays every 5-minute trace of ../shared/data/traces under reactive
 * target tracking, predictive + reactive (production `selectForecast`; the default planning bound,
 * as the forecaster Lambda's: point forecast + the median of the chosen model's block-maximum
 * validation errors; hourly blocks on the block's maximum, 300 s scheduling buffer) and the oracle, and reports
 * the equal-cost ratio (median over traces), under two target-tracking alarm settings: the
 * default, alarms counting the trace's own 5-minute datapoints (3 to scale out = 15 min, 15 to
 * scale in = 75 min), and 1-minute detailed monitoring (3 min and 15 min: the alarm fires on the
 * first breaching 5-minute step). The frontier always runs the same setting as the policies.
 * Under the default setting, the same traces are replayed with reference forecasters (perfect
 * foresight, foresight of the centred mean over ±30 min, seasonal naive) to calibrate the ratio (see
 * bench/backtest-calibration.ts). Then prices 1-hour against 15-minute blocks on the bundled
 * trace, under the default.
 *
 * Target rule, fixed before any result was seen and shared with the CLI: the load's 99th
 * percentile needs 15 instances (see lambdas/core/simulation/target-rule.ts).
 * Min capacity 1, max 1,000 (generous: the bounds should not decide the comparison), warm-up 300 s.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectForecast } from '../lambdas/core/forecast/select';
import type { FilledRun, RegularSeries } from '../lambdas/core/series';
import { runBacktest } from '../lambdas/core/simulation/backtest';
import { DEFAULT_TARGET_RULE, defaultTargetValue } from '../lambdas/core/simulation/target-rule';
import type { BacktestResult } from '../lambdas/core/simulation/types';
import { BacktestCalibration } from './backtest-calibration';
import { type EqualCostRank, median, rankOf, rankValue } from './equal-cost';
import { type BenchSection, renderTable } from './section';
import { readTraceFile } from './trace-file';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What the backtest bench reads. */
export interface BacktestBenchPaths {
  /** The shared traces folder, searched for `*.csv` at any depth. */
  readonly tracesDir: string;
  /** The trace the planning-blocks section replays. */
  readonly bundledTrace: string;
  /** Where bench/r/stlf-reference.R writes its forecasts (see the README's benchmark section). */
  readonly rForecastsDir: string;
}

/** The repository's: ../shared/data/traces, the bundled ELB trace, bench/results/r-reference. */
export const DEFAULT_PATHS: BacktestBenchPaths = {
  tracesDir: join(repoRoot, '..', 'shared', 'data', 'traces'),
  bundledTrace: join(repoRoot, 'data', 'traces', 'elb_request_count_8c0756.csv'),
  rForecastsDir: join(repoRoot, 'bench', 'results', 'r-reference'),
};

const STEP_SEC = 300;
const MIN_CAPACITY = 1;
const MAX_CAPACITY = 1_000;
const BLOCK_SEC = 3_600;

/**
 * A trace on its grid and the runs regularizing filled (see `BacktestOptions.filledRuns`); throws
 * naming the file (and line) when it cannot be read.
 */
function load(file: string): { series: RegularSeries; filledRuns: readonly FilledRun[] } {
  const { series, report } = readTraceFile(file);
  return { series, filledRuns: report.filledRuns };
}

function csvFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .flatMap((p) => (statSync(p).isDirectory() ? csvFiles(p) : p.endsWith('.csv') ? [p] : []))
    .sort();
}

/** One shared trace on its grid, named by its path under the traces folder without `.csv`. */
export interface TraceSeries {
  readonly name: string;
  readonly series: RegularSeries;
  /** Runs of `series` filled by interpolation. */
  readonly filledRuns: readonly FilledRun[];
}

/**
 * The shared traces with 5-minute steps, in path order; logs each one skipped for another step.
 * Throws when the traces folder is absent, and naming the file (and line) of a trace that cannot
 * be read.
 */
export function fiveMinuteTraces(tracesDir = DEFAULT_PATHS.tracesDir): TraceSeries[] {
  return csvFiles(tracesDir).flatMap((file) => {
    const name = relative(tracesDir, file).replace(/\.csv$/, '');
    const { series, filledRuns } = load(file);
    if (series.stepSec === STEP_SEC) return [{ name, series, filledRuns }];
    console.log(`backtest: skipping ${name}: step ${series.stepSec} s, not ${STEP_SEC} s`);
    return [];
  });
}

/** The alarm settings compared: `undefined` is the simulator's default (the trace's step). */
const ALARM_SETTINGS = [
  { key: 'datapoints5min', label: '5-min datapoints', metricPeriodSec: undefined },
  { key: 'detailed1min', label: '1-min detailed', metricPeriodSec: 60 },
] as const;

function backtest(
  { series, filledRuns }: Pick<TraceSeries, 'series' | 'filledRuns'>,
  blockSec = BLOCK_SEC,
  metricPeriodSec: number | undefined = undefined,
): { result: BacktestResult; target: number } {
  const target = defaultTargetValue(series.values);
  const result = runBacktest(series, {
    filledRuns,
    targetValue: target,
    forecaster: selectForecast,
    minCapacity: MIN_CAPACITY,
    maxCapacity: MAX_CAPACITY,
    planner: { blockSec },
    reactive: { metricPeriodSec },
  });
  return { result, target };
}

const pct = (x: number) => Number((100 * x).toFixed(2));
const hours = (x: number) => Number(x.toFixed(1));

/** The traces section; feeds `calibration` each trace's run under the default alarm setting. */
async function tracesSection(tracesDir: string, calibration: BacktestCalibration): Promise<BenchSection> {
  const title = 'Backtest: reactive vs predictive + reactive vs oracle, 5-minute traces, two alarm settings';
  // Only an absent folder skips the section: a trace that cannot be read stops the bench, naming it.
  if (!existsSync(tracesDir)) {
    const msg = `skipped: no traces at ${tracesDir}`;
    console.log(msg);
    return { name: 'backtest', title, table: msg, json: { skipped: msg } };
  }
  const traces5min = fiveMinuteTraces(tracesDir);
  const rows: Array<Array<string | number>> = [];
  const traces: unknown[] = [];
  const ratios: number[][] = ALARM_SETTINGS.map(() => []);
  const ranks: EqualCostRank[][] = ALARM_SETTINGS.map(() => []);
  for (const trace of traces5min) {
    const { name, series } = trace;
    const started = performance.now();
    const runs = ALARM_SETTINGS.map((a) => ({ ...a, ...backtest(trace, BLOCK_SEC, a.metricPeriodSec) }));
    const row: Array<string | number> = [name, runs[0]?.target ?? 0];
    runs.forEach(({ result }, k) => {
      const { reactive, predictive } = result.policies;
      const rank = rankOf(result);
      ranks[k]?.push(rank);
      const ranked = rankValue(rank, result.equalCostRatio);
      if (ranked !== null) ratios[k]?.push(ranked);
      const ratio = result.equalCostRatio;
      row.push(pct(reactive.underProvisionedFraction), pct(predictive.underProvisionedFraction));
      row.push(hours(reactive.instanceHours), hours(predictive.instanceHours));
      row.push(ratio === null ? '-' : Number(ratio.toFixed(3)));
    });
    row.push(hours(runs[0]?.result.policies.oracle.instanceHours ?? 0));
    rows.push(row);
    const seconds = (performance.now() - started) / 1000;
    const shown = runs.map((r) => `${r.label} ${r.result.equalCostRatio?.toFixed(3) ?? 'null'}`).join(', ');
    console.log(`backtest: ${name}: ratio ${shown} (${seconds.toFixed(1)} s)`);
    const defaultRun = runs[0];
    if (defaultRun !== undefined) calibration.add(trace, defaultRun.target, defaultRun.result);
    traces.push({
      trace: name,
      targetValue: runs[0]?.target,
      ...Object.fromEntries(
        runs.map(({ key, metricPeriodSec, result }) => [
          key,
          {
            metricPeriodSec: metricPeriodSec ?? series.stepSec,
            policies: result.policies,
            equalCostRatio: result.equalCostRatio,
            equalCostRank: rankOf(result),
            reactiveFrontier: result.reactiveFrontier,
            forecast: result.forecast,
            forecasts: result.forecasts,
          },
        ]),
      ),
    });
  }
  const header = ['trace', 'target'];
  for (const a of ALARM_SETTINGS)
    header.push(
      ...['react under %', 'pred under %', 'react inst-h', 'pred inst-h', 'ratio'].map(
        (h) => `${h} (${a.label})`,
      ),
    );
  header.push('oracle inst-h');
  const medians = ratios.map((r) => median(r));
  const summary = ALARM_SETTINGS.map((a, k) => {
    const r = ratios[k] ?? [];
    const count = (rank: EqualCostRank) => (ranks[k] ?? []).filter((x) => x === rank).length;
    const med = medians[k] ?? null;
    return [
      `median equal-cost ratio, ${a.label}: ${med === null ? 'n/a' : med.toFixed(3)} over ${r.length} of ${rows.length} traces`,
      `(counted as +∞: ${count('costlier')} costlier than the whole frontier, ${count('onlyPredictiveBreaches')} under-provisioned where the frontier at their cost never is;`,
      `left out: ${count('cheaper')} cheaper than the whole frontier, ${count('neitherBreaches')} never under-provisioned where the frontier at their cost never is either)`,
    ].join(' ');
  });
  return {
    name: 'backtest',
    title,
    table: `${renderTable(header, rows)}\n\n${summary.join('\n')}`,
    json: {
      targetRule: DEFAULT_TARGET_RULE,
      minCapacity: MIN_CAPACITY,
      maxCapacity: MAX_CAPACITY,
      // JSON has no Infinity: a median among the +∞ traces is written as null.
      medianEqualCostRatio: Object.fromEntries(
        ALARM_SETTINGS.map((a, k) => {
          const med = medians[k] ?? null;
          return [a.key, med !== null && Number.isFinite(med) ? med : null];
        }),
      ),
      alarmSettings: ALARM_SETTINGS.map((a) => ({
        key: a.key,
        metricPeriodSec: a.metricPeriodSec ?? STEP_SEC,
      })),
      traces,
    },
  };
}

async function blocksSection(bundledTrace: string): Promise<BenchSection> {
  const title = `Backtest: 1-hour vs 15-minute planning blocks, ${basename(bundledTrace)} (5-min datapoints)`;
  if (!existsSync(bundledTrace)) {
    const msg = `skipped: no bundled trace at ${bundledTrace}`;
    console.log(msg);
    return { name: 'backtest-blocks', title, table: msg, json: { skipped: msg } };
  }
  const trace = load(bundledTrace);
  const runs = [3_600, 900].map((blockSec) => ({ blockSec, ...backtest(trace, blockSec) }));
  const rows = runs.map(({ blockSec, result }) => [
    `${blockSec / 60} min`,
    hours(result.policies.predictive.instanceHours),
    pct(result.policies.predictive.underProvisionedFraction),
    result.policies.predictive.scalingActions,
    result.equalCostRatio === null ? '-' : Number(result.equalCostRatio.toFixed(3)),
  ]);
  const header = ['block', 'pred inst-h', 'pred under %', 'pred actions', 'equal-cost ratio'];
  return {
    name: 'backtest-blocks',
    title,
    table: renderTable(header, rows),
    json: runs.map(({ blockSec, target, result }) => ({
      blockSec,
      targetValue: target,
      policies: result.policies,
      equalCostRatio: result.equalCostRatio,
    })),
  };
}

/** The backtest sections; see the file comment for the fixed configuration. */
export async function run(paths: BacktestBenchPaths = DEFAULT_PATHS): Promise<BenchSection[]> {
  const calibration = new BacktestCalibration(
    {
      blockSec: BLOCK_SEC,
      minCapacity: MIN_CAPACITY,
      maxCapacity: MAX_CAPACITY,
      alarm: ALARM_SETTINGS[0],
    },
    paths.rForecastsDir,
  );
  const traces = await tracesSection(paths.tracesDir, calibration);
  return [traces, calibration.section(), await blocksSection(paths.bundledTrace)];
}
