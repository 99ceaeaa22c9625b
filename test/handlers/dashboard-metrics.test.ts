/**
 * The dashboards graph exactly what the functions read and write. The forecaster runs for real (SDK
 * mocked) on the targets the stack was synthesized with, and each target's load graph must hold the
 * GetMetricData queries it sent for that target (metric, dimensions, statistic, period, metric
 * math), its target dashboard every forecast metric it published, and the overview every metric
 * its embedded metric format output carries; likewise the sweeper's output on the overview. What
 * the graphs then show is what the forecaster meant: each step at the forecast it sent for it,
 * after a target's periodSec changed too, and each run's counts once however often Lambda retried it.
 */
import { GetMetricDataCommand, type MetricDataQuery, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FORECAST_METRICS, FORECASTER_METRICS } from '../../lib/config/metric-names';
import { expandMetricsCalls } from '../../lib/config/metrics-function';
import { parseAppConfig } from '../../lib/config/parse';
import type { AppConfigInput } from '../../lib/config/schema';
import { dailyLoad, fakeGetMetricData } from '../fixtures/scaler/fake-cloudwatch';
import { requestsPerHost } from '../fixtures/scaler/load-metrics';
import {
  dashboardNamed,
  dashboardsOf,
  type GraphedMetric,
  graphedMetrics,
  graphsOf,
  graphTitled,
  type SynthesizedDashboard,
} from '../infra/dashboard-body';
import { exampleConfig } from '../infra/helpers';
import { emitted, stdoutOf } from './emf-capture';
// The namespace the fake CloudWatch keeps forecasts in, so the forecaster's read-back finds them.
import { context, cw, freezeDate, loadHandler, mockAws, NAMESPACE, scheduledEvent } from './forecaster-setup';
import { context as remediationContext, sweepEvent } from './remediation-setup';
import { environmentOf, type Synthesized, sweeperOnEmptyLedger, synthesizeApp } from './synthesized-app';

const ddb = mockClient(DynamoDBDocumentClient);

type TargetInput = AppConfigInput['predictiveScaling']['targets'][number];
type TargetKind = Omit<TargetInput, 'targetValue' | 'minCapacity' | 'maxCapacity'>;

/** One target of each kind of load metric, on 3 days of history to keep the run quick. */
const KINDS: TargetKind[] = [
  {
    id: 'cpu-hourly',
    autoScalingGroupName: 'cpu-asg',
    loadMetric: { type: 'predefined', metric: 'ASGTotalCPUUtilization' },
    periodSec: 3600,
  },
  {
    id: 'alb',
    autoScalingGroupName: 'alb-asg',
    loadMetric: {
      type: 'predefined',
      metric: 'ALBTargetGroupRequestCount',
      resourceLabel: 'app/web/50dc6c495c0c9188/targetgroup/web-tg/943f017f100becff',
    },
  },
  {
    id: 'net-detailed',
    autoScalingGroupName: 'net-asg',
    loadMetric: { type: 'predefined', metric: 'ASGTotalNetworkIn', instanceMonitoring: 'detailed' },
    periodSec: 60,
  },
  { id: 'custom-math', autoScalingGroupName: 'api-asg', loadMetric: requestsPerHost() },
  {
    id: 'custom-metrics-function',
    autoScalingGroupName: 'shop-asg',
    loadMetric: {
      type: 'custom',
      metricDataQueries: [
        ...['Checkout', 'Browse'].map((name) => ({
          Id: `req_${name.toLowerCase()}`,
          MetricStat: { Metric: { Namespace: 'Shop/App', MetricName: name }, Stat: 'Sum' },
          ReturnData: false,
        })),
        { Id: 'load', Expression: 'SUM(METRICS("req"))' },
      ],
    },
  },
];
const TARGETS: TargetInput[] = KINDS.map((t) => ({
  targetValue: 100,
  minCapacity: 1,
  maxCapacity: 10,
  lookbackDays: 3,
  ...t,
}));

/** A line or query reduced to what CloudWatch reads: ids only where an expression refers to them. */
type Signature = string;

function signature(m: {
  namespace?: string | undefined;
  metricName?: string | undefined;
  dimensions?: Readonly<Record<string, string>> | undefined;
  expression?: string | undefined;
  stat?: string | undefined;
  period: number;
  id?: string | undefined;
  visible: boolean;
}): Signature {
  const dimensions = Object.entries(m.dimensions ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(
    m.expression === undefined
      ? [m.namespace, m.metricName, dimensions, m.stat, m.period, m.visible, m.visible ? null : m.id]
      : [m.expression, m.period, m.visible, m.visible ? null : m.id],
  );
}

/**
 * The queries GetMetricData was sent for one target (ids prefixed `t<index>_` in a shared call),
 * as signatures; METRICS written as the ids it selects, as a graph must (its graph also holds the
 * forecast lines).
 */
function querySignatures(queries: readonly MetricDataQuery[]): Signature[] {
  const unprefix = (text: string) => text.replace(/\bt\d+_/g, '');
  const metricIds = queries.flatMap((q) => (q.MetricStat === undefined ? [] : [unprefix(q.Id ?? '')]));
  return queries
    .map((q) => {
      const visible = q.ReturnData !== false;
      const id = unprefix(q.Id ?? '');
      if (q.Expression !== undefined) {
        const expression = expandMetricsCalls(unprefix(q.Expression), metricIds);
        return signature({ expression, period: q.Period ?? 0, id, visible });
      }
      const stat = q.MetricStat;
      return signature({
        namespace: stat?.Metric?.Namespace,
        metricName: stat?.Metric?.MetricName,
        dimensions: Object.fromEntries((stat?.Metric?.Dimensions ?? []).map((d) => [d.Name, d.Value])),
        stat: stat?.Stat,
        period: stat?.Period ?? 0,
        id,
        visible,
      });
    })
    .sort();
}

/**
 * A load graph's lines as query signatures: the forecast lines left out, and the CPU scaling (an
 * expression multiplying the `Sum` by interval / period, which the forecaster applies after the
 * query; test/infra/dashboard-target-graphs.test.ts checks the factor) read as the `Sum` itself.
 */
function loadSignatures(lines: readonly GraphedMetric[]): Signature[] {
  const own = lines.filter((m) => m.namespace !== NAMESPACE);
  const scaling = own.find((m) => m.visible && /^\w+ \* \d+ \/ \d+$/.test(m.expression ?? ''));
  const read = own.flatMap((m) => {
    if (m === scaling) return [];
    if (scaling !== undefined && m.id === scaling.expression?.split(' ')[0]) return [{ ...m, visible: true }];
    return [m];
  });
  return read.map(signature).sort();
}

function targetDashboards(template: Template): SynthesizedDashboard[] {
  return dashboardsOf(template).filter((d) => d.logicalId.startsWith('DashboardTargets'));
}

/** Every line of every graph of the dashboards given. */
function allLines(dashboards: readonly SynthesizedDashboard[]): GraphedMetric[] {
  return dashboards.flatMap((d) => [...graphsOf(d).values()].flatMap(graphedMetrics));
}

describe('the dashboards graph what the functions read and emit', () => {
  let s: Synthesized;
  let template: Template;
  beforeAll(() => {
    const raw = exampleConfig();
    const config = parseAppConfig({
      ...raw,
      predictiveScaling: { ...raw.predictiveScaling, metricNamespace: NAMESPACE, targets: TARGETS },
      dashboard: { targetsPerDashboard: 3 },
    });
    s = synthesizeApp(config);
    template = Template.fromStack(s.stack);
  }, 60_000);
  beforeEach(() => {
    freezeDate();
    mockAws();
    ddb.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  async function runForecaster(): Promise<string> {
    const { handler } = await loadHandler(TARGETS, {
      ...environmentOf(s, s.stack.predictiveScaler.forecaster),
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    return stdoutOf(async () => {
      expect(await handler(scheduledEvent, context)).toMatchObject({ total: TARGETS.length, failed: 0 });
    });
  }

  it("each target's load graph holds the queries the forecaster reads its load with", async () => {
    await runForecaster();

    // First pages only (later pages repeat the queries); the forecast namespace is not load. A
    // target read alone (METRICS) has its ids unprefixed: its call is its key.
    const sent = cw
      .commandCalls(GetMetricDataCommand)
      .map((c) => c.args[0].input)
      .filter((input) => input.NextToken === undefined)
      .flatMap((input, call) => (input.MetricDataQueries ?? []).map((q) => ({ call, q })))
      .filter(({ q }) => q.MetricStat?.Metric?.Namespace !== NAMESPACE);
    const byTarget = new Map<string, MetricDataQuery[]>();
    for (const { call, q } of sent) {
      const key = /^t\d+_/.exec(q.Id ?? '')?.[0] ?? `call ${call}`;
      byTarget.set(key, [...(byTarget.get(key) ?? []), q]);
    }
    const graphs = targetDashboards(template).flatMap((d) =>
      [...graphsOf(d)].filter(([title]) => title.includes(': load')).map(([, g]) => graphedMetrics(g)),
    );

    expect(byTarget.size).toBe(TARGETS.length);
    expect(
      graphs
        .map(loadSignatures)
        .map((s) => JSON.stringify(s))
        .sort(),
    ).toEqual([...byTarget.values()].map((queries) => JSON.stringify(querySignatures(queries))).sort());
  });

  it("each forecast the forecaster publishes is on its target's dashboard, one point per period", async () => {
    await runForecaster();

    const published = cw
      .commandCalls(PutMetricDataCommand)
      .flatMap((c) =>
        (c.args[0].input.MetricData ?? []).map((d) => ({ namespace: c.args[0].input.Namespace, ...d })),
      );
    const lines = allLines(targetDashboards(template));
    const targetIds = new Set(published.map((d) => d.Dimensions?.[0]?.Value));

    expect(targetIds).toEqual(new Set(TARGETS.map((t) => t.id)));
    for (const d of published) {
      const dimensions = Object.fromEntries((d.Dimensions ?? []).map((x) => [x.Name, x.Value]));
      const target = TARGETS.find((t) => t.id === d.Dimensions?.[0]?.Value);
      expect(lines).toContainEqual(
        expect.objectContaining({
          namespace: d.namespace,
          metricName: d.MetricName,
          dimensions,
          period: target?.periodSec ?? 300,
        }),
      );
      // One datapoint per target and period, so the graph's Average per period is the forecast.
      expect(((d.Timestamp as Date).getTime() / 1000) % (target?.periodSec ?? 300)).toBe(0);
    }
  });

  it("the overview graphs every metric the forecaster's and the sweeper's output carries", async () => {
    const forecasterOut = await runForecaster();

    const handler = await sweeperOnEmptyLedger(s, ddb);
    const sweeperOut = await stdoutOf(async () => {
      expect(await handler(sweepEvent(), remediationContext)).toMatchObject({ resentEscalations: 0 });
    });

    const overview = allLines([dashboardNamed(template, 'DashboardOverview')]).map(
      ({ namespace, metricName, dimensions }) => ({ namespace, metricName, dimensions }),
    );
    const metrics = [...emitted(forecasterOut), ...emitted(sweeperOut)];
    expect(metrics.map((m) => m.metricName)).toEqual(
      expect.arrayContaining([
        'TargetsSucceeded',
        'TargetsFailed',
        'TargetsUntrusted',
        'SlotsReclaimed',
        'UnreadableLedgerItems',
      ]),
    );
    for (const { value: _value, ...metric } of metrics) expect(overview).toContainEqual(metric);
  });

  it('the overview shows a run that failed every target as many failures as it has targets, however often Lambda retried it', async () => {
    // Every history read is refused (a permission removed, say): the run fails every target and
    // throws after emitting its counts, so Lambda retries it twice, 1 and 2 minutes later
    // (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
    cw.on(GetMetricDataCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: cloudwatch:GetMetricData'), {
        name: 'AccessDenied',
      }),
    );
    const { handler } = await loadHandler(TARGETS, {
      ...environmentOf(s, s.stack.predictiveScaler.forecaster),
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    const line = graphedMetrics(
      graphTitled(dashboardNamed(template, 'DashboardOverview'), 'Forecaster: targets per hourly run'),
    ).find((m) => m.metricName === FORECASTER_METRICS.targetsFailed);

    const out = await stdoutOf(async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        await expect(handler(scheduledEvent, context)).rejects.toThrow(
          `all ${TARGETS.length} target(s) failed`,
        );
      }
    });
    const perInvocation = emitted(out, FORECASTER_METRICS.targetsFailed).map((m) => Number(m.value));

    // The three invocations fall in one hour; the graph's statistic over them is what it shows.
    expect(perInvocation).toEqual([TARGETS.length, TARGETS.length, TARGETS.length]);
    expect(line?.period).toBe(3600);
    expect(statisticOf(line?.stat, perInvocation)).toBe(TARGETS.length);
  });
});

/** A CloudWatch statistic over the datapoints of one period. */
function statisticOf(stat: string | undefined, values: readonly number[]): number {
  if (stat === 'Sum') return values.reduce((a, b) => a + b, 0);
  if (stat === 'Maximum') return Math.max(...values);
  if (stat === 'Minimum') return Math.min(...values);
  if (stat === 'Average') return values.reduce((a, b) => a + b, 0) / values.length;
  if (stat === 'SampleCount') return values.length;
  throw new Error(`statistic ${stat} not modelled here`);
}

/**
 * After a redeploy that changes a target's periodSec, CloudWatch combines every datapoint whose
 * timestamp falls within a period
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html),
 * as the fake store does: forecasts of the old period inside the new one's must not be taken for
 * published by the read-back, nor averaged into the dashboard's forecast line.
 */
describe('the forecaster and the dashboard, after a target moves from periodSec 300 to 3600', () => {
  /** 2024-03-04T10:05:00Z and an hour later: two scheduled runs, the config changed between them. */
  const RUN_1_SEC = 1_709_546_700;
  const HOUR = 3600;
  const RUN_2_SEC = RUN_1_SEC + HOUR;

  /** One ALB target (a load that is a sum per period) in forecastOnly, at the period given. */
  const webTarget = (periodSec: number) => ({
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
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it("publishes every hour of the first hourly run's window and graphs each at the forecast sent for it", async () => {
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

    // What the dashboard's LoadForecast line shows at those hours (its statistic per hour).
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
