/** ForecastPublisher on CloudWatch PutMetricData, batched across targets within the API's limits. */
import { type CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { describeError } from '../core/scaler/decision';
import type { ForecastDatum, ForecastPublisher, Outcome } from '../core/scaler/ports';
import { isoUtc } from '../core/series/iso-time';

/** PutMetricData takes at most 1,000 metrics per request. */
export const METRICS_PER_CALL = 1000;
/** PutMetricData requests are limited to 1 MB; batches stay under this estimate of the encoded size. */
export const MAX_PAYLOAD_BYTES = 900_000;
/**
 * Magnitudes PutMetricData accepts besides 0 (8.515920e-109 to 1.174271e+108, about 2^-360 to
 * 2^360); one value outside them makes CloudWatch reject the whole request.
 */
export const MIN_VALUE_MAGNITUDE = 8.51592e-109;
export const MAX_VALUE_MAGNITUDE = 1.174271e108;

/** Publishes forecast values with the dimension `TargetId` in the project's namespace. */
export class CloudWatchPublisher implements ForecastPublisher {
  constructor(
    private readonly client: CloudWatchClient,
    private readonly namespace: string,
  ) {}

  /**
   * One outcome per target: a failed call fails every target with a value in it. A value too
   * small for CloudWatch is sent as 0; one too large is not sent and fails its target only.
   */
  async publish(data: readonly ForecastDatum[]): Promise<ReadonlyMap<string, Outcome<void>>> {
    const out = new Map<string, Outcome<void>>();
    const sendable: ForecastDatum[] = [];
    for (const d of data) {
      const magnitude = Math.abs(d.value);
      if (magnitude > MAX_VALUE_MAGNITUDE) {
        out.set(d.targetId, {
          ok: false,
          error: `${d.metric} value ${d.value} at ${isoUtc(d.tSec)} is beyond the magnitude CloudWatch accepts (${MAX_VALUE_MAGNITUDE}); not published`,
        });
      } else sendable.push(magnitude < MIN_VALUE_MAGNITUDE ? { ...d, value: 0 } : d);
    }
    for (const batch of batches(sendable)) {
      let outcome: Outcome<void> = { ok: true, value: undefined };
      try {
        await this.client.send(
          new PutMetricDataCommand({ Namespace: this.namespace, MetricData: batch.map((b) => b.datum) }),
        );
      } catch (error) {
        outcome = { ok: false, error: describeError(error) };
      }
      for (const { targetId } of batch) {
        const prev = out.get(targetId);
        if (prev === undefined || prev.ok) out.set(targetId, outcome);
      }
    }
    return out;
  }
}

function toDatum(d: ForecastDatum): MetricDatum {
  return {
    MetricName: d.metric,
    Dimensions: [{ Name: 'TargetId', Value: d.targetId }],
    Timestamp: new Date(d.tSec * 1000),
    Value: d.value,
    Unit: d.metric.startsWith('Capacity') ? 'Count' : 'None',
  };
}

function batches(data: readonly ForecastDatum[]): Array<Array<{ targetId: string; datum: MetricDatum }>> {
  const out: Array<Array<{ targetId: string; datum: MetricDatum }>> = [];
  let current: Array<{ targetId: string; datum: MetricDatum }> = [];
  let bytes = 0;
  for (const d of data) {
    const datum = toDatum(d);
    // The query encoding repeats each member's path; 3x the JSON length is a safe upper estimate.
    const size = 3 * JSON.stringify(datum).length;
    if (current.length === METRICS_PER_CALL || (bytes + size > MAX_PAYLOAD_BYTES && current.length > 0)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ targetId: d.targetId, datum });
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
