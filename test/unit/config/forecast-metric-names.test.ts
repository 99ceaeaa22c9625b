/**
 * The forecast metric names and dimensions in lib/config/metric-names.ts (which the dashboard
 * graphs) are the ones the forecaster's publisher sends in the PutMetricData request it builds.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatchPublisher } from '../../../lambdas/adapters/cloudwatch-publisher';
import { FORECAST_DIMENSIONS, FORECAST_METRICS } from '../../../lib/config/metric-names';

const cw = mockClient(CloudWatchClient);
afterEach(() => cw.reset());

describe('FORECAST_METRICS', () => {
  it("is what the publisher sends, with the target id, the stack's name and the period as the dimensions", async () => {
    cw.on(PutMetricDataCommand).resolves({});
    const names = Object.values(FORECAST_METRICS);
    await new CloudWatchPublisher(new CloudWatchClient({ region: 'us-east-1' }), {
      namespace: 'Team/Forecasts',
      stackName: 'SelfHealProd',
    }).publish(
      names.map((metric) => ({ targetId: 'web', periodSec: 900, metric, tSec: 1_709_550_000, value: 3 })),
    );

    const sent = cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(sent.map((input) => input.Namespace)).toEqual(['Team/Forecasts']);
    expect(sent.flatMap((input) => input.MetricData ?? []).map((d) => [d.MetricName, d.Dimensions])).toEqual(
      names.map((name) => [
        name,
        [
          { Name: FORECAST_DIMENSIONS.targetId, Value: 'web' },
          { Name: FORECAST_DIMENSIONS.stackName, Value: 'SelfHealProd' },
          { Name: FORECAST_DIMENSIONS.periodSec, Value: '900' },
        ],
      ]),
    );
  });
});
