/**
 * FORECAST-PROTOCOL.md, implemented once for the accuracy benchmark: native grid, seven daily
 * origins tiling the last week, at most 14 days of history each, scored at 1 h and 24 h.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bias, mase as maseOf, maseScale, peakCoverage, smape } from '../lambdas/core/forecast/metrics';
import type { RegularSeries } from '../lambdas/core/series/types';
import { readTraceFile } from './trace-file';

/** A forecaster under test: history in, point and upper bound of `horizon` steps out. */
export type Forecaster = (
  history: RegularSeries,
  horizon: number,
) => { point: Float64Array; upper: Float64Array; model?: string };

/** One trace on its native grid; `id` is `folder/name` as in the protocol's table. */
export interface Trace {
  readonly id: string;
  readonly series: RegularSeries;
}

/** Scores of one forecaster on one series at one horizon. */
export interface HorizonScore {
  readonly mase: number;
  readonly smape: number;
  readonly peakCoveragePoint: number;
  readonly peakCoverageUpper: number;
  /** Bias in percent of the actual volume; NaN (undefined) when the actuals are all zero. */
  readonly biasPoint: number;
  readonly biasUpper: number;
}

export interface SeriesScore {
  readonly id: string;
  readonly origins: number;
  readonly h1: HorizonScore;
  readonly h24: HorizonScore;
  /** Models chosen at each origin, when the forecaster says. */
  readonly models: readonly string[];
}

/**
 * Reads every `*.csv` under `dir/<folder>/`, regularised on its most common spacing (linear gap
 * fill); throws naming the file (and line) of one that cannot be read.
 */
export function loadTraces(dir: string): Trace[] {
  const traces: Trace[] = [];
  for (const folder of readdirSync(dir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(dir, folder.name))
      .filter((f) => f.endsWith('.csv'))
      .sort()) {
      const { series } = readTraceFile(join(dir, folder.name, file));
      traces.push({ id: `${folder.name}/${file.replace(/\.csv$/, '')}`, series });
    }
  }
  return traces.sort((a, b) => a.id.localeCompare(b.id));
}

/** Runs the protocol's seven origins for one series and scores them. */
export function evaluate(trace: Trace, forecaster: Forecaster): SeriesScore {
  const { values, stepSec, startSec } = trace.series;
  const day = Math.round(86_400 / stepSec);
  const horizon = day;
  const hour = Math.round(3600 / stepSec);
  const n = values.length;
  const acc = { h1: new Accumulator(), h24: new Accumulator() };
  const models: string[] = [];
  for (let k = 6; k >= 0; k--) {
    const origin = n - horizon - k * day;
    const from = Math.max(0, origin - 14 * day);
    if (origin - from < 2 * day) continue;
    const train = values.subarray(from, origin);
    const actual = values.subarray(origin, origin + horizon);
    const f = forecaster({ startSec: startSec + from * stepSec, stepSec, values: train }, horizon);
    if (f.model !== undefined) models.push(f.model);
    const scale = maseScale(train, day);
    acc.h24.add(actual, f.point, f.upper, scale, horizon);
    acc.h1.add(actual, f.point, f.upper, scale, hour);
  }
  return { id: trace.id, origins: acc.h24.origins, h1: acc.h1.result(), h24: acc.h24.result(), models };
}

class Accumulator {
  origins = 0;
  private maseSum = 0;
  private smapeSum = 0;
  private readonly actual: number[] = [];
  private readonly point: number[] = [];
  private readonly upper: number[] = [];

  add(actual: Float64Array, point: Float64Array, upper: Float64Array, scale: number, h: number): void {
    this.origins++;
    this.maseSum += maseOf(actual, point, scale, h);
    this.smapeSum += smape(actual, point, h);
    for (let i = 0; i < h; i++) {
      this.actual.push(actual[i] as number);
      this.point.push(point[i] as number);
      this.upper.push(upper[i] as number);
    }
  }

  result(): HorizonScore {
    return {
      mase: this.maseSum / this.origins,
      smape: this.smapeSum / this.origins,
      peakCoveragePoint: peakCoverage(this.actual, this.point).coverage,
      peakCoverageUpper: peakCoverage(this.actual, this.upper).coverage,
      biasPoint: bias(this.actual, this.point),
      biasUpper: bias(this.actual, this.upper),
    };
  }
}

/**
 * Median of a list; the protocol's cross-series figure (mean of the middle two for an even count).
 * Throws on NaN (an undefined score, e.g. MASE on a history without seasonal variation): sorting
 * with it gives an arbitrary order, so a median would silently be wrong. ±Infinity sorts fine.
 */
export function medianOf(xs: readonly number[]): number {
  const undefinedAt = xs.findIndex(Number.isNaN);
  if (undefinedAt >= 0)
    throw new Error(
      `median of a list holding NaN at index ${undefinedAt}: report or drop undefined scores first`,
    );
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
