import { historyTrust } from '../lambdas/core/forecast/history-gate';
import { MAX_WINDOW_DAYS } from '../lambdas/core/forecast/series-cache';
import type { ForecastOptions, SelectedForecast, TrustVerdict } from '../lambdas/core/forecast/types';
import { gridTimeFormat, isoUtc } from '../lambdas/core/series/iso-time';
import type { FilledRun } from '../lambdas/core/series/regularize';
import type { RegularSeries } from '../lambdas/core/series/types';
import { TraceKnowledge } from '../lambdas/core/simulation/known-history';
import { choiceFlag, integerFlag, parseFlags, pathFlag } from './args';
import { CliUsageError } from './errors';
import { FORECAST_HELP } from './help';
import type { CliIo } from './io';
import { readCsvSource, seriesFromCsv } from './load-series';
import { describeRepairs } from './repairs';
import { readableNum, renderTable, roundSig } from './table';
import { WEEKEND_FLAG, weekendOffsetSecFlag } from './weekend-flag';

/** The model selector's signature (`selectForecast` in lambdas/core/forecast/select.ts). */
export type SelectForecastFn = (history: RegularSeries, options: ForecastOptions) => SelectedForecast;

/** Output formats of `selfheal forecast`. */
export type ForecastFormat = 'table' | 'csv' | 'json';

const FORMATS: readonly ForecastFormat[] = ['table', 'csv', 'json'];
const DAY_SEC = 86_400;
/** A year of 1-minute steps: more is a typo, and would only exhaust memory. */
const MAX_HORIZON_STEPS = 525_600;

/** Runs `selfheal forecast` with `args` (the words after the command name); returns the exit code. */
export async function forecastCommand(
  args: readonly string[],
  io: CliIo,
  select: SelectForecastFn,
): Promise<number> {
  const flags = parseFlags('forecast', args, {
    input: { type: 'string' },
    'horizon-steps': { type: 'string' },
    format: { type: 'string' },
    [WEEKEND_FLAG]: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help === true) {
    io.stdout(FORECAST_HELP);
    return 0;
  }
  const input = pathFlag(flags, 'input');
  if (input === undefined) throw new CliUsageError(`forecast needs --input FILE.csv (or - for stdin)`);
  const horizonFlag = integerFlag(flags, 'horizon-steps', 1, MAX_HORIZON_STEPS);
  const format = choiceFlag(flags, 'format', FORMATS, 'table');
  const weekendUtcOffsetSec = weekendOffsetSecFlag(flags);

  const source = await readCsvSource(io, input);
  const { series, report } = seriesFromCsv(source);
  if (series.stepSec > DAY_SEC) {
    throw new CliUsageError(
      `${source.label}: the series' step is ${formatStep(series.stepSec)}; forecast needs a step of at most 1 day (its models learn the daily cycle)`,
    );
  }
  const note = (text: string): void => io.stderr(`selfheal: note: ${source.label}: ${text}\n`);
  const repairs = describeRepairs(report);
  if (repairs !== undefined) note(repairs);
  const horizonSteps = horizonFlag ?? defaultHorizonSteps(series.stepSec, note);
  const options = { horizonSteps, weekendUtcOffsetSec };
  const forecast = deployedForecast(series, report.filledRuns, select, options);
  // CSV rows have no place for them, and a script reading stdout must still be told.
  if (format === 'csv') note(`${modelLine(forecast)}; ${trustLine(forecast.trust)}`);
  io.stdout(formatForecast(forecast, format));
  return 0;
}

/**
 * 24 h worth of steps, at most {@link MAX_HORIZON_STEPS}: below a step of about 0.16 s a day is
 * more steps than that (86,400,000 at 1 ms), and the cut is noted through `note`.
 */
function defaultHorizonSteps(stepSec: number, note: (text: string) => void): number {
  const day = Math.max(1, Math.round(DAY_SEC / stepSec));
  if (day <= MAX_HORIZON_STEPS) return day;
  const count = (n: number) => n.toLocaleString('en-US');
  note(
    `24 h at the step of ${stepSec} s is ${count(day)} steps, more than the ${count(MAX_HORIZON_STEPS)} a forecast may have; forecasting ${count(MAX_HORIZON_STEPS)} steps (--horizon-steps sets another horizon)`,
  );
  return MAX_HORIZON_STEPS;
}

/**
 * The forecast and verdict the deployed scaler would make at the series' last point: the selector
 * runs on the history the scaler reads, the last {@link MAX_WINDOW_DAYS} days (`lookbackDays` at
 * its default, the most the models use) from their first real point on, as a metric read returns
 * nothing before it (see `TraceKnowledge`); its history-length checks, scores and forecast are
 * then the scaler's, and an older part of a longer export changes none of them. The history checks
 * of `historyTrust` follow, as `backtest` applies them, so a filled gap of more than 6 h in that
 * window makes it untrusted. The checks are made at the last point: a file may be an old export, so
 * its age says nothing about the metric. A window with a single real point (the rest a hole) gives
 * the scaler nothing to forecast from: the whole file is forecast, and the verdict says so.
 */
function deployedForecast(
  series: RegularSeries,
  filledRuns: readonly FilledRun[],
  select: SelectForecastFn,
  options: ForecastOptions,
): SelectedForecast {
  const n = series.values.length;
  const { stepSec } = series;
  const lastPointSec = series.startSec + (n - 1) * stepSec;
  const windowSteps = Math.round((MAX_WINDOW_DAYS * DAY_SEC) / stepSec);
  const windowStart = Math.max(0, n - windowSteps);
  const known = new TraceKnowledge(filledRuns).at(windowStart, n);
  if (known === undefined) {
    const selected = select(series, options);
    const since = series.startSec + windowStart * stepSec;
    return {
      ...selected,
      trust: {
        trusted: false,
        reason: `the last ${MAX_WINDOW_DAYS} days of the file (from ${isoUtc(since)}) hold only its last point, the rest a filled gap: the deployed scaler would have no history to forecast from`,
      },
    };
  }
  const history: RegularSeries = {
    startSec: series.startSec + known.from * stepSec,
    stepSec,
    values: series.values.subarray(known.from, known.to),
  };
  const selected = select(history, options);
  const facts = { lastPointSec, longestGapSteps: known.longestGapSteps, stepSec };
  return { ...selected, trust: historyTrust(selected.trust, facts, lastPointSec) };
}

function formatStep(stepSec: number): string {
  const days = stepSec / DAY_SEC;
  return `${Number.isInteger(days) ? days : days.toFixed(1)} days (${stepSec} s)`;
}

/**
 * Renders a selected forecast in one of the output formats; pure. Times are whole seconds on a
 * grid of whole seconds, with milliseconds otherwise (see `gridTimeFormat`). CSV holds the rows
 * only: the caller tells the model and verdict elsewhere.
 */
export function formatForecast(selected: SelectedForecast, format: ForecastFormat): string {
  const timeOf = gridTimeFormat(selected.stepSec);
  const rows = Array.from(selected.point, (value, i) => ({
    timestamp: timeOf(selected.startSec + i * selected.stepSec),
    value: roundSig(value),
    upper: roundSig(selected.upper[i] ?? Number.NaN),
  }));
  if (format === 'json') {
    const body = {
      model: selected.model,
      stepSeconds: selected.stepSec,
      trust: selected.trust,
      scores: selected.scores.map((s) => ({ ...s, mase: roundSig(s.mase), smape: roundSig(s.smape) })),
      forecast: rows,
    };
    return `${JSON.stringify(body, null, 2)}\n`;
  }
  if (format === 'csv') {
    return `timestamp,value,upper\n${rows.map((r) => `${r.timestamp},${r.value},${r.upper}`).join('\n')}\n`;
  }
  const table = renderTable(
    ['timestamp (UTC)', 'forecast', 'upper (p90)'],
    rows.map((r) => [r.timestamp, readableNum(r.value, 2), readableNum(r.upper, 2)]),
  );
  return `${modelLine(selected)}\n${trustLine(selected.trust)}\n\n${table}\n`;
}

function modelLine(selected: SelectedForecast): string {
  return `model: ${selected.model} (step ${selected.stepSec} s)`;
}

function trustLine(trust: TrustVerdict): string {
  return `trust: ${trust.trusted ? 'trusted' : 'NOT trusted'}: ${trust.reason}`;
}
