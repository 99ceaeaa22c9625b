import type { PlanningBound } from '../lambdas/core/planning/planning-bound';
import { equalCostOf } from '../lambdas/core/simulation/frontier';
import type { BacktestResult, PolicyOutcome } from '../lambdas/core/simulation/types';
import { type Cell, isoUtc, num, pct, renderTable, roundSig } from './table';

/** The settings a backtest ran with, echoed in the report and the JSON summary. */
export interface BacktestSettings {
  /** Load one instance should carry, in the trace's unit. */
  readonly targetValue: number;
  /** Where the target came from: `flag`, or the default rule that produced it. */
  readonly targetValueSource: string;
  /** Instance warm-up, launch to in service. */
  readonly warmupSec: number;
  /** Planning block length. */
  readonly blockSec: number;
  /** What each block is planned on, as the forecaster Lambda's `planningBound`. */
  readonly planningBound: PlanningBound;
  /** Period of the datapoints target tracking's alarms count (default: the trace's step). */
  readonly metricPeriodSec: number;
  /** UTC offset of the trace's weekend, as a target's `weekendUtcOffsetHours` (default 0). */
  readonly weekendUtcOffsetSec: number;
}

/** What was backtested: the trace's name and extent, the settings and the simulator's result. */
export interface BacktestRun {
  readonly trace: string;
  readonly points: number;
  readonly stepSec: number;
  readonly startSec: number;
  readonly settings: BacktestSettings;
  readonly result: BacktestResult;
}

const POLICY_LABELS = {
  reactive: 'reactive alone',
  predictive: 'predictive + reactive',
  oracle: 'oracle (knows the future)',
} as const;

/** The policies in display order, with their labels; shared by the table, the JSON and the chart. */
export const POLICY_ORDER = ['reactive', 'predictive', 'oracle'] as const;

/** Human label of a policy key. */
export function policyLabel(key: keyof typeof POLICY_LABELS): string {
  return POLICY_LABELS[key];
}

/** The comparison table of the three policies. */
export function renderPolicyTable(result: BacktestResult): string {
  const row = (key: keyof typeof POLICY_LABELS, p: PolicyOutcome): Cell[] => [
    POLICY_LABELS[key],
    num(p.instanceHours, 1),
    pct(p.underProvisionedFraction),
    num(p.worstShortfall, 0),
    num(p.scalingActions, 0),
  ];
  return renderTable(
    ['policy', 'instance-hours', 'under-provisioned', 'worst shortfall', 'scaling actions'],
    POLICY_ORDER.map((key) => row(key, result.policies[key])),
  );
}

/** Short name of a planning bound: `block-max`, or `p90 upper` for the selector's upper bound. */
export function boundName(bound: PlanningBound): string {
  return bound === 'upper' ? 'p90 upper' : bound;
}

/**
 * What the backtest's upper series (and `peakCoverageUpper`) measures: the bound the floor was
 * planned on, e.g. `bound planned on (block-max)`.
 */
export function boundPlannedOn(bound: PlanningBound): string {
  return `bound planned on (${boundName(bound)})`;
}

/**
 * One sentence interpreting the equal-cost ratio, or saying why there is none: predictive costs
 * less or more than the whole frontier, or the frontier is never under-provisioned at its cost.
 */
export function describeEqualCostRatio(
  result: Pick<BacktestResult, 'equalCostRatio' | 'equalCost' | 'policies' | 'reactiveFrontier'>,
): string {
  const ratio = result.equalCostRatio;
  if (ratio !== null) {
    const verdict =
      ratio < 1
        ? 'the forecast beats buying the same capacity as reactive headroom'
        : 'reactive headroom of the same cost does at least as well as the forecast';
    return `equal-cost ratio: ${ratio.toFixed(3)} (under-provisioned time of predictive / reactive frontier at equal instance-hours; ${verdict})`;
  }
  const p = result.policies.predictive;
  const frontierHours = result.reactiveFrontier.map((f) => f.instanceHours);
  const hours = (h: number): string => num(h, 1).num;
  const predictive = `predictive + reactive\u2019s ${hours(p.instanceHours)} instance-hours`;
  switch (equalCostOf(result).kind) {
    case 'cheaper':
      return `equal-cost ratio: n/a (${predictive} are fewer than the reactive frontier\u2019s cheapest point, ${hours(Math.min(...frontierHours))})`;
    case 'costlier':
      return frontierHours.length === 0
        ? 'equal-cost ratio: n/a (no reactive frontier to compare with)'
        : `equal-cost ratio: n/a (the reactive frontier does not reach ${predictive}; its costliest point is ${hours(Math.max(...frontierHours))})`;
    case 'noBreaches':
      return `equal-cost ratio: n/a (the reactive frontier reaches ${predictive} but is never under-provisioned there, so there is no share to compare with; predictive + reactive: ${(p.underProvisionedFraction * 100).toFixed(2)} %)`;
    default:
      // Only a hand-made result can hold a null ratio where the frontier gives one.
      return 'equal-cost ratio: n/a';
  }
}

/** The full text report printed by `selfheal backtest`. */
export function renderBacktestReport(run: BacktestRun): string {
  const { result, settings } = run;
  const f = result.forecast;
  const endSec = run.startSec + (run.points - 1) * run.stepSec;
  const frontier = renderTable(
    ['target fraction', 'instance-hours', 'under-provisioned'],
    result.reactiveFrontier.map((p) => [
      num(p.targetFraction, 2),
      num(p.instanceHours, 1),
      pct(p.underProvisionedFraction),
    ]),
  );
  const count = (n: number | undefined): Cell => (n === undefined ? '-' : num(n, 0));
  const accuracy = renderTable(
    ['horizon', 'origins', 'MASE', 'sMAPE'],
    [
      [
        '1 h',
        count(f.origins),
        { num: maseText(f.mase1h, f.maseUndefinedOrigins) },
        { num: percent(f.smape1h, 1) },
      ],
      [
        '24 h',
        count(f.origins24h),
        { num: maseText(f.mase24h, f.maseUndefinedOrigins24h) },
        { num: percent(f.smape24h, 1) },
      ],
    ],
  );
  return [
    `trace: ${run.trace} (${run.points} points, step ${run.stepSec} s, ${isoUtc(run.startSec)} to ${isoUtc(endSec)})`,
    `target value: ${settings.targetValue} per instance (${settings.targetValueSource}); instance warm-up ${settings.warmupSec} s; planning blocks ${settings.blockSec} s on the ${settings.planningBound} bound; alarm metric period ${settings.metricPeriodSec} s (3 datapoints to scale out, 15 to scale in)${weekendNote(settings.weekendUtcOffsetSec)}`,
    scoringLine(result),
    '',
    renderPolicyTable(result),
    '',
    describeEqualCostRatio(result),
    '',
    'reactive frontier (reactive alone at lowered targets):',
    frontier,
    '',
    'forecast accuracy (MASE and sMAPE over the same origins):',
    accuracy,
    `peak coverage (top-decile load reached within 90 %): point forecast ${percent(f.peakCoverage * 100, 1)}, ${boundPlannedOn(settings.planningBound)} ${percent(f.peakCoverageUpper * 100, 1)}; bias ${percent(f.biasPercent, 1)}`,
    '',
  ].join('\n');
}

/** When scoring started and how many forecasts drove the plan (fields older results may lack). */
function scoringLine(result: BacktestResult): string {
  const from =
    result.scoredFromSec === undefined
      ? 'scored over the whole trace'
      : `scored from ${isoUtc(result.scoredFromSec)} (earlier history feeds the first forecast)`;
  const made =
    result.forecasts === undefined
      ? ''
      : `; forecasts made ${result.forecasts.made}, trusted ${result.forecasts.trusted}`;
  return `${from}${made}`;
}

/**
 * A MASE to 3 decimals; `n/a (no seasonal variation)` where an origin's history had none, so MASE
 * is undefined (its scale, the mean day-over-day change, is 0); `n/a` where nothing was scored.
 */
export function maseText(value: number, undefinedOrigins: number | undefined): string {
  if (Number.isFinite(value)) return num(value, 3).num;
  return (undefinedOrigins ?? 0) > 0 ? 'n/a (no seasonal variation)' : 'n/a';
}

/** A percentage already scaled to 0–100, or `n/a` when there was nothing to score (NaN). */
function percent(value: number, decimals: number): string {
  return Number.isFinite(value) ? `${value.toFixed(decimals)} %` : 'n/a';
}

/** The `--json` summary: everything in the text report, none of the per-step timeline arrays. */
export function backtestSummary(run: BacktestRun): Record<string, unknown> {
  const { result, settings } = run;
  const round = <T extends object>(o: T): Record<string, number> =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? roundSig(v) : v]));
  return {
    trace: run.trace,
    points: run.points,
    stepSeconds: run.stepSec,
    start: isoUtc(run.startSec),
    end: isoUtc(run.startSec + (run.points - 1) * run.stepSec),
    settings: {
      targetValue: settings.targetValue,
      targetValueSource: settings.targetValueSource,
      warmupSec: settings.warmupSec,
      blockSec: settings.blockSec,
      planningBound: settings.planningBound,
      metricPeriodSec: settings.metricPeriodSec,
      weekendUtcOffsetHours: settings.weekendUtcOffsetSec / 3600,
    },
    scoredFrom: result.scoredFromSec === undefined ? null : isoUtc(result.scoredFromSec),
    forecasts: result.forecasts ?? null,
    policies: {
      reactive: round(result.policies.reactive),
      predictive: round(result.policies.predictive),
      oracle: round(result.policies.oracle),
    },
    reactiveFrontier: result.reactiveFrontier.map(round),
    equalCostRatio: result.equalCostRatio === null ? null : roundSig(result.equalCostRatio),
    forecast: round(result.forecast),
  };
}

/** The weekend the forecaster was given, when not UTC's: `; weekend Saturday and Sunday at UTC+9`. */
function weekendNote(offsetSec: number): string {
  if (offsetSec === 0) return '';
  const hours = offsetSec / 3600;
  const sign = hours < 0 ? '−' : '+';
  const abs = Math.abs(hours);
  const text = Number.isInteger(abs)
    ? `${abs}`
    : `${Math.floor(abs)}:${String((abs % 1) * 60).padStart(2, '0')}`;
  return `; weekend Saturday and Sunday at UTC${sign}${text}`;
}
