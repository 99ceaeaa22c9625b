/**
 * Publishing a run's forecasts so that the store holds each forecast time of a target at most once.
 *
 * CloudWatch keeps every datapoint put, including a second one at a time it already holds, and its
 * statistics then combine both (Average averages them, Sum and SampleCount count both). Each run's
 * window (`publishWindow`) starts at the end of the history it read and ends an hour ahead, so the
 * windows of runs less than an hour apart overlap: a retried, manual or early run would store its
 * overlap a second time. Instead, a run reads back which times of its window are already stored and
 * sends only the others. The read-back is the durable fact: whatever the runs' timing, a time is
 * sent only while the store does not hold it, and a run that failed before publishing leaves
 * nothing behind, so its retry (or the next run) publishes what it would have.
 */
import type { ScalingTarget } from '../../../lib/config/schema';
import { describeError } from './decision';
import { publishWindow } from './forecast-target';
import type { ForecastDatum, ForecastPublisher, Outcome, PublishWindow } from './ports';

/** One target's forecast values for this run, all inside its `publishWindow`. */
export interface PendingForecast {
  readonly target: ScalingTarget;
  readonly data: readonly ForecastDatum[];
}

/** What publishing did for one target. */
export interface PublishResult {
  readonly outcome: Outcome<void>;
  /** Values sent in this run (one per forecast metric, 5 per forecast time). */
  readonly sent: number;
  /** Values of the window not sent because the store already held their time. */
  readonly alreadyStored: number;
}

/**
 * Reads back the stored times of every target with data (one batched read), drops the values at
 * those times and publishes the rest (one batched publish). A target whose read-back fails
 * publishes nothing and fails: sending blind could store its times twice, and the next run, or the
 * retry of this invocation if every target failed, publishes them instead. Every pending target
 * gets a result, one with no value in its window too (0 sent, 0 already stored, nothing read back).
 * `signal`, when given, goes to both calls: once it aborts, the call in flight is aborted and
 * nothing more is sent (a read-back stopped so fails its targets; a publish stopped so rejects).
 */
export async function publishNewForecasts(
  pending: readonly PendingForecast[],
  publisher: ForecastPublisher,
  nowSec: number,
  signal?: AbortSignal,
): Promise<ReadonlyMap<string, PublishResult>> {
  const results = new Map<string, PublishResult>();
  for (const { target } of pending)
    results.set(target.id, { outcome: { ok: true, value: undefined }, sent: 0, alreadyStored: 0 });
  const withData = pending.filter((p) => p.data.length > 0);
  if (withData.length === 0) return results;
  const stored = await storedTimesSafely(
    publisher,
    withData.map((p) => ({
      targetId: p.target.id,
      periodSec: p.target.periodSec,
      ...publishWindow(p.target, nowSec),
    })),
    signal,
  );
  const fresh: ForecastDatum[] = [];
  for (const { target, data } of withData) {
    const times = stored.get(target.id);
    if (times === undefined || !times.ok) {
      const why = times === undefined ? 'the store returned nothing for this target' : times.error;
      const error = `could not read back the forecasts already published (${why}); none published, so none is stored twice`;
      results.set(target.id, { outcome: { ok: false, error }, sent: 0, alreadyStored: 0 });
      continue;
    }
    const unsent = data.filter((d) => !times.value.has(d.tSec));
    fresh.push(...unsent);
    results.set(target.id, {
      outcome: { ok: true, value: undefined },
      sent: unsent.length,
      alreadyStored: data.length - unsent.length,
    });
  }
  if (fresh.length === 0) return results;
  const published = await publisher.publish(fresh, signal);
  for (const [targetId, outcome] of published) {
    const result = results.get(targetId);
    if (result !== undefined && !outcome.ok) results.set(targetId, { ...result, outcome });
  }
  return results;
}

async function storedTimesSafely(
  publisher: ForecastPublisher,
  windows: readonly PublishWindow[],
  signal: AbortSignal | undefined,
): Promise<ReadonlyMap<string, Outcome<ReadonlySet<number>>>> {
  try {
    return await publisher.storedTimes(windows, signal);
  } catch (error) {
    const failed: Outcome<ReadonlySet<number>> = { ok: false, error: describeError(error) };
    return new Map(windows.map((w) => [w.targetId, failed]));
  }
}
