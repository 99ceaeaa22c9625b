import {
  CloudWatchClient,
  PutMetricDataCommand,
  type PutMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatchPublisher } from '../../../lambdas/adapters/cloudwatch-publisher';
import type { ForecastDatum } from '../../../lambdas/core/scaler';

const cw = mockClient(CloudWatchClient);
afterEach(() => cw.reset());

/** CloudWatch rejects the whole request when one value is outside 8.515920e-109..1.174271e+108 in magnitude. */
function strictPutMetricData(input: PutMetricDataCommandInput) {
  for (const d of input.MetricData ?? []) {
    const v = Math.abs(d.Value ?? 0);
    if (v !== 0 && (v < 8.51592e-109 || v > 1.174271e108)) {
      throw Object.assign(
        new Error(`The value ${d.Value} for parameter MetricData.member.1.Value is invalid.`),
        {
          name: 'InvalidParameterValueException',
        },
      );
    }
  }
  return {};
}

const datum = (targetId: string, value: number): ForecastDatum => ({
  targetId,
  metric: 'LoadForecast',
  tSec: 1_709_550_000,
  value,
});

describe('CloudWatchPublisher', () => {
  it('publishes a vanishingly small forecast as 0 instead of failing every target in its request', async () => {
    cw.on(PutMetricDataCommand).callsFake(strictPutMetricData);

    const out = await new CloudWatchPublisher(new CloudWatchClient({}), 'NS').publish([
      datum('idle', 3e-115),
      datum('web', 420),
    ]);

    expect(out.get('idle')).toEqual({ ok: true, value: undefined });
    expect(out.get('web')).toEqual({ ok: true, value: undefined });
    const sent = cw.commandCalls(PutMetricDataCommand)[0]?.args[0].input.MetricData ?? [];
    expect(sent.map((d) => d.Value)).toEqual([0, 420]);
  });

  it('fails only the target with a value too large for CloudWatch, naming the metric and value', async () => {
    cw.on(PutMetricDataCommand).callsFake(strictPutMetricData);

    const out = await new CloudWatchPublisher(new CloudWatchClient({}), 'NS').publish([
      datum('runaway', 2e108),
      datum('web', 420),
    ]);

    expect(out.get('web')).toEqual({ ok: true, value: undefined });
    expect(out.get('runaway')).toEqual({
      ok: false,
      error:
        'LoadForecast value 2e+108 at 2024-03-04T11:00:00Z is beyond the magnitude CloudWatch accepts (1.174271e+108); not published',
    });
  });
});
