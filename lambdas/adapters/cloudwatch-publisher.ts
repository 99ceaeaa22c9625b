/**
 * ForecastPublisher on CloudWatch: PutMetricData batched across targets within the API's limits,
 * and the read-back of what is already stored through GetMetricData.
 */
import { type CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { FORECAST_DIMENSIONS, FORECAST_METRICS } from '../../lib/config/metric-names';
import { describeError } from '../core/scaler/decision';
import type {
  ForecastDatum,
  ForecastMetricName,
  ForecastPublisher,
  HistoryRequest,
  Outcome,
  PublishWindow,
  TargetHistory,
} from '../core/scaler/ports';
import { MAX_VALUE_MAGNITUDE, MIN_VALUE_MAGNITUDE } from '../core/series/cloudwatch-range';
import { isoUtc } from '../core/series/iso-time';
import { CloudWatchHistory } from './cloudwatch-history';

/** PutMetricData takes at most 1,000 metrics per request. */
export const METRICS_PER_CALL = 1000;
/** PutMetricData requests are limited to 1 MB; batches stay under this estimate of the encoded size. */
export const MAX_PAYLOAD_BYTES = 900_000;
/**
 * The metric read back to learn which forecast times are stored. Any of the forecast metrics would
 * do: the values of one target at one time are sent in one request, so all are stored or none.
 */
const READ_BACK_METRIC: ForecastMetricName = FORECAST_METRICS.load;

/** Where a stack's forecaster publishes: the namespace, and its stack's name as a dimension. */
export interface ForecastDestination {
  readonly namespace: string;
  /** The `StackName` dimension: keeps the forecasts apart from another stack's in the account. */
  readonly stackName: string;
}

/**
 * Publishes forecast values with the dimensions `TargetId`, `StackName` and `PeriodSec` in the
 * configured namespace, and reads back only its own stack's, at each target's current period.
 */
export class CloudWatchPublisher implements ForecastPublisher {
  private readonly history: CloudWatchHistory;
  private readonly namespace: string;
  private readonly stackName: string;

  constructor(
    private readonly client: CloudWatchClient,
    destination: ForecastDestination,
  ) {
    this.history = new CloudWatchHistory(client);
    this.namespace = destination.namespace;
    this.stackName = destination.stackName;
  }

  /**
   * Reads each target's {@link READ_BACK_METRIC} `SampleCount` per period over its window and
   * returns the times that hold data. The read goes through {@link CloudWatchHistory}, so it is
   * batched the same way (500 queries a call, `NextToken` followed, a rejected query failing only
   * its own target): 2 calls for 1,000 targets. A window still `PartialData` after every page,
   * or read by a call CloudWatch executed only in part, fails its target, since a time missing
   * from it might be stored. `signal` aborts the read as {@link CloudWatchHistory.fetchHistory} says.
   */
  async storedTimes(
    windows: readonly PublishWindow[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, Outcome<ReadonlySet<number>>>> {
    const read = await this.history.fetchHistory(
      windows.map((w) => this.readBackRequest(w)),
      signal,
    );
    return new Map(windows.map((w) => [w.targetId, storedTimesOf(read.get(w.targetId))]));
  }

  /**
   * One outcome per target: a failed call fails every target with a value in it. A value too
   * small for CloudWatch is sent as 0; one too large is not sent, nor are the other values of its
   * target at that time (so they stay stored together or not at all), and it fails its
   * target only.
   *
   * `signal`, when given, aborts the PutMetricData call in flight (the SDK's `abortSignal`, which
   * closes its connection) and sends no further batch: once it has aborted the publish rejects
   * with its reason (or the SDK's abort error), so no value is put after the run stopped waiting.
   * A call aborted in flight may still have been stored; the next run's read-back finds it.
   */
  async publish(
    data: readonly ForecastDatum[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, Outcome<void>>> {
    const out = new Map<string, Outcome<void>>();
    const unsendable = new Set<string>();
    for (const d of data) {
      if (Math.abs(d.value) > MAX_VALUE_MAGNITUDE) {
        unsendable.add(groupKey(d));
        out.set(d.targetId, {
          ok: false,
          error: `${d.metric} value ${d.value} at ${isoUtc(d.tSec)} is beyond the magnitude CloudWatch accepts (${MAX_VALUE_MAGNITUDE}); not published`,
        });
      }
    }
    const sendable = data
      .filter((d) => !unsendable.has(groupKey(d)))
      .map((d) => (Math.abs(d.value) < MIN_VALUE_MAGNITUDE ? { ...d, value: 0 } : d));
    for (const batch of batches(sendable, this.stackName)) {
      signal?.throwIfAborted();
      let outcome: Outcome<void> = { ok: true, value: undefined };
      try {
        await this.client.send(
          new PutMetricDataCommand({ Namespace: this.namespace, MetricData: batch.map((b) => b.datum) }),
          { abortSignal: signal },
        );
      } catch (error) {
        if (signal?.aborted === true) throw error;
        outcome = { ok: false, error: describeError(error) };
      }
      for (const { targetId } of batch) {
        const prev = out.get(targetId);
        if (prev === undefined || prev.ok) out.set(targetId, outcome);
      }
    }
    return out;
  }

  /**
   * The read-back as a history request with one custom query; the window start is on the period
   * grid (it is the end of a history window), so each returned period is one forecast time.
   */
  private readBackRequest(w: PublishWindow): HistoryRequest {
    return {
      targetId: w.targetId,
      autoScalingGroupName: '',
      periodSec: w.periodSec,
      startSec: w.startSec,
      endSec: w.endSec,
      loadMetric: {
        type: 'custom',
        metricDataQueries: [
          {
            Id: 'stored',
            MetricStat: {
              Metric: {
                Namespace: this.namespace,
                MetricName: READ_BACK_METRIC,
                Dimensions: dimensionsOf(w, this.stackName),
              },
              Stat: 'SampleCount',
            },
          },
        ],
      },
    };
  }
}

/** The times a read-back found data at; an error when it cannot tell. */
function storedTimesOf(read: Outcome<TargetHistory> | undefined): Outcome<ReadonlySet<number>> {
  if (read === undefined) return { ok: false, error: 'GetMetricData returned no result for this target' };
  if (!read.ok) return read;
  if (read.value.partial) {
    const said = read.value.messages;
    const error =
      said.length === 0
        ? 'GetMetricData still reported PartialData after every page'
        : `GetMetricData returned the read-back incomplete: ${said.join('; ')}`;
    return { ok: false, error };
  }
  return { ok: true, value: new Set(read.value.points.filter((p) => p.value > 0).map((p) => p.tSec)) };
}

/** The values sent together: one target's forecast metrics at one time. */
function groupKey(d: ForecastDatum): string {
  return `${d.targetId}@${d.tSec}`;
}

/**
 * Every forecast's dimensions, the same in what is put and what is read back: the target, the
 * stack and the target's period, so a changed `periodSec` writes and reads a series of its own.
 */
function dimensionsOf(
  series: { readonly targetId: string; readonly periodSec: number },
  stackName: string,
): Array<{ Name: string; Value: string }> {
  return [
    { Name: FORECAST_DIMENSIONS.targetId, Value: series.targetId },
    { Name: FORECAST_DIMENSIONS.stackName, Value: stackName },
    { Name: FORECAST_DIMENSIONS.periodSec, Value: String(series.periodSec) },
  ];
}

function toDatum(d: ForecastDatum, stackName: string): MetricDatum {
  return {
    MetricName: d.metric,
    Dimensions: dimensionsOf(d, stackName),
    Timestamp: new Date(d.tSec * 1000),
    Value: d.value,
    Unit: d.metric.startsWith('Capacity') ? 'Count' : 'None',
  };
}

type Sendable = { targetId: string; datum: MetricDatum };

/**
 * Requests of at most {@link METRICS_PER_CALL} values and {@link MAX_PAYLOAD_BYTES}, each value
 * group (one target at one time, one value per forecast metric) whole in one request.
 */
function batches(data: readonly ForecastDatum[], stackName: string): Sendable[][] {
  const groups = new Map<string, Sendable[]>();
  for (const d of data) {
    const key = groupKey(d);
    const group = groups.get(key) ?? [];
    group.push({ targetId: d.targetId, datum: toDatum(d, stackName) });
    groups.set(key, group);
  }
  const out: Sendable[][] = [];
  let current: Sendable[] = [];
  let bytes = 0;
  for (const group of groups.values()) {
    // The query encoding repeats each member's path; 3x the JSON length is a safe upper estimate.
    const size = group.reduce((n, g) => n + 3 * JSON.stringify(g.datum).length, 0);
    const full = current.length + group.length > METRICS_PER_CALL || bytes + size > MAX_PAYLOAD_BYTES;
    if (full && current.length > 0) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(...group);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
