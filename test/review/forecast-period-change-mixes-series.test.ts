/**
 * Review: changing a target's `periodSec` leaves the dashboard's forecast line on the old period's
 * values for the hours around the change, and the new period's forecasts for those hours are never
 * published.
 *
 * The forecasts' identity (namespace, name, `TargetId`, `StackName`) does not carry the period, so
 * after a redeploy from `periodSec` 300 to 3600 the forecaster's read-back (`SampleCount` per new
 * period) finds the previous run's 5-minute values inside the hours it is about to publish, takes
 * those hours for already published, and sends only the later ones. The dashboard then graphs, for
 * those hours, the `Average` of the 5-minute forecasts against the hourly `Sum` of the load: for a
 * sum-like load (ALB requests) a twelfth of the hourly forecast. CloudWatch aggregates every data
 * point whose timestamp falls within a period ("if you request statistics with a one-hour period,
 * CloudWatch aggregates all data points with time stamps that fall within each one-hour period",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html),
 * as the fake store does.
 */
import { GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FORECAST_METRICS } from '../../lib/config/metric-names';
import { parseAppConfig } from '../../lib/config/parse';
import { dailyLoad, fakeGetMetricData } from '../fixtures/scaler/fake-cloudwatch';
import { context, cw, loadHandler, mockAws, NAMESPACE, scheduledEvent } from '../handlers/forecaster-setup';
import { environmentOf, synthesizeApp } from '../handlers/synthesized-app';
import { dashboardNamed, graphedMetrics, graphTitled } from '../infra/dashboard-body';
import { exampleConfig } from '../infra/helpers';

/** 2024-03-04T10:05:00Z and an hour later: two scheduled runs, the config changed between them. */
const RUN_1_SEC = 1_709_546_700;
const RUN_2_SEC = RUN_1_SEC + 3600;
const HOUR = 3600;

/** One ALB target (a load that is a sum per period) in forecastOnly, at the period given. */
function webTarget(periodSec: number) {
  return {
    id: 'web',
    autoScalingGroupName: 'web-asg',
    loadMetric: {
      type: 'predefined',
      metric: 'ALBTargetGroupRequestCount',
      resourceLabel: 'app/web/50dc6c495c0c9188/targetgroup/web-tg/943f017f100becff',
    },
    targetValue: 100,
    minCapacity: 1,
    maxCapacity: 20,
    lookbackDays: 3,
    periodSec,
  };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('forecaster and dashboard, after a target moves from periodSec 300 to 3600', () => {
  it("graphs each hour of the first hourly run's window at the hourly forecast that run made", async () => {
    // The stack as deployed after the change: where its dashboard looks for the hourly forecasts.
    const raw = exampleConfig();
    const s = synthesizeApp(
      parseAppConfig({
        ...raw,
        predictiveScaling: {
          ...raw.predictiveScaling,
          metricNamespace: NAMESPACE,
          targets: [webTarget(HOUR)],
        },
      }),
    );
    const loadGraph = graphTitled(
      dashboardNamed(Template.fromStack(s.stack), 'DashboardTargets1'),
      'web: load',
    );
    const forecastLine = graphedMetrics(loadGraph).find((m) => m.metricName === FORECAST_METRICS.load);
    const env = environmentOf(s, s.stack.predictiveScaler.forecaster);

    // Run 1, periodSec 300: requests per 5 minutes.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(RUN_1_SEC * 1000);
    const store = mockAws({ load: dailyLoad });
    const before = await loadHandler([webTarget(300)], env);
    expect(await before.handler(scheduledEvent, context)).toMatchObject({ failed: 0 });

    // Redeploy with periodSec 3600 (requests per hour, 12 times as many); run 2 an hour later.
    vi.setSystemTime(RUN_2_SEC * 1000);
    cw.on(GetMetricDataCommand).callsFake(
      fakeGetMetricData({ store, load: (key, tSec) => 12 * dailyLoad(key, tSec) }),
    );
    const putsBefore = cw.commandCalls(PutMetricDataCommand).length;
    const after = await loadHandler([webTarget(HOUR)], env);
    expect(await after.handler(scheduledEvent, context)).toMatchObject({ failed: 0 });

    // What run 2 forecast for each hour of its window: [10:00, 12:05) holds 10:00, 11:00, 12:00.
    const sent = new Map<number, number>();
    for (const call of cw.commandCalls(PutMetricDataCommand).slice(putsBefore)) {
      for (const d of call.args[0].input.MetricData ?? []) {
        if (d.MetricName === FORECAST_METRICS.load)
          sent.set((d.Timestamp as Date).getTime() / 1000, d.Value ?? 0);
      }
    }
    const windowStart = Math.floor((RUN_2_SEC - 600) / HOUR) * HOUR;
    const hours = [windowStart, windowStart + HOUR, windowStart + 2 * HOUR];

    // What the dashboard's LoadForecast line shows at those hours (Average per hour).
    const graphed = store.series(
      {
        Id: 'shown',
        MetricStat: {
          Metric: {
            MetricName: forecastLine?.metricName,
            Dimensions: Object.entries(forecastLine?.dimensions ?? {}).map(([Name, Value]) => ({
              Name,
              Value,
            })),
          },
          Stat: forecastLine?.stat,
          Period: forecastLine?.period,
        },
      },
      windowStart,
      windowStart + 3 * HOUR,
    );
    const shown = new Map(graphed.map((p) => [p.tSec, p.value]));

    expect(hours.map((t) => sent.has(t))).toEqual([true, true, true]);
    for (const t of hours) expect(shown.get(t)).toBeCloseTo(sent.get(t) ?? Number.NaN, 6);
  }, 60_000);
});
