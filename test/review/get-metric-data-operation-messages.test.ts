/**
 * Review (failing test): CloudWatchHistory drops GetMetricData's operation-level `Messages`.
 *
 * GetMetricData's response `Messages`: "Contains a message about this GetMetricData operation, if
 * the operation results in such a message. An example of a message that might be returned is
 * Maximum number of allowed metrics exceeded. If there is a message, as much of the operation as
 * possible is still executed. A message appears here only if it is related to the global
 * GetMetricData operation. Any message about a specific metric returned by the operation appears
 * in the MetricDataResult object returned for that metric."
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html)
 *
 * The adapter reads only each result's own `Messages` and `StatusCode`
 * (lambdas/adapters/cloudwatch-history.ts, readAllPages), so a call CloudWatch executed only in
 * part comes back `Complete`, not partial, with no message: the forecaster trusts and plans on
 * values computed from fewer metrics than the load metric names, and the operator is not told.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { CloudWatchHistory } from '../../lambdas/adapters/cloudwatch-history';
import type { HistoryRequest } from '../../lambdas/core/scaler';
import { target } from '../unit/scaler/memory-ports';

const CUT_SHORT = 'Maximum number of allowed metrics exceeded';

describe('CloudWatchHistory with a message about the whole GetMetricData operation', () => {
  it('does not return a history CloudWatch says it computed only in part as complete and silent', async () => {
    const cw = mockClient(CloudWatchClient);
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: (input.MetricDataQueries ?? [])
        .filter((q) => q.ReturnData !== false)
        .map((q) => ({
          Id: q.Id,
          Label: 'load',
          Timestamps: [new Date(0), new Date(3_600_000)],
          Values: [1200, 1300],
          StatusCode: 'Complete' as const,
        })),
      Messages: [{ Value: CUT_SHORT }],
    }));
    const t = target({
      loadMetric: {
        type: 'custom',
        metricDataQueries: [
          {
            Id: 'load',
            Expression: `SUM(SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Sum', 3600))`,
          },
        ],
      },
    });
    const request: HistoryRequest = {
      targetId: t.id,
      loadMetric: t.loadMetric,
      autoScalingGroupName: t.autoScalingGroupName,
      periodSec: 3600,
      startSec: 0,
      endSec: 7200,
    };

    const out = await new CloudWatchHistory(new CloudWatchClient({ region: 'us-east-1' })).fetchHistory([
      request,
    ]);

    const history = out.get(t.id);
    expect(history?.ok).toBe(true);
    const value = history?.ok === true ? history.value : undefined;
    expect(value?.messages.join('; ')).toContain(CUT_SHORT);
    expect(value?.partial).toBe(true);
    cw.restore();
  });
});
