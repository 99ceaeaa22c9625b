/**
 * The backtest bench's calibration: the same replay (target rule, bounds, hourly blocks, default
 * alarm setting) with reference forecasters of known quality, planned on their own upper bound,
 * next to the product's default. It tells the simulator's limits from the forecaster's: what
 * perfect foresight reaches, what knowing the future's shape but not its spikes reaches, and what
 * repeating yesterday reaches.
 */

import type { Forecaster } from '../lambdas/core/forecast/types';
import type { RegularSeries } from '../lambdas/core/series/types';
import { runBacktest } from '../lambdas/core/simulation/backtest';
import type { BacktestResult, PolicyOutcome } from '../lambdas/core/simulation/types';
import type { TraceSeries } from './backtest';
import { type EqualCostRank, median, rankOf, rankValue } from './equal-cost';
import { rFileStem, rInputKey } from './r-export';
import { loadRForecasts, R_REFERENCES } from './r-reference';
import {
  perfectForesight,
  precomputedForecaster,
  seasonalNaiveOwnUpper,
  smoothedForesight,
} from './reference-forecasters';
import { type BenchSection, renderTable } from './section';

/**
 * Half-width of the smoothed reference's centred mean: ±30 min, ±6 steps at 5-minute steps, so
 * the mean covers 13 steps (65 min).
 */
const SMOOTH_HALF_WINDOW_SEC = 1_800;

interface Reference {
  readonly key: string;
  readonly label: string;
  /** Builds the forecaster for one trace; foresight references read that trace's future. */
  readonly forecasterFor: (load: RegularSeries) => Forecaster;
}

const REFERENCES: readonly Reference[] = [
  { key: 'perfect', label: 'perfect foresight', forecasterFor: perfectForesight },
  {
    key: 'smoothed1h',
    label: 'perfect foresight of the centred mean over ±30 min (13 steps)',
    forecasterFor: (load) => smoothedForesight(load, SMOOTH_HALF_WINDOW_SEC),
  },
  {
    key: 'seasonalNaiveP90',
    label: 'seasonal naive daily, its own p90 upper',
    forecasterFor: () => seasonalNaiveOwnUpper,
  },
];

/** The bench's own run: `selectForecast` on the backtest's default block-max bound. */
const DEFAULT_KEY = 'default';
const DEFAULT_LABEL = 'selfheal default (selectForecast, block-max bound)';

/** What one forecaster did on one trace. */
interface TraceOutcome {
  readonly equalCostRatio: number | null;
  /** How the trace enters the medians: by its ratio, as +∞, or left out, and why. */
  readonly rank: EqualCostRank;
  /** Left out because predictive is cheaper than reactive alone, and it has fewer breaches. */
  readonly dominatesReactive: boolean;
  readonly predictive: PolicyOutcome;
}

/** The settings every reference run shares with the bench's default run; the target is per trace. */
export interface CalibrationRun {
  readonly blockSec: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** The alarm setting, as the bench names it; `metricPeriodSec` `undefined` is the trace's step. */
  readonly alarm: {
    readonly key: string;
    readonly label: string;
    readonly metricPeriodSec: number | undefined;
  };
}

const fmtRatio = (r: number | null) => (r === null ? '-' : Number.isFinite(r) ? Number(r.toFixed(3)) : '+∞');

/**
 * Collects, trace by trace, the reference runs and the bench's default run, then summarises them
 * into one bench section.
 */
export class BacktestCalibration {
  private readonly traces: Array<{ trace: string; outcomes: Record<string, TraceOutcome> }> = [];

  /**
   * @param rDir where bench/r/stlf-reference.R wrote its forecasts; traces without them are
   *   replayed without the R references.
   */
  constructor(
    private readonly run: CalibrationRun,
    private readonly rDir: string,
  ) {}

  /**
   * Runs the references on the trace at `targetValue` and records them next to `defaultResult`,
   * the bench's own run of the same trace with the same settings.
   */
  add(
    { name: trace, series, filledRuns }: TraceSeries,
    targetValue: number,
    defaultResult: BacktestResult,
  ): void {
    const started = performance.now();
    const outcomes: Record<string, TraceOutcome> = { [DEFAULT_KEY]: outcomeOf(defaultResult) };
    const stored = loadRForecasts(this.rDir, rFileStem(trace), rInputKey(series));
    const references = [
      ...REFERENCES,
      ...R_REFERENCES.flatMap((r) => {
        const f = stored.get(r.key);
        return f === undefined
          ? []
          : [{ ...r, forecasterFor: (load: RegularSeries) => precomputedForecaster(load, f) }];
      }),
    ];
    for (const ref of references) {
      const result = runBacktest(series, {
        targetValue,
        filledRuns,
        forecaster: ref.forecasterFor(series),
        minCapacity: this.run.minCapacity,
        maxCapacity: this.run.maxCapacity,
        planner: { blockSec: this.run.blockSec },
        reactive: { metricPeriodSec: this.run.alarm.metricPeriodSec },
        planningBound: 'upper',
      });
      outcomes[ref.key] = outcomeOf(result);
    }
    this.traces.push({ trace, outcomes });
    const seconds = (performance.now() - started) / 1000;
    const shown = references.map((r) => `${r.key} ${fmtRatio(ranked(outcomes[r.key]))}`).join(', ');
    console.log(`calibration: ${trace}: ${shown} (${seconds.toFixed(1)} s)`);
  }

  section(): BenchSection {
    const title = `Backtest calibration: equal-cost ratio of reference forecasters (${this.run.alarm.label})`;
    if (this.traces.length === 0) {
      const msg = 'skipped: no trace was replayed';
      return { name: 'backtest-calibration', title, table: msg, json: { skipped: msg } };
    }
    const withR = R_REFERENCES.filter((r) => this.traces.some((t) => t.outcomes[r.key] !== undefined));
    const columns = [...REFERENCES, ...withR, { key: DEFAULT_KEY, label: DEFAULT_LABEL }];
    const perTrace = renderTable(
      ['trace', ...columns.map((c) => c.key)],
      this.traces.map(({ trace, outcomes }) => [
        trace,
        ...columns.map((c) => fmtRatio(ranked(outcomes[c.key]))),
      ]),
    );
    const summaries = columns.map((c) => ({ ...c, ...this.summary(c.key) }));
    const summaryTable = renderTable(
      [
        'reference',
        'median ratio',
        'beats frontier (< 1)',
        'beyond frontier (+∞)',
        'frontier never under (+∞)',
        'null',
        'null, fewer breaches',
        'null, neither under',
        'traces',
      ],
      summaries.map((s) => [
        s.label,
        fmtRatio(s.median),
        s.beats,
        s.beyond,
        s.onlyPredictive,
        s.nulls,
        s.dominating,
        s.neither,
        s.traces,
      ]),
    );
    const note = [
      'Median over the traces with a ratio, +∞ included. +∞ "beyond frontier": predictive costs more',
      'instance-hours than reactive at the frontier\'s lowest target; +∞ "frontier never under": reactive',
      "at predictive's instance-hours is never under-provisioned, predictive is. null (-): no ratio, the",
      'trace is left out: predictive costs less than reactive alone, so no frontier point matches it',
      '("fewer breaches": such traces where it is also under-provisioned less often), or neither it nor',
      'reactive at its instance-hours is ever under-provisioned ("neither under": 0 / 0).',
      withR.length > 0
        ? "R references: forecasts made by R's forecast package for the same decisions (bench/r/run.sh)."
        : `R references (stlf, snaive) skipped: no forecasts in ${this.rDir}; bench/r/run.sh makes them (needs R).`,
    ].join('\n');
    return {
      name: 'backtest-calibration',
      title,
      table: `${perTrace}\n\n${summaryTable}\n\n${note}`,
      json: {
        alarmSetting: this.run.alarm.key,
        blockSec: this.run.blockSec,
        minCapacity: this.run.minCapacity,
        maxCapacity: this.run.maxCapacity,
        smoothHalfWindowSec: SMOOTH_HALF_WINDOW_SEC,
        references: summaries.map((s) => ({
          key: s.key,
          label: s.label,
          planningBound: s.key === DEFAULT_KEY ? 'block-max' : 'upper',
          // JSON has no Infinity: a median among the +∞ traces is null with medianInfinite.
          medianEqualCostRatio: s.median !== null && Number.isFinite(s.median) ? s.median : null,
          medianInfinite: s.median === Number.POSITIVE_INFINITY,
          tracesBeatingFrontier: s.beats,
          tracesBeyondFrontier: s.beyond,
          tracesFrontierNeverUnder: s.onlyPredictive,
          tracesNull: s.nulls,
          tracesNullDominatingReactive: s.dominating,
          tracesNullNeitherUnder: s.neither,
          traces: s.traces,
        })),
        traces: this.traces,
      },
    };
  }

  private summary(key: string) {
    const ratios: number[] = [];
    const outcomes = this.traces.flatMap((t) => {
      const o = t.outcomes[key];
      return o === undefined ? [] : [o];
    });
    for (const o of outcomes) {
      const r = ranked(o);
      if (r !== null) ratios.push(r);
    }
    const count = (rank: EqualCostRank) => outcomes.filter((o) => o.rank === rank).length;
    return {
      median: median(ratios),
      beats: ratios.filter((r) => r < 1).length,
      beyond: count('costlier'),
      onlyPredictive: count('onlyPredictiveBreaches'),
      nulls: outcomes.length - ratios.length,
      dominating: outcomes.filter((o) => o.dominatesReactive).length,
      neither: count('neitherBreaches'),
      traces: outcomes.length,
    };
  }
}

function outcomeOf(result: BacktestResult): TraceOutcome {
  const rank = rankOf(result);
  const { predictive, reactive } = result.policies;
  return {
    equalCostRatio: result.equalCostRatio,
    rank,
    dominatesReactive:
      rank === 'cheaper' && predictive.underProvisionedFraction < reactive.underProvisionedFraction,
    predictive,
  };
}

function ranked(o: TraceOutcome | undefined): number | null {
  return o === undefined ? null : rankValue(o.rank, o.equalCostRatio);
}
