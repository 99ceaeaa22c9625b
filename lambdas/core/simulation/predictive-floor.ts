import { historyTrust } from '../forecast/history-gate';
import type { Forecast, Forecaster, ForecastOptions, SelectedForecast } from '../forecast/types';
import { PLANNER_DEFAULTS } from '../planning/config';
import { planCapacity } from '../planning/plan';
import type { PlannedBlock, PlannerConfig } from '../planning/types';
import type { FilledRun } from '../series/regularize';
import type { RegularSeries } from '../series/types';
import { TraceKnowledge } from './known-history';
import type { CapacityBounds } from './target-tracking';

/**
 * Turns a forecast (its trust verdict final) into the one the planner sizes blocks on, e.g. with
 * `planningForecast`; `firstBlockStep` is the index in it of the first block's first step.
 */
export type PlanOn = (
  forecast: SelectedForecast,
  history: RegularSeries,
  firstBlockStep: number,
) => SelectedForecast;

/** How the floor re-forecasts and re-plans during a replay. */
export interface ReplanSettings {
  readonly forecaster: Forecaster;
  /** The forecast the blocks are sized on. Default: the forecaster's, as it is. */
  readonly planOn?: PlanOn;
  readonly planner: PlannerConfig;
  /** Grid steps between decisions (one hour of steps in the default backtest). */
  readonly replanSteps: number;
  /** Index of the first decision: the gate of minimum history. */
  readonly firstDecision: number;
  /** Most history steps a forecast sees (14 days of steps by default). */
  readonly historySteps: number;
  /** Forecast options; `horizonSteps` counts from the decision. */
  readonly forecastOptions: ForecastOptions;
  /**
   * Runs of the trace that `regularize` filled by interpolation (its report's `filledRuns`), so no
   * decision sees a value interpolated towards a later point (see {@link TraceKnowledge}).
   * Default: none, every point real.
   */
  readonly filledRuns?: readonly FilledRun[];
  /**
   * Called with every forecast made, at the decision index it was made for: re-based to start at
   * the decision, its upper bound the one planned on, its trust the final verdict (the model's,
   * then the history checks of `historyTrust`).
   */
  readonly onForecast?: (decision: number, history: RegularSeries, forecast: SelectedForecast) => void;
}

const EPS = 1e-6;

/**
 * Whole steps from a decision to the start of the first block it plans: the scheduling buffer,
 * rounded up, so the first block's action never falls before the decision.
 */
function schedulingLeadSteps(schedulingBufferSec: number, stepSec: number): number {
  return Math.max(0, Math.ceil(schedulingBufferSec / stepSec - EPS));
}

/**
 * Predictive scaling's raised minimum during a replay. Asked for bounds at non-decreasing times,
 * it first makes every decision due by then: forecast on the trailing history known before the
 * decision time (see {@link TraceKnowledge}), judge it with the deployed trust gate's history
 * checks (`historyTrust`), plan blocks that start one scheduling buffer after the decision (so the
 * first block's action runs at the decision itself and its instances are warm when it starts),
 * and schedule them. The block about to start is thus planned on the freshest forecast, 1 to 13
 * steps ahead at 5-minute steps, rather than on the previous decision's 1–2 h-ahead one: the
 * fresher plan replaces every block whose action has not run yet, lower or higher. A block whose
 * action time has passed (it ran, or the first plan came too late for it) is scheduled at once if
 * new or raised, never lowered: the plan is additive. As in the deployed scaler, a raise takes
 * effect one buffer before its block and a lowering only when the higher block ends.
 * An untrusted forecast (or a decision with nothing to forecast from) plans nothing and leaves the
 * blocks already scheduled to run, as the deployed scaler writes nothing then and its earlier
 * actions run out on their own (scaler/run-cycle.ts).
 */
export class PredictiveFloor {
  private readonly blocks = new Map<number, PlannedBlock>();
  private nextDecision: number;
  private decisionsMade = 0;
  /** See {@link schedulingLeadSteps}. */
  private readonly leadSteps: number;
  private readonly knowledge: TraceKnowledge;
  private readonly planOn: PlanOn;

  constructor(
    private readonly load: RegularSeries,
    private readonly settings: ReplanSettings,
  ) {
    this.nextDecision = settings.firstDecision;
    const bufferSec = settings.planner.schedulingBufferSec ?? PLANNER_DEFAULTS.schedulingBufferSec;
    this.leadSteps = schedulingLeadSteps(bufferSec, load.stepSec);
    this.knowledge = new TraceKnowledge(settings.filledRuns ?? []);
    this.planOn = settings.planOn ?? ((forecast) => forecast);
  }

  /** Decisions the replay makes in all. */
  get totalDecisions(): number {
    const n = this.load.values.length - this.settings.firstDecision;
    return n > 0 ? Math.ceil(n / this.settings.replanSteps) : 0;
  }

  get decisions(): number {
    return this.decisionsMade;
  }

  /**
   * Bounds in force at `tSec`, with the time the minimum reached its value (an action time, which
   * may fall between two steps); `undefined` outside every planned block. Pass to the group.
   */
  readonly boundsAt = (tSec: number): CapacityBounds | undefined => {
    const index = Math.round((tSec - this.load.startSec) / this.load.stepSec);
    while (this.nextDecision <= index && this.nextDecision < this.load.values.length) {
      this.decide(this.nextDecision);
      this.nextDecision += this.settings.replanSteps;
    }
    // As the deployed scaler writes its actions (scaler/action-plan.ts): a raise takes effect at its
    // action time, one buffer before its block; a lowering only when the higher block ends. So the
    // bounds in force are the highest of every block whose action has run and that has not ended.
    let min = Number.NEGATIVE_INFINITY;
    let max = 0;
    let raisedAtSec = Number.POSITIVE_INFINITY;
    for (const [start, block] of this.blocks) {
      if (block.blockEndSec <= tSec + EPS) this.blocks.delete(start);
      else if (block.actionAtSec <= tSec + EPS) {
        max = Math.max(max, block.maxCapacity);
        // The minimum took its value at the earliest action of the blocks that set it.
        if (block.minCapacity > min) raisedAtSec = block.actionAtSec;
        else if (block.minCapacity === min) raisedAtSec = Math.min(raisedAtSec, block.actionAtSec);
        min = Math.max(min, block.minCapacity);
      }
    }
    return Number.isFinite(min) ? { min, max, minRaisedAtSec: raisedAtSec } : undefined;
  };

  private decide(decision: number): void {
    const { startSec, stepSec, values } = this.load;
    const { historySteps, forecastOptions, planner } = this.settings;
    this.decisionsMade++;
    const known = this.knowledge.at(Math.max(0, decision - historySteps), decision);
    if (known === undefined) return;
    const history: RegularSeries = {
      startSec: startSec + known.from * stepSec,
      stepSec,
      values: values.subarray(known.from, known.to),
    };
    // Steps between the history's last real point and the decision: the forecast starts after that
    // point and is lengthened so it still reaches the decision's horizon, as the deployed scaler's.
    const unseen = decision - known.to;
    const nowSec = startSec + decision * stepSec;
    const raw = this.settings.forecaster(history, {
      ...forecastOptions,
      horizonSteps: forecastOptions.horizonSteps + unseen,
    });
    const lastPointSec = startSec + (known.to - 1) * stepSec;
    const trust = historyTrust(
      raw.trust,
      { lastPointSec, longestGapSteps: known.longestGapSteps, stepSec },
      nowSec,
    );
    const planned = this.planOn({ ...raw, trust }, history, unseen + this.leadSteps);
    const forecast = skipSteps(planned, unseen);
    this.settings.onForecast?.(decision, history, forecast);
    // Resolved (and so checked) on every decision, trusted or not.
    const plan = planCapacity(skipSteps(forecast, this.leadSteps), planner, trust);
    if (!plan.trusted) return;
    // The plan replaces every action not yet run, as the deployed run deletes its stale actions.
    for (const [start, block] of this.blocks) if (block.actionAtSec > nowSec + EPS) this.blocks.delete(start);
    for (const block of plan.blocks) {
      const held = this.blocks.get(block.blockStartSec);
      const late = block.actionAtSec < nowSec - EPS;
      // A block whose action already ran may still be raised (at once) by the fresher forecast,
      // never lowered: the plan is additive.
      if (!late || held === undefined || block.minCapacity > held.minCapacity) {
        this.blocks.set(block.blockStartSec, late ? { ...block, actionAtSec: nowSec } : block);
      }
    }
  }
}

/** The forecast from `steps` steps on (the planner starts its first block at its first point). */
function skipSteps<F extends Forecast>(forecast: F, steps: number): F {
  if (steps === 0) return forecast;
  return {
    ...forecast,
    startSec: forecast.startSec + steps * forecast.stepSec,
    point: forecast.point.subarray(steps),
    upper: forecast.upper.subarray(steps),
  };
}
