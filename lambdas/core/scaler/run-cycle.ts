/** One forecaster run over every configured target: the orchestration, with all I/O behind ports. */
import type { ScalingTarget } from '../../../lib/config/schema';
import { applyPlan, GroupReadError } from './apply-actions';
import { beforeAbort, type CycleDeadline, DeadlineReachedError, reasonOf } from './deadline';
import type { CycleSummary, DecisionRecord } from './decision';
import { describeError, summarize } from './decision';
import { forecastTarget, historyWindow, type TargetForecast } from './forecast-target';
import { checkForecastOnlyGroups } from './group-check';
import { GroupRefusedError } from './group-fit';
import { historyChunks, historyPointBudget, MIN_FUNCTION_MEMORY_MIB } from './history-chunks';
import { mapPool } from './pool';
import type { Clock, ForecastDatum, Outcome, ScalerPorts, TargetHistory } from './ports';
import { type PendingForecast, type PublishResult, publishNewForecasts } from './publish-forecasts';

/** Tuning of a run. */
export interface CycleOptions {
  /** Targets processed at once (forecasting is CPU, writes are I/O; they overlap). Default 16. */
  readonly concurrency?: number;
  /**
   * History data points the run holds at once (see {@link historyChunks}); the handler derives it
   * from the function's memory with {@link historyPointBudget}. Default: the budget of Lambda's
   * smallest memory setting, {@link MIN_FUNCTION_MEMORY_MIB}.
   */
  readonly historyPointsPerChunk?: number;
  /**
   * When to stop waiting (the handler derives it from the invocation's remaining time): a target
   * not finished when `stopTargets` aborts fails at `deadline`, the others are still published,
   * and publishing is given up when `stopAll` aborts. @default - the run waits for every call
   */
  readonly deadline?: CycleDeadline;
}

/**
 * Runs one cycle over every target, chunk by chunk so that the history held at once stays within
 * `historyPointsPerChunk` (see {@link historyChunks}). For each chunk: reads its targets' history
 * (batched), forecasts and plans each target, writes scheduled actions for trusted
 * `forecastAndScale` targets, and publishes every forecast time not published yet (batched, see
 * {@link publishNewForecasts}); then drops the chunk's histories and forecasts before reading the
 * next. Returns one decision record per target, in the targets' order. A failing target is
 * recorded and never stops the others.
 * An untrusted forecast writes nothing: the target's earlier actions, if any, run out on their own
 * and end with their restore to the baseline.
 * A target that writes actions describes its group on its own, after listing the group's actions
 * and just before planning (see `applyPlan`), so the plan is never made on sizes older than the
 * list; untrusted `forecastAndScale` targets read no group. The `forecastOnly` targets' groups are
 * described together, one batched read per chunk alongside its history read, and each record says
 * in `groupCheck` what `forecastAndScale` would refuse or warn about (see `checkForecastOnlyGroups`).
 */
export async function runForecastCycle(
  targets: readonly ScalingTarget[],
  ports: ScalerPorts,
  clock: Clock,
  options: CycleOptions = {},
): Promise<CycleSummary> {
  const nowSec = clock.nowSec();
  const budget = options.historyPointsPerChunk ?? historyPointBudget(MIN_FUNCTION_MEMORY_MIB);
  const records = new Array<DecisionRecord>(targets.length);
  for (const chunk of historyChunks(targets, budget)) {
    const chunkTargets = chunk.map((i) => targets[i] as ScalingTarget);
    const chunkRecords = await runChunk(chunkTargets, ports, { nowSec, clock }, options);
    chunk.forEach((targetIndex, i) => {
      records[targetIndex] = chunkRecords[i] as DecisionRecord;
    });
  }
  return summarize(records);
}

/** Reads, forecasts, writes and publishes `targets`; only their decision records outlive it. */
async function runChunk(
  targets: readonly ScalingTarget[],
  ports: ScalerPorts,
  time: { readonly nowSec: number; readonly clock: Clock },
  options: CycleOptions,
): Promise<DecisionRecord[]> {
  const { nowSec } = time;
  const { stopTargets, stopAll } = options.deadline ?? {};
  // Runs beside the chunk's reads and forecasting, never failing (see checkForecastOnlyGroups).
  const checking = checkForecastOnlyGroups(targets, ports.groups, stopTargets);
  const histories = await readHistories(targets, ports, nowSec, stopTargets);
  if (histories instanceof DeadlineReachedError) {
    const checks = await checking;
    return targets.map((t) => withGroupCheck(deadlineRecord(t, histories), checks.get(t.id)));
  }
  const pending: PendingForecast[] = [];
  const records = await mapPool(targets, options.concurrency ?? 16, async (target) => {
    const processed = await processBefore(target, histories.get(target.id), ports, time, stopTargets);
    if (processed.data !== undefined) pending.push({ target, data: processed.data });
    return processed.record;
  });
  const published = await publishBefore(pending, ports, nowSec, stopAll);
  const checks = await checking;
  return records.map((r) =>
    withPublishResult(withGroupCheck(r, checks.get(r.targetId)), published.get(r.targetId)),
  );
}

/** Adds a `forecastOnly` target's group check (see checkForecastOnlyGroups); others have none. */
function withGroupCheck(record: DecisionRecord, groupCheck: readonly string[] | undefined): DecisionRecord {
  return groupCheck === undefined ? record : { ...record, groupCheck };
}

/**
 * {@link processTarget}, given up when `stop` aborts first (or has aborted before it starts): the
 * target then fails at `deadline`. A target whose history failed does no I/O: its record says why.
 */
async function processBefore(
  target: ScalingTarget,
  history: Outcome<TargetHistory> | undefined,
  ports: ScalerPorts,
  time: { readonly nowSec: number; readonly clock: Clock },
  stop: AbortSignal | undefined,
): Promise<Processed> {
  if (history === undefined || !history.ok || stop === undefined)
    return processTarget(target, history, ports, time);
  try {
    if (stop.aborted)
      throw new DeadlineReachedError(`${reasonOf(stop)} before target ${target.id} was processed`);
    return await beforeAbort(
      // The target's calls get `stop` too: the ones in flight when it aborts are aborted.
      processTarget(target, history, ports, time, stop),
      stop,
      `target ${target.id} was being processed`,
    );
  } catch (error) {
    if (!(error instanceof DeadlineReachedError)) throw error;
    return { record: deadlineRecord(target, error) };
  }
}

/**
 * A target the run stopped waiting for. What it did before the deadline (an action written, say)
 * is not known here.
 */
function deadlineRecord(target: ScalingTarget, error: DeadlineReachedError): DecisionRecord {
  return {
    targetId: target.id,
    autoScalingGroupName: target.autoScalingGroupName,
    mode: target.mode,
    status: 'failed',
    failedStage: 'deadline',
    error: describeError(error),
  };
}

/**
 * Every target's history, or the {@link DeadlineReachedError} when `stop` aborts before the read
 * ends (or has aborted before it starts, as for a chunk after the run's time ran out).
 */
async function readHistories(
  targets: readonly ScalingTarget[],
  ports: ScalerPorts,
  nowSec: number,
  stop: AbortSignal | undefined,
): Promise<ReadonlyMap<string, Outcome<TargetHistory>> | DeadlineReachedError> {
  const requests = targets.map((t) => ({
    targetId: t.id,
    loadMetric: t.loadMetric,
    autoScalingGroupName: t.autoScalingGroupName,
    periodSec: t.periodSec,
    ...historyWindow(t, nowSec),
  }));
  try {
    if (stop?.aborted) throw new DeadlineReachedError(`${reasonOf(stop)} before reading the load history`);
    return await beforeAbort(ports.metrics.fetchHistory(requests, stop), stop, 'reading the load history');
  } catch (error) {
    if (!(error instanceof DeadlineReachedError)) throw error;
    return error;
  }
}

/**
 * Publishes the finished forecasts; when `stop` aborts first, each pending target's publish fails
 * (0 sent), the call in flight is aborted and no other is sent, so nothing lands after the run
 * recorded its result (what an aborted call stored, if anything, is read back by the next run).
 */
async function publishBefore(
  pending: readonly PendingForecast[],
  ports: ScalerPorts,
  nowSec: number,
  stop: AbortSignal | undefined,
): Promise<ReadonlyMap<string, PublishResult>> {
  try {
    return await beforeAbort(
      publishNewForecasts(pending, ports.publisher, nowSec, stop),
      stop,
      'publishing the forecasts',
    );
  } catch (error) {
    if (!(error instanceof DeadlineReachedError)) throw error;
    const outcome = { ok: false, error: describeError(error) } as const;
    return new Map(pending.map((p) => [p.target.id, { outcome, sent: 0, alreadyStored: 0 }] as const));
  }
}

interface Processed {
  readonly record: DecisionRecord;
  readonly data?: readonly ForecastDatum[];
}

async function processTarget(
  target: ScalingTarget,
  history: Outcome<TargetHistory> | undefined,
  ports: ScalerPorts,
  time: { readonly nowSec: number; readonly clock: Clock },
  stop?: AbortSignal,
): Promise<Processed> {
  const { nowSec } = time;
  const base = { targetId: target.id, autoScalingGroupName: target.autoScalingGroupName, mode: target.mode };
  if (history === undefined || !history.ok) {
    const error = history === undefined ? 'metric source returned nothing for this target' : history.error;
    return { record: { ...base, status: 'failed', failedStage: 'history', error } };
  }
  let result: TargetForecast;
  try {
    result = forecastTarget(target, history.value, nowSec);
  } catch (error) {
    return { record: { ...base, status: 'failed', failedStage: 'forecast', error: describeError(error) } };
  }
  const chosen = result.forecast.scores.find((s) => s.model === result.forecast.model);
  const forecastFacts: DecisionRecord = {
    ...base,
    status: !result.plan.trusted ? 'untrusted' : target.mode === 'forecastOnly' ? 'forecastOnly' : 'scaled',
    history: result.history,
    model: result.forecast.model,
    ...(chosen === undefined ? {} : { validationMase: chosen.mase, validationSmapePercent: chosen.smape }),
    trust: result.trust,
    ...plannedOn(result),
    plannedCapacities: result.plan.blocks.map((b) => b.minCapacity),
    planReason: result.plan.reason,
  };
  if (target.mode === 'forecastOnly' || !result.plan.trusted)
    return { record: forecastFacts, data: result.data };
  try {
    // A long run must not schedule an action in the past: lead times count from each write.
    const actions = await applyPlan(target, result.plan.blocks, ports, time.clock, stop);
    if (actions.failed.length > 0) {
      const error = `${actions.failed.length} scheduled action write(s) failed: ${actions.failed.map((f) => `${f.name} (${f.error})`).join('; ')}`;
      return {
        record: { ...forecastFacts, status: 'failed', failedStage: 'actions', error, actions },
        data: result.data,
      };
    }
    return { record: { ...forecastFacts, actions }, data: result.data };
  } catch (error) {
    const failedStage =
      error instanceof GroupReadError || error instanceof GroupRefusedError ? 'group' : 'actions';
    return {
      record: { ...forecastFacts, status: 'failed', failedStage, error: describeError(error) },
      data: result.data,
    };
  }
}

/** Which bound the blocks were sized on; nothing when nothing was planned (untrusted). */
function plannedOn({ plan, planned }: TargetForecast): Partial<DecisionRecord> {
  if (!plan.trusted) return {};
  return planned.fallback === undefined
    ? { planningBound: planned.bound }
    : { planningBound: planned.bound, planningBoundFallback: planned.fallback };
}

/** Adds the publish counts; a target with no result never reached publishing (failed before forecasting). */
function withPublishResult(record: DecisionRecord, result: PublishResult | undefined): DecisionRecord {
  if (result === undefined) return record;
  const counted = { ...record, publishedPoints: result.sent, alreadyPublishedPoints: result.alreadyStored };
  if (result.outcome.ok || record.status === 'failed') return counted;
  return { ...counted, status: 'failed', failedStage: 'publish', error: result.outcome.error };
}
