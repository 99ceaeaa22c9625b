import { basename } from 'node:path';
import { PLANNER_DEFAULTS } from '../lambdas/core/planning/config';
import { DEFAULT_PLANNING_BOUND, PLANNING_BOUNDS } from '../lambdas/core/planning/planning-bound';
import type { FilledRun } from '../lambdas/core/series/regularize';
import type { RegularSeries } from '../lambdas/core/series/types';
import { DEFAULT_BACKTEST_MAX_CAPACITY } from '../lambdas/core/simulation/backtest-options';
import { DEFAULT_TARGET_RULE, defaultTargetValue } from '../lambdas/core/simulation/target-rule';
import { neededCapacity } from '../lambdas/core/simulation/target-tracking';
import type { BacktestResult } from '../lambdas/core/simulation/types';
import {
  choiceFlag,
  integerFlag,
  type ParsedFlags,
  parseFlags,
  pathFlag,
  positiveNumberFlag,
  stringFlag,
} from './args';
import {
  type BacktestRun,
  type BacktestSettings,
  backtestSummary,
  renderBacktestReport,
} from './backtest-report';
import { renderChartHtml } from './chart/html-report';
import { renderChartSvg } from './chart/svg-chart';
import { CliUsageError } from './errors';
import { BACKTEST_HELP } from './help';
import type { CliIo, OutputFile } from './io';
import { readCsvSource, seriesFromCsv } from './load-series';
import { createProgress } from './progress';
import { describeRepairs } from './repairs';
import { WEEKEND_FLAG, weekendOffsetSecFlag } from './weekend-flag';

/** A regularized trace and the runs of it that were filled by interpolation. */
export interface BacktestTrace {
  readonly series: RegularSeries;
  readonly filledRuns: readonly FilledRun[];
}

/** Runs the simulator on a trace; the CLI's adapter over lambdas/core/simulation. */
export type BacktestRunner = (
  trace: BacktestTrace,
  settings: BacktestSettings,
  onProgress: (fraction: number) => void,
) => BacktestResult | Promise<BacktestResult>;

const DAY_SEC = 86_400;
/** The simulator's default instance warm-up, passed explicitly so the report can print it. */
const DEFAULT_WARMUP_SEC = 300;
const MIN_TRACE_SEC = 2 * DAY_SEC;

/** Runs `selfheal backtest` with `args` (the words after the command name); returns the exit code. */
export async function backtestCommand(
  args: readonly string[],
  io: CliIo,
  run: BacktestRunner,
): Promise<number> {
  const flags = parseFlags('backtest', args, {
    trace: { type: 'string' },
    'target-value': { type: 'string' },
    'warmup-sec': { type: 'string' },
    'block-sec': { type: 'string' },
    'planning-bound': { type: 'string' },
    'metric-period-sec': { type: 'string' },
    [WEEKEND_FLAG]: { type: 'string' },
    json: { type: 'string' },
    chart: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help === true) {
    io.stdout(BACKTEST_HELP);
    return 0;
  }
  const targetFlag = positiveNumberFlag(flags, 'target-value');
  const warmupSec = integerFlag(flags, 'warmup-sec', 0, DAY_SEC);
  const blockSec = blockSecFlag(flags);
  const planningBound = choiceFlag(flags, 'planning-bound', PLANNING_BOUNDS, DEFAULT_PLANNING_BOUND);
  const metricPeriodSec = metricPeriodFlag(flags);
  const weekendUtcOffsetSec = weekendOffsetSecFlag(flags);
  const jsonOut = pathFlag(flags, 'json');
  const chartOut = pathFlag(flags, 'chart');
  const chartKind = chartOut === undefined ? undefined : chartKindOf(chartOut);
  const tracePath = pathFlag(flags, 'trace');
  // Refuse an output path now, not after the replay.
  await assertDistinctPaths(io, [
    // `--trace -` reads standard input: no file to protect.
    { flag: '--trace', path: tracePath === '-' ? undefined : (tracePath ?? io.defaultTracePath) },
    { flag: '--json', path: jsonOut },
    { flag: '--chart', path: chartOut },
  ]);
  for (const out of [jsonOut, chartOut]) if (out !== undefined) await checkOutput(io, out);

  const source =
    tracePath === undefined
      ? {
          ...(await readCsvSource(io, io.defaultTracePath)),
          label: `${basename(io.defaultTracePath)} (bundled)`,
        }
      : await readCsvSource(io, tracePath);
  // A load metric (requests, CPU, connections) to plan capacity for is never negative; the
  // simulator would read a negative load as needing the minimum capacity, silently.
  const { series, report } = seriesFromCsv(source, {
    negativeRefusal: 'backtest replays a load, which cannot be negative',
  });
  assertLongEnough(source.label, series);
  assertHourlyGrid(source.label, series);

  const settings: BacktestSettings = {
    targetValue: targetFlag ?? defaultTargetValue(series.values),
    targetValueSource: targetFlag === undefined ? DEFAULT_TARGET_RULE : '--target-value',
    warmupSec: warmupSec ?? DEFAULT_WARMUP_SEC,
    blockSec: blockSec ?? PLANNER_DEFAULTS.blockSec,
    planningBound,
    // The trace's own datapoints are what the alarms would see, unless told the metric is finer.
    metricPeriodSec: metricPeriodSec ?? defaultMetricPeriodSec(series.stepSec),
    weekendUtcOffsetSec,
  };
  assertCapacityFits(series, settings);
  // After every check, so a refused run prints its one line only.
  const note = describeRepairs(report);
  if (note !== undefined) io.stderr(`selfheal: note: ${source.label}: ${note}\n`);
  const progress = createProgress(io, 'backtesting');
  const result = await run({ series, filledRuns: report.filledRuns }, settings, progress.update);
  progress.done();

  const backtest: BacktestRun = {
    trace: source.label,
    points: series.values.length,
    stepSec: series.stepSec,
    startSec: series.startSec,
    settings,
    result,
  };
  io.stdout(renderBacktestReport(backtest));
  const outputs: OutputFile[] = [];
  if (jsonOut !== undefined) {
    outputs.push({ path: jsonOut, text: `${JSON.stringify(backtestSummary(backtest), null, 2)}\n` });
  }
  if (chartOut !== undefined) {
    const text = chartKind === 'html' ? renderChartHtml(backtest) : renderChartSvg(backtest);
    outputs.push({ path: chartOut, text });
  }
  await writeOutputs(io, outputs);
  if (jsonOut !== undefined) io.stdout(`wrote summary to ${jsonOut}\n`);
  if (chartOut !== undefined) io.stdout(`wrote chart to ${chartOut}\n`);
  return 0;
}

function chartKindOf(path: string): 'svg' | 'html' {
  const lower = path.toLowerCase();
  if (lower.endsWith('.svg')) return 'svg';
  if (lower.endsWith('.html') || lower.endsWith('.htm')) return 'html';
  throw new CliUsageError(`--chart must name a .svg or .html file, got "${path}"`);
}

/**
 * `--block-sec`: each block's floor is scheduled one scheduling buffer (300 s) before the block
 * starts, so a block must be longer than the buffer; checked here so the message names the flag.
 */
function blockSecFlag(flags: ParsedFlags): number | undefined {
  const bufferSec = PLANNER_DEFAULTS.schedulingBufferSec;
  return integerFlag(
    flags,
    'block-sec',
    bufferSec + 1,
    DAY_SEC,
    `a block must be longer than the planner's ${bufferSec} s scheduling buffer`,
  );
}

/** Whether `sec` is a CloudWatch alarm period: 10, 30, 60 or a multiple of 60 up to a day. */
function isAlarmPeriod(sec: number): boolean {
  return sec === 10 || sec === 30 || (sec % 60 === 0 && sec >= 60 && sec <= DAY_SEC);
}

/** `--metric-period-sec`: a period a CloudWatch alarm accepts, 10, 30, 60 or a multiple of 60. */
function metricPeriodFlag(flags: ParsedFlags): number | undefined {
  const period = integerFlag(flags, 'metric-period-sec', 10, DAY_SEC);
  if (period !== undefined && !isAlarmPeriod(period)) {
    throw new CliUsageError(
      `--metric-period-sec must be a CloudWatch alarm period: 10, 30, 60 or a multiple of 60 up to ${DAY_SEC}, got "${stringFlag(flags, 'metric-period-sec')}"`,
    );
  }
  return period;
}

/**
 * The alarm period when `--metric-period-sec` is not given: the trace's step when an alarm can
 * have it; otherwise 60 s (the target tracking default) for a finer step, and the next multiple
 * of 60 for a coarser one. A 15 s Prometheus step is no period an alarm accepts (10, 30 and 60 s
 * are the high-resolution ones), and as a period it would have let reactive scaling fire faster
 * than AWS can.
 */
export function defaultMetricPeriodSec(stepSec: number): number {
  if (isAlarmPeriod(stepSec)) return stepSec;
  return stepSec < 60 ? 60 : Math.ceil(stepSec / 60) * 60;
}

/** The backtest re-forecasts every hour, on the trace's own grid. */
function assertHourlyGrid(label: string, series: RegularSeries): void {
  if (3600 % series.stepSec !== 0) {
    throw new CliUsageError(
      `${label}: the trace's step is ${series.stepSec} s; backtest re-forecasts hourly, so the step must divide 3600 s (for example 60 or 300 s)`,
    );
  }
}

/**
 * The simulated group holds at most {@link DEFAULT_BACKTEST_MAX_CAPACITY} instances; a target
 * whose peak needs more would cap every policy, the oracle included, and report them all
 * under-provisioned, so it is refused naming the smallest target that fits.
 */
function assertCapacityFits(series: RegularSeries, settings: BacktestSettings): void {
  const peak = series.values.reduce((max, v) => Math.max(v, max), 0);
  // The simulator's own rounding, whose hair of tolerance also accepts the target suggested below.
  const needed = neededCapacity(peak, settings.targetValue);
  if (needed <= DEFAULT_BACKTEST_MAX_CAPACITY) return;
  const which =
    settings.targetValueSource === '--target-value'
      ? `--target-value ${settings.targetValue}`
      : `the default target value ${settings.targetValue}`;
  const fmt = (n: number, roundingMode: 'halfExpand' | 'ceil' = 'halfExpand') =>
    n.toLocaleString('en-US', { maximumSignificantDigits: 6, roundingMode });
  throw new CliUsageError(
    `${which}: the trace's peak load ${fmt(peak)} needs ${fmt(needed)} instances; the backtest simulates at most ${fmt(DEFAULT_BACKTEST_MAX_CAPACITY)} (give a --target-value of at least ${fmt(peak / DEFAULT_BACKTEST_MAX_CAPACITY, 'ceil')})`,
  );
}

/** The first day only feeds the first forecast, so a shorter trace would score almost nothing. */
function assertLongEnough(label: string, series: RegularSeries): void {
  const spanSec = series.values.length * series.stepSec;
  if (spanSec < MIN_TRACE_SEC) {
    // Exact hours and minutes: a span rounded to a tenth of a day read "covers 2.0 days" a step short.
    throw new CliUsageError(
      `${label}: the trace covers ${durationText(spanSec)} (${series.values.length} points of ${series.stepSec} s); backtest needs at least ${durationText(MIN_TRACE_SEC)} (2 days), ${durationText(MIN_TRACE_SEC - spanSec)} more`,
    );
  }
}

/** A duration as hours, minutes and seconds, e.g. `47 h 55 min`, `1 min 0.5 s`; zero parts are left out. */
function durationText(sec: number): string {
  // Whole milliseconds (the finest step a CSV's timestamps give), so float noise never prints.
  const ms = Math.round(sec * 1000);
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const parts: string[] = [];
  if (hours > 0) parts.push(`${hours} h`);
  if (minutes > 0) parts.push(`${minutes} min`);
  if (seconds > 0 || parts.length === 0) parts.push(`${seconds} s`);
  return parts.join(' ');
}

const WRITE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

/** A file-system error as a one-line usage error naming the path; anything else is rethrown. */
function outputError(path: string, err: unknown): unknown {
  const { code, stagingPath } = err as { code?: unknown; stagingPath?: unknown };
  if (typeof code !== 'string') return err;
  if (code === 'EEXIST' && typeof stagingPath === 'string') {
    // The staging name is random: a file there was put there by someone else, on purpose or not.
    return new CliUsageError(
      `cannot write ${path}: its staging file ${stagingPath} already exists and was not created by selfheal (check who else writes to that directory); nothing was written`,
    );
  }
  return new CliUsageError(`cannot write ${path}: ${WRITE_PROBLEMS[code] ?? code}`);
}

/**
 * Fails when two of the files (the trace first, then the outputs) are one file, however spelled:
 * writing an output would destroy the trace it came from, or the other output.
 */
async function assertDistinctPaths(
  io: CliIo,
  files: readonly { readonly flag: string; readonly path: string | undefined }[],
): Promise<void> {
  const seen: { flag: string; path: string; real: string }[] = [];
  for (const { flag, path } of files) {
    if (path === undefined) continue;
    const real = await io.realPath(path);
    const earlier = seen.find((s) => s.real === real);
    if (earlier !== undefined) {
      const what = earlier.flag === '--trace' ? 'the trace' : `the ${earlier.flag} output`;
      throw new CliUsageError(
        `${flag} ${path} and ${earlier.flag} ${earlier.path} are the same file; writing it would overwrite ${what} (give ${flag} another path)`,
      );
    }
    seen.push({ flag, path, real });
  }
}

async function checkOutput(io: CliIo, path: string): Promise<void> {
  try {
    await io.checkWritable(path);
  } catch (err) {
    throw outputError(path, err);
  }
}

/** Writes all outputs or none; a file-system failure names the output it was writing. */
async function writeOutputs(io: CliIo, outputs: readonly OutputFile[]): Promise<void> {
  if (outputs.length === 0) return;
  try {
    await io.writeFiles(outputs);
  } catch (err) {
    const path = (err as { path?: unknown }).path;
    throw outputError(typeof path === 'string' ? path : outputs.map((o) => o.path).join(', '), err);
  }
}
