/**
 * Accuracy benchmark: FORECAST-PROTOCOL.md on the NAB traces, for every candidate model and for
 * the auto-selector, next to the protocol's reference figures. `npx tsx bench/accuracy.ts` runs it alone.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backtest } from '../lambdas/core/forecast/backtest';
import { upperBound } from '../lambdas/core/forecast/bounds';
import { CANDIDATE_MODELS } from '../lambdas/core/forecast/candidates';
import { DEFAULT_UPPER_QUANTILE } from '../lambdas/core/forecast/options';
import type { PointForecaster } from '../lambdas/core/forecast/point-forecaster';
import { selectForecast } from '../lambdas/core/forecast/select';
import { isMainModule } from './main-module';
import { evaluate, type Forecaster, loadTraces, medianOf, type SeriesScore, type Trace } from './protocol';
import { REFERENCE_MEDIAN, REFERENCE_METHODS, REFERENCE_SERIES, TARGET_MEDIAN_MASE } from './reference';
import { type BenchSection, renderTable } from './section';

const tracesDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'traces');
const AUTO = 'auto (selectForecast)';

const auto: Forecaster = (history, horizon) => selectForecast(history, { horizonSteps: horizon });

/** A single model with the same residual-quantile bound the selector would give it. */
function single(model: PointForecaster): Forecaster {
  return (history, horizon) => {
    const calendar = { startSec: history.startSec, weekendUtcOffsetSec: 0 };
    const point = model.point(history.values, history.stepSec, horizon, undefined, calendar);
    const { errors } = backtest(model, history.values, history.stepSec, undefined, calendar);
    return {
      point,
      upper: upperBound(point, errors, DEFAULT_UPPER_QUANTILE, history.values),
      model: model.name,
    };
  };
}

/** Runs the benchmark; returns a "skipped" section when the traces are absent. */
export async function run(): Promise<BenchSection[]> {
  if (!existsSync(tracesDir)) {
    const msg = `accuracy benchmark skipped: traces not found at ${tracesDir}`;
    console.log(msg);
    return [{ name: 'accuracy', title: 'Forecast accuracy (skipped)', table: msg, json: { skipped: msg } }];
  }
  const traces = loadTraces(tracesDir);
  const reference = traces.filter((t) => t.id in REFERENCE_SERIES);
  const forecasters: Array<[string, Forecaster]> = [
    [AUTO, auto],
    ...CANDIDATE_MODELS.map((m): [string, Forecaster] => [m.name, single(m)]),
  ];
  const byModel = new Map<string, SeriesScore[]>();
  for (const [name, f] of forecasters) {
    byModel.set(
      name,
      (name === AUTO ? traces : reference).map((t: Trace) => evaluate(t, f)),
    );
  }
  const autoScores = byModel.get(AUTO) ?? [];
  return [summarySection(byModel), perSeriesSection(autoScores), upperQuantileSection(traces, autoScores)];
}

/** Quantiles of the upper bound the trade-off section compares; the default among them. */
const UPPER_QUANTILES = [0.8, 0.85, 0.9, 0.95, 0.975];

/**
 * The upper bound's price: for each quantile, the auto-selector's median peak coverage of the
 * upper bound at 24 h and its median bias, on the six reference series and, so that no choice rests
 * on six series, on the others. `autoScores` (every trace, default options) are the default
 * quantile's, so that one is not replayed.
 */
function upperQuantileSection(traces: readonly Trace[], autoScores: readonly SeriesScore[]): BenchSection {
  const medians = (scores: readonly SeriesScore[]) => ({
    peakCoverageUpper24h: medianOf(scores.map((s) => s.h24.peakCoverageUpper)),
    biasUpper24h: medianOf(scores.map((s) => s.h24.biasUpper)),
  });
  const results = UPPER_QUANTILES.map((q) => {
    const f: Forecaster = (history, horizon) =>
      selectForecast(history, { horizonSteps: horizon, upperQuantile: q });
    const scores = q === DEFAULT_UPPER_QUANTILE ? autoScores : traces.map((t) => evaluate(t, f));
    return {
      upperQuantile: q,
      isDefault: q === DEFAULT_UPPER_QUANTILE,
      reference: medians(scores.filter((s) => s.id in REFERENCE_SERIES)),
      others: medians(scores.filter((s) => !(s.id in REFERENCE_SERIES))),
    };
  });
  const rows = results.map((r) => [
    `p${Math.round(r.upperQuantile * 1000) / 10}${r.isDefault ? ' (default)' : ''}`,
    r.reference.peakCoverageUpper24h,
    r.reference.biasUpper24h,
    r.others.peakCoverageUpper24h,
    r.others.biasUpper24h,
  ]);
  return {
    name: 'accuracy-upper',
    title: 'Upper bound: peak coverage against bias at 24 h by quantile, auto-selected model (medians)',
    table: renderTable(
      ['upper quantile', 'peak cov, six ref', 'bias %, six ref', 'peak cov, others', 'bias %, others'],
      rows,
    ),
    json: results,
  };
}

function summarySection(byModel: Map<string, SeriesScore[]>): BenchSection {
  const rows: Array<Array<string | number>> = [];
  const json: Record<string, unknown> = {};
  for (const [name, scores] of byModel) {
    const six = scores.filter((s) => s.id in REFERENCE_SERIES);
    const m1 = medianOf(six.map((s) => s.h1.mase));
    const m24 = medianOf(six.map((s) => s.h24.mase));
    const cov = medianOf(six.map((s) => s.h24.peakCoverageUpper));
    const b = medianOf(six.map((s) => s.h24.biasUpper));
    rows.push([name, m1, m24, cov, b]);
    json[name] = {
      medianMase1h: m1,
      medianMase24h: m24,
      medianPeakCoverageUpper24h: cov,
      medianBiasUpper24h: b,
    };
  }
  REFERENCE_METHODS.forEach((method, j) => {
    rows.push([
      `reference ${method}`,
      REFERENCE_MEDIAN.h1[j] ?? Number.NaN,
      REFERENCE_MEDIAN.h24[j] ?? Number.NaN,
      '-',
      '-',
    ]);
  });
  rows.push(['target (auto)', TARGET_MEDIAN_MASE.h1, TARGET_MEDIAN_MASE.h24, 0.9, '-']);
  return {
    name: 'accuracy',
    title: 'Forecast accuracy: median over the six reference series (FORECAST-PROTOCOL.md)',
    table: renderTable(['model', 'MASE 1h', 'MASE 24h', 'peak cov upper 24h', 'bias upper 24h %'], rows),
    json: {
      medians: json,
      reference: REFERENCE_MEDIAN,
      target: TARGET_MEDIAN_MASE,
      perSeries: Object.fromEntries(byModel),
    },
  };
}

function perSeriesSection(scores: readonly SeriesScore[]): BenchSection {
  const rows = scores.map((s) => [
    s.id,
    s.origins,
    s.h1.mase,
    s.h24.mase,
    REFERENCE_SERIES[s.id]?.h24[5] ?? '-',
    s.h24.smape,
    s.h24.peakCoveragePoint,
    s.h24.peakCoverageUpper,
    s.h24.biasPoint,
    s.h24.biasUpper,
    [...new Set(s.models)].join(' '),
  ]);
  return {
    name: 'accuracy-series',
    title: 'Forecast accuracy per series, auto-selected model',
    table: renderTable(
      [
        'series',
        'origins',
        'MASE 1h',
        'MASE 24h',
        'tbats 24h',
        'sMAPE 24h',
        'peak cov point',
        'peak cov upper',
        'bias point %',
        'bias upper %',
        'models chosen',
      ],
      rows,
    ),
    json: scores,
  };
}

if (isMainModule(import.meta.url)) {
  for (const section of await run()) console.log(`\n## ${section.title}\n\n${section.table}`);
}
