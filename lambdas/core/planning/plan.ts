import type { Forecast, TrustVerdict } from '../forecast/types';
import { type ResolvedPlannerConfig, resolvePlannerConfig } from './config';
import type { CapacityPlan, PlannedBlock, PlannerConfig } from './types';

/** Tolerance so that a load of exactly k × target needs k instances despite float noise. */
const EPS = 1e-9;

/**
 * Plans a group's minimum capacity from a load forecast, on the model of AWS predictive scaling:
 * the forecast is cut into blocks (`blockSec`, default 1 h) starting at the forecast's first point;
 * each block needs `ceil(highest forecast load in the block / targetValuePerInstance)` instances,
 * scheduled `schedulingBufferSec` before the block starts so they are warm when it begins.
 *
 * The plan is additive only: it raises the floor (never below `minCapacity`) and never plans a
 * scale-in; target tracking keeps that job. An untrusted forecast yields no blocks and the reason.
 * AWS aligns blocks to clock hours; callers that forecast on the hour get the same blocks.
 *
 * @throws PlannerConfigError when the config is invalid, even for an untrusted forecast.
 */
export function planCapacity(forecast: Forecast, config: PlannerConfig, trust: TrustVerdict): CapacityPlan {
  const cfg = resolvePlannerConfig(config);
  if (!trust.trusted) return { trusted: false, reason: `forecast not trusted: ${trust.reason}`, blocks: [] };
  const series = cfg.basis === 'upper' ? forecast.upper : forecast.point;
  const blocks: PlannedBlock[] = [];
  const endSec = forecast.startSec + cfg.horizonSec;
  for (let blockStart = forecast.startSec; blockStart < endSec; blockStart += cfg.blockSec) {
    const peak = blockPeak(forecast, series, blockStart, blockStart + cfg.blockSec);
    if (peak === undefined) break;
    blocks.push(planBlock(blockStart, peak, cfg));
  }
  const reason =
    blocks.length > 0
      ? `${blocks.length} block(s) of ${cfg.blockSec} s planned on the ${cfg.basis} forecast`
      : 'forecast has no finite points inside the horizon';
  return { trusted: true, reason, blocks };
}

/** Highest finite forecast value with time in `[fromSec, toSec)`; undefined when there is none. */
function blockPeak(
  forecast: Forecast,
  series: Float64Array,
  fromSec: number,
  toSec: number,
): number | undefined {
  const first = Math.max(0, Math.ceil((fromSec - forecast.startSec) / forecast.stepSec - EPS));
  let peak: number | undefined;
  for (let i = first; i < series.length; i++) {
    if (forecast.startSec + i * forecast.stepSec >= toSec) break;
    const v = series[i] as number;
    if (Number.isFinite(v) && (peak === undefined || v > peak)) peak = v;
  }
  return peak;
}

function planBlock(blockStartSec: number, forecastLoad: number, cfg: ResolvedPlannerConfig): PlannedBlock {
  // A negative forecast (some models undershoot zero) needs no instances, not negative ones.
  const neededCapacity = Math.max(0, Math.ceil(forecastLoad / cfg.targetValuePerInstance - EPS));
  const { minCapacity, maxCapacity, boundNote } = applyBounds(neededCapacity, cfg);
  const base = {
    blockStartSec,
    blockEndSec: blockStartSec + cfg.blockSec,
    actionAtSec: blockStartSec - cfg.schedulingBufferSec,
    forecastLoad,
    neededCapacity,
    minCapacity,
    maxCapacity,
  };
  return boundNote === undefined ? base : { ...base, boundNote };
}

function applyBounds(
  needed: number,
  cfg: ResolvedPlannerConfig,
): { minCapacity: number; maxCapacity: number; boundNote?: string } {
  if (needed < cfg.minCapacity) {
    return {
      minCapacity: cfg.minCapacity,
      maxCapacity: cfg.maxCapacity,
      boundNote: `raised to minCapacity ${cfg.minCapacity}`,
    };
  }
  if (needed <= cfg.maxCapacity) return { minCapacity: needed, maxCapacity: cfg.maxCapacity };
  if (cfg.maxCapacityBreachBehavior === 'honor') {
    return {
      minCapacity: cfg.maxCapacity,
      maxCapacity: cfg.maxCapacity,
      boundNote: `capped at maxCapacity ${cfg.maxCapacity} (honor)`,
    };
  }
  // AWS IncreaseMaxCapacity: the maximum becomes forecast capacity + buffer %, e.g. 50 + 10 % = 55.
  const raisedMax = Math.ceil(needed * (1 + cfg.maxCapacityBufferPercent / 100) - EPS);
  return {
    minCapacity: needed,
    maxCapacity: raisedMax,
    boundNote: `above maxCapacity ${cfg.maxCapacity}: maximum raised to ${raisedMax} (increase, ${cfg.maxCapacityBufferPercent}% buffer)`,
  };
}
