/**
 * Review (failing test): an ALB target group with no requests in an hour has no RequestCount
 * datapoint for that hour, and the forecaster treats the hour as a gap to interpolate.
 *
 * "Elastic Load Balancing reports metrics to CloudWatch only when requests are flowing through the
 * load balancer. [...] If there are no requests flowing through the load balancer or no data for a
 * metric, the metric is not reported."
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html)
 *
 * So for `ALBTargetGroupRequestCount` a missing period is zero requests. The history read through
 * CloudWatchHistory and forecastTarget fills such periods by linear interpolation between the
 * evening and the morning load (planning night capacity on load that never came), and a quiet
 * night longer than six hours makes every forecast untrusted ("history has a gap", "history
 * stopped"), so the scaler never plans the morning ramp.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatchHistory } from '../../lambdas/adapters/cloudwatch-history';
import { selectForecast } from '../../lambdas/core/forecast/select';
import type { Forecaster } from '../../lambdas/core/forecast/types';
import { forecastTarget, type HistoryRequest, type TargetHistory } from '../../lambdas/core/scaler';
import { historyWindow } from '../../lambdas/core/scaler/forecast-target';
import type { RegularSeries } from '../../lambdas/core/series/types';
import { NOW_SEC, target } from '../unit/scaler/memory-ports';

const HOUR = 3600;
const LABEL = 'app/my-alb/778d41231b141a0f/targetgroup/my-alb-target-group/943f017f100becff';

/** Requests per hour while the application is in use, 06:00 to 22:00 UTC; none at night. */
function requestsAt(tSec: number): number | undefined {
  const hour = (tSec % 86_400) / HOUR;
  if (hour < 6 || hour >= 22) return undefined;
  return 20_000 + 10_000 * Math.sin(((hour - 6) / 16) * Math.PI);
}

const albTarget = () =>
  target({
    loadMetric: { type: 'predefined', metric: 'ALBTargetGroupRequestCount', resourceLabel: LABEL },
    periodSec: HOUR,
    lookbackDays: 14,
    horizonHours: 24,
    targetValue: 5000,
    minCapacity: 1,
    maxCapacity: 20,
  });

/**
 * CloudWatch's answer for hourly RequestCount Sums: a datapoint for each hour with requests and
 * none for an hour without, oldest first, one page.
 */
function cloudWatchAnswer(input: GetMetricDataCommandInput) {
  const start = Math.round((input.StartTime as Date).getTime() / 1000);
  const end = Math.round((input.EndTime as Date).getTime() / 1000);
  return {
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const times: number[] = [];
      for (let t = start; t < end; t += HOUR) if (requestsAt(t) !== undefined) times.push(t);
      return {
        Id: q.Id,
        Label: 'RequestCount',
        Timestamps: times.map((t) => new Date(t * 1000)),
        Values: times.map((t) => requestsAt(t) as number),
        StatusCode: 'Complete' as const,
      };
    }),
    Messages: [],
  };
}

async function readHistory(nowSec: number): Promise<TargetHistory> {
  const t = albTarget();
  const request: HistoryRequest = {
    targetId: t.id,
    loadMetric: t.loadMetric,
    autoScalingGroupName: t.autoScalingGroupName,
    periodSec: t.periodSec,
    ...historyWindow(t, nowSec),
  };
  const out = await new CloudWatchHistory(new CloudWatchClient({ region: 'us-east-1' })).fetchHistory([
    request,
  ]);
  const history = out.get(t.id);
  if (history?.ok !== true) throw new Error(`history not read: ${JSON.stringify(history)}`);
  return history.value;
}

/** The selector, recording the series it was given. */
function recording(): { forecaster: Forecaster; seen: RegularSeries[] } {
  const seen: RegularSeries[] = [];
  return {
    seen,
    forecaster: (series, options) => {
      seen.push(series);
      return selectForecast(series, options);
    },
  };
}

describe('ALBTargetGroupRequestCount history with quiet nights', () => {
  const cw = mockClient(CloudWatchClient);
  cw.on(GetMetricDataCommand).callsFake(cloudWatchAnswer);
  afterEach(() => cw.resetHistory());

  it('reads an hour without a RequestCount datapoint as zero requests, not as a gap to interpolate', async () => {
    // Monday 10:30: the history ends at 10:00, its last night 22:00-06:00 held no requests.
    const history = await readHistory(NOW_SEC);
    const { forecaster, seen } = recording();

    const result = forecastTarget(albTarget(), history, NOW_SEC, forecaster);

    const series = seen[0];
    if (series === undefined) throw new Error('forecaster not called');
    const twoAm = Math.floor(NOW_SEC / 86_400) * 86_400 + 2 * HOUR;
    const at = (tSec: number) => series.values[(tSec - series.startSec) / series.stepSec];
    expect(at(twoAm)).toBe(0);
    expect(result.history.gapPointsFilled).toBe(0);
  });

  it('does not distrust the forecast for a night of no requests longer than six hours', async () => {
    const history = await readHistory(NOW_SEC);

    const result = forecastTarget(albTarget(), history, NOW_SEC);

    // The history checks should add nothing for a normal night: the verdict is the model's own.
    expect(result.trust).toEqual(result.forecast.trust);
  });

  it('plans the morning ramp at 05:30, eight hours after the last request of the evening', async () => {
    const morning = NOW_SEC - 5 * HOUR;
    const history = await readHistory(morning);

    const result = forecastTarget(albTarget(), history, morning);

    expect(result.trust.reason).not.toMatch(/history stopped/);
    expect(result.trust).toEqual(result.forecast.trust);
  });
});
