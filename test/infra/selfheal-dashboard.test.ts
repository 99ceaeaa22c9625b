import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScale } from '../../lambdas/adapters/metric-queries';
import { buildApp } from '../../lib/app/build-app';
import {
  FORECAST_DIMENSION,
  FORECAST_METRICS,
  FORECASTER_METRICS,
  REMEDIATION_METRICS,
  SERVICE_NAMES,
} from '../../lib/config/metric-names';
import { ConfigError, parseAppConfig } from '../../lib/config/parse';
import type { AppConfigInput } from '../../lib/config/schema';
import { PredictiveScaler } from '../../lib/constructs/predictive-scaler';
import { SelfHealDashboard, type SelfHealDashboardProps } from '../../lib/constructs/selfheal-dashboard';
import type { SelfhealStack } from '../../lib/stacks/selfheal-stack';
import {
  dashboardNamed,
  dashboardsOf,
  graphedMetrics,
  graphsOf,
  graphTitled,
  REGION,
  type SynthesizedDashboard,
} from './dashboard-body';
import { appWithoutBundling, exampleConfig, newStack } from './helpers';

type TargetInput = AppConfigInput['predictiveScaling']['targets'][number];

/** A target on group `<id>-asg` with a predefined metric; `overrides` replace fields. */
function target(id: string, overrides: Partial<TargetInput> = {}): TargetInput {
  return {
    id,
    autoScalingGroupName: `${id}-asg`,
    loadMetric: { type: 'predefined', metric: 'ASGTotalNetworkIn' },
    targetValue: 100,
    minCapacity: 1,
    maxCapacity: 10,
    ...overrides,
  };
}

/** A stack with only the predictive scaler and the dashboard (no remediation engine). */
function scalerDashboards(
  targets: TargetInput[],
  props: Partial<SelfHealDashboardProps> = {},
): { stack: Stack; dashboard: SelfHealDashboard; template: Template } {
  const stack = newStack();
  const predictiveScaler = new PredictiveScaler(stack, 'Scaler', {
    targets,
    metricNamespace: 'Team/Forecasts',
  });
  const dashboard = new SelfHealDashboard(stack, 'Dashboard', { predictiveScaler, ...props });
  return { stack, dashboard, template: Template.fromStack(stack) };
}

/** The ids of the targets a target dashboard graphs, in order (from its load graphs' titles). */
function targetIdsOn(dashboard: SynthesizedDashboard): string[] {
  return [...graphsOf(dashboard).keys()]
    .filter((t) => t.includes(': load'))
    .map((t) => t.split(':')[0] ?? '');
}

const forecastLine = (namespace: string, metricName: string, targetId: string, periodSec: number) => ({
  namespace,
  metricName,
  dimensions: { [FORECAST_DIMENSION]: targetId },
  stat: 'Average',
  period: periodSec,
  visible: true,
});

describe('SelfHealDashboard in the app (config/example.json)', () => {
  let stack: SelfhealStack;
  let template: Template;
  beforeAll(() => {
    const config = parseAppConfig(exampleConfig());
    stack = buildApp(appWithoutBundling(), config).stack;
    template = Template.fromStack(stack);
  }, 60_000);

  const overview = () => dashboardNamed(template, 'DashboardOverview');
  const targets = () => dashboardNamed(template, 'DashboardTargets1');

  it('deploys an overview and one target dashboard, named after the stack and its region', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 2);
    expect(overview().name).toBe(`SelfHeal-${REGION}`);
    expect(targets().name).toBe(`SelfHeal-${REGION}-targets-1`);
    for (const d of [overview(), targets()]) {
      // Every graph keeps its period: a load Sum re-aggregated over a longer one would not compare.
      expect(d.body).toMatchObject({ start: '-P2D', periodOverride: 'inherit' });
    }
  });

  it("graphs each target's configured load metric with the forecasts in the forecaster's namespace", () => {
    const ns = 'SelfHeal/PredictiveScaling';
    expect(graphedMetrics(graphTitled(targets(), 'web-frontend: load'))).toEqual([
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'RequestCount',
        dimensions: {
          TargetGroup: 'targetgroup/web-tg/943f017f100becff',
          LoadBalancer: 'app/web-alb/50dc6c495c0c9188',
        },
        stat: 'Sum',
        period: 300,
        visible: true,
        label: 'load (as the forecaster reads it)',
      },
      { ...forecastLine(ns, FORECAST_METRICS.load, 'web-frontend', 300), label: 'LoadForecast' },
      {
        ...forecastLine(ns, FORECAST_METRICS.loadUpper, 'web-frontend', 300),
        label: 'LoadForecastUpper (p90)',
      },
    ]);
    expect(graphedMetrics(graphTitled(targets(), 'batch-workers: load'))[0]).toMatchObject({
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensions: { AutoScalingGroupName: 'batch-workers-asg' },
      stat: 'Sum',
      period: 300,
    });
  });

  it("graphs each group's capacity against the capacity forecasts, with MinSize for forecastAndScale", () => {
    const ns = 'SelfHeal/PredictiveScaling';
    const group = (metricName: string, asg: string, label: string) => ({
      namespace: 'AWS/AutoScaling',
      metricName,
      dimensions: { AutoScalingGroupName: asg },
      stat: 'Average',
      period: 300,
      visible: true,
      label,
    });
    const web = graphTitled(targets(), 'web-frontend: capacity');
    expect(graphedMetrics(web)).toEqual([
      group('GroupDesiredCapacity', 'web-frontend-asg', 'desired'),
      group('GroupInServiceInstances', 'web-frontend-asg', 'in service'),
      { ...forecastLine(ns, FORECAST_METRICS.capacity, 'web-frontend', 300), label: 'CapacityForecast' },
      {
        ...forecastLine(ns, FORECAST_METRICS.capacityUpper, 'web-frontend', 300),
        label: 'CapacityForecastUpper (p90)',
      },
    ]);
    expect(web.properties.annotations?.horizontal?.map((a) => a.value)).toEqual([2, 20]);
    expect(
      graphedMetrics(graphTitled(targets(), 'batch-workers: capacity')).map((m) => m.metricName),
    ).toEqual([
      'GroupDesiredCapacity',
      'GroupInServiceInstances',
      'GroupMinSize',
      'CapacityForecast',
      'CapacityForecastUpper',
    ]);
  });

  it('says on each target dashboard that the group lines need group metrics collection', () => {
    const text = targets().body.widgets.find((w) => w.type === 'text')?.properties.markdown ?? '';
    expect(text).toContain('EnableMetricsCollection with granularity 1Minute');
    expect(text).toContain('without it they stay empty');
  });

  it("graphs the forecaster's run counts under the identity its TargetsFailed alarm reads", () => {
    const alarm =
      template.toJSON().Resources[
        stack.getLogicalId(stack.predictiveScaler.targetsFailedAlarm.node.defaultChild as never)
      ].Properties;
    const runs = graphedMetrics(graphTitled(overview(), 'Forecaster: targets per hourly run'));
    const identity = {
      namespace: 'SelfHeal/PredictiveScaling',
      dimensions: { service: SERVICE_NAMES.forecaster },
      stat: 'Sum',
      period: 3600,
      visible: true,
    };
    expect(runs).toEqual(
      Object.values(FORECASTER_METRICS).map((metricName) => ({ ...identity, metricName, label: metricName })),
    );
    expect(runs).toContainEqual(
      expect.objectContaining({
        namespace: alarm.Namespace,
        metricName: alarm.MetricName,
        dimensions: Object.fromEntries(
          alarm.Dimensions.map((d: { Name: string; Value: string }) => [d.Name, d.Value]),
        ),
        stat: alarm.Statistic,
        period: alarm.Period,
      }),
    );
  });

  it('graphs every outcome count each remediation handler emits, per handler service', () => {
    const sweeperOnly = [REMEDIATION_METRICS.slotsReclaimed, REMEDIATION_METRICS.escalationsResent];
    const outcomes = Object.values(REMEDIATION_METRICS).filter(
      (n) => n !== REMEDIATION_METRICS.timeToRecover && !sweeperOnly.includes(n as never),
    );
    const graphs: Array<[string, string, string[]]> = [
      ['Alarm handler', SERVICE_NAMES.remediationAlarm, outcomes],
      ['Verification handler', SERVICE_NAMES.remediationVerify, outcomes],
      ['Sweeper', SERVICE_NAMES.remediationSweeper, [...outcomes, ...sweeperOnly]],
    ];
    for (const [title, service, names] of graphs) {
      expect(graphedMetrics(graphTitled(overview(), title))).toEqual(
        names.map((metricName) => ({
          namespace: 'SelfHeal/Remediation',
          metricName,
          dimensions: { service },
          stat: 'Sum',
          period: 300,
          visible: true,
          label: metricName,
        })),
      );
    }
  });

  it("graphs the remediation alarms' metrics under the identities the alarms read", () => {
    const engine = stack.remediation;
    if (engine === undefined) throw new Error('the example config has remediation rules');
    const resources = template.toJSON().Resources;
    const all = dashboardsOf(template).flatMap((d) => [...graphsOf(d).values()].flatMap(graphedMetrics));
    for (const alarm of Object.values(engine.metricAlarms)) {
      const p = resources[stack.getLogicalId(alarm.node.defaultChild as never)].Properties;
      expect(all).toContainEqual(
        expect.objectContaining({
          namespace: p.Namespace,
          metricName: p.MetricName,
          dimensions: Object.fromEntries(
            p.Dimensions.map((d: { Name: string; Value: string }) => [d.Name, d.Value]),
          ),
          stat: p.Statistic,
          period: p.Period,
        }),
      );
    }
  });

  it('graphs TimeToRecover percentiles of every handler that resolves remediations', () => {
    const lines = graphedMetrics(graphTitled(overview(), REMEDIATION_METRICS.timeToRecover));
    // The alarm handler resolves a start whose automation had already succeeded (settleIfEnded).
    const resolving = [
      SERVICE_NAMES.remediationVerify,
      SERVICE_NAMES.remediationAlarm,
      SERVICE_NAMES.remediationSweeper,
    ];
    expect(lines.map((m) => [m.metricName, m.dimensions?.service, m.stat, m.period])).toEqual(
      resolving.flatMap((service) =>
        ['p50', 'p90', 'Maximum'].map((stat) => [REMEDIATION_METRICS.timeToRecover, service, stat, 3600]),
      ),
    );
  });

  it("shows the state of the partial-failure alarms, and of every function's errors and dead letters", () => {
    const engine = stack.remediation;
    if (engine === undefined) throw new Error('the example config has remediation rules');
    const arn = (alarm: { node: { defaultChild?: unknown } }) =>
      `arn:${stack.getLogicalId(alarm.node.defaultChild as never)}`;
    const widgets = overview().body.widgets.filter((w) => w.type === 'alarm');
    expect(widgets.map((w) => w.properties.title)).toEqual([
      'Partial failures (README: Alarms)',
      'Functions: errors and dead letters',
    ]);
    expect(widgets[0]?.properties.alarms).toEqual(
      [stack.predictiveScaler.targetsFailedAlarm, ...Object.values(engine.metricAlarms)].map(arn),
    );
    const functions = [
      stack.predictiveScaler.forecaster,
      engine.alarmHandler,
      engine.verifyHandler,
      engine.sweeper,
    ];
    expect(widgets[1]?.properties.alarms).toEqual(
      functions.flatMap((f) => [arn(f.errorsAlarm), arn(f.deadLetterAlarm)]),
    );
  });
});

describe('SelfHealDashboard', () => {
  it('graphs a custom load with its metric math, its inputs hidden, at the target period', () => {
    const { template } = scalerDashboards([
      target('api', {
        periodSec: 60,
        loadMetric: {
          type: 'custom',
          metricDataQueries: [
            {
              Id: 'req',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/ApplicationELB',
                  MetricName: 'RequestCount',
                  Dimensions: [{ Name: 'LoadBalancer', Value: 'app/api/1' }],
                },
                Stat: 'Sum',
              },
              ReturnData: false,
            },
            {
              Id: 'hosts',
              MetricStat: {
                Metric: { Namespace: 'Team/App', MetricName: 'Hosts', Dimensions: [] },
                Stat: 'Maximum',
                Unit: 'Count',
              },
              Label: 'hosts up',
              ReturnData: false,
            },
            { Id: 'unused', Expression: 'req * 2', ReturnData: false },
            { Id: 'per_host', Expression: 'req / FILL(hosts, 1)', Label: 'req per host' },
          ],
        },
      }),
    ]);
    const lines = graphedMetrics(graphTitled(dashboardNamed(template, 'DashboardTargets1'), 'api: load'));
    expect(lines).toEqual([
      {
        expression: 'req / FILL(hosts, 1)',
        period: 60,
        visible: true,
        label: 'load (as the forecaster reads it)',
      },
      // The inputs the expression uses, hidden; a query nothing uses does not change the load.
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'RequestCount',
        dimensions: { LoadBalancer: 'app/api/1' },
        stat: 'Sum',
        period: 60,
        id: 'req',
        visible: false,
      },
      {
        namespace: 'Team/App',
        metricName: 'Hosts',
        dimensions: {},
        stat: 'Maximum',
        period: 60,
        id: 'hosts',
        label: 'hosts up',
        visible: false,
      },
      { ...forecastLine('Team/Forecasts', FORECAST_METRICS.load, 'api', 60), label: 'LoadForecast' },
      {
        ...forecastLine('Team/Forecasts', FORECAST_METRICS.loadUpper, 'api', 60),
        label: 'LoadForecastUpper (p90)',
      },
    ]);
  });

  it.each([
    ['basic', 3600],
    ['detailed', 300],
    ['detailed', 60],
    ['basic', 300],
  ] as const)(
    'scales ASGTotalCPUUtilization with %s monitoring at %i s as the forecaster does',
    (monitoring, periodSec) => {
      const loadMetric = {
        type: 'predefined',
        metric: 'ASGTotalCPUUtilization',
        instanceMonitoring: monitoring,
      } as const;
      const { template } = scalerDashboards([target('cpu', { loadMetric, periodSec })]);
      const lines = graphedMetrics(graphTitled(dashboardNamed(template, 'DashboardTargets1'), 'cpu: load'));
      const sum = lines.find((m) => m.metricName === 'CPUUtilization');
      expect(sum).toMatchObject({
        namespace: 'AWS/EC2',
        dimensions: { AutoScalingGroupName: 'cpu-asg' },
        stat: 'Sum',
        period: periodSec,
      });
      const scale = loadScale({
        targetId: 'cpu',
        loadMetric,
        autoScalingGroupName: 'cpu-asg',
        periodSec,
        startSec: 0,
        endSec: 0,
      });
      const visible = lines.find((m) => m.visible && m.label === 'load (as the forecaster reads it)');
      if (scale === 1) {
        expect(visible).toBe(sum);
      } else {
        const [, id, a, b] = /^(\w+) \* (\d+) \/ (\d+)$/.exec(visible?.expression ?? '') ?? [];
        expect(id).toBe(sum?.id);
        expect(Number(a) / Number(b)).toBeCloseTo(scale, 12);
        expect(visible?.period).toBe(periodSec);
      }
    },
  );

  it('splits the targets over dashboards of targetsPerDashboard, keeping the config order', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const { template, dashboard } = scalerDashboards(
      ids.map((id) => target(id)),
      { targetsPerDashboard: 2 },
    );
    expect(dashboard.targetDashboards.map((d) => d.node.id)).toEqual(['Targets1', 'Targets2', 'Targets3']);
    const pages = [1, 2, 3].map((n) => dashboardNamed(template, `DashboardTargets${n}`));
    expect(pages.map((p) => p.name)).toEqual([1, 2, 3].map((n) => `TestStack-${REGION}-targets-${n}`));
    expect(pages.map(targetIdsOn)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    // Each page: its header, then a row of two graphs per target.
    expect(pages.map((p) => p.body.widgets.length)).toEqual([5, 5, 3]);
    const overview = dashboardNamed(template, 'DashboardOverview').body.widgets[0]?.properties.markdown;
    expect(overview).toContain(
      `for 5 target(s): dashboards TestStack-${REGION}-targets-1 to TestStack-${REGION}-targets-3`,
    );
  });

  it('graphs only the targets listed in targetIds, in that order', () => {
    const { template } = scalerDashboards(
      ['a', 'b', 'c'].map((id) => target(id)),
      { targetIds: ['c', 'a'] },
    );
    expect(targetIdsOn(dashboardNamed(template, 'DashboardTargets1'))).toEqual(['c', 'a']);
  });

  it('deploys only the overview, without a remediation section, for a scaler without targets or engine', () => {
    const { template } = scalerDashboards([]);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const overview = dashboardNamed(template, 'DashboardOverview');
    expect([...graphsOf(overview).keys()]).toEqual(['Forecaster: targets per hourly run']);
    expect(overview.body.widgets[0]?.properties.markdown).toContain('no rules are configured');
  });

  it('keeps a full page of 100 targets with 10-query metric math within CloudWatch limits', () => {
    const queries = Array.from({ length: 9 }, (_, i) => ({
      Id: `m${i}`,
      MetricStat: { Metric: { Namespace: 'Team/App', MetricName: `M${i}`, Dimensions: [] }, Stat: 'Sum' },
      ReturnData: false,
    }));
    const expression = queries.map((q) => q.Id).join(' + ');
    const loadMetric = {
      type: 'custom' as const,
      metricDataQueries: [...queries, { Id: 'total', Expression: expression }],
    };
    const ids = Array.from({ length: 100 }, (_, i) => `t${i}`);
    const { template } = scalerDashboards(
      ids.map((id) => target(id, { loadMetric })),
      { targetsPerDashboard: 100 },
    );
    const page = dashboardNamed(template, 'DashboardTargets1');
    expect(page.body.widgets).toHaveLength(201);
    expect(Math.max(...[...graphsOf(page).values()].map((g) => g.properties.metrics?.length ?? 0))).toBe(12);
  });

  it('fails when targetIds names a target that is not configured', () => {
    expect(() => scalerDashboards([target('a')], { targetIds: ['a', 'b'] })).toThrow(ConfigError);
    expect(() => scalerDashboards([target('a')], { targetIds: ['a', 'b'] })).toThrow(
      'the props of TestStack/Dashboard:\n  - dashboard.targetIds[1]: received "b"; no predictiveScaling.targets entry has this id',
    );
  });

  it('fails when targetsPerDashboard is more than 100', () => {
    expect(() => scalerDashboards([target('a')], { targetsPerDashboard: 101 })).toThrow(
      /dashboard\.targetsPerDashboard: received 101; /,
    );
  });

  it('fails when the targets would need more than 100 target dashboards', () => {
    const ids = Array.from({ length: 101 }, (_, i) => `t${i}`);
    expect(() =>
      scalerDashboards(
        ids.map((id) => target(id)),
        { targetsPerDashboard: 1 },
      ),
    ).toThrow(
      'TestStack/Dashboard: 101 targets at 1 per dashboard need 101 target dashboards; one stack holds at most 100: raise dashboard.targetsPerDashboard (up to 100) or graph fewer targets with dashboard.targetIds',
    );
  });

  it('fails when the dashboards would take more of the template than CloudFormation leaves them', () => {
    // 40 targets whose load sums 9 SEARCH queries of 2,000 characters: about 750 KB of dashboards.
    const search = `SEARCH('{Team/App,Host} ${'x'.repeat(1960)}', 'Sum')`;
    const inputs = Array.from({ length: 9 }, (_, i) => ({
      Id: `s${i}`,
      Expression: search,
      ReturnData: false,
    }));
    const total = { Id: 'total', Expression: inputs.map((q) => q.Id).join(' + ') };
    const loadMetric = { type: 'custom' as const, metricDataQueries: [...inputs, total] };
    const ids = Array.from({ length: 40 }, (_, i) => `t${i}`);
    expect(() => scalerDashboards(ids.map((id) => target(id, { loadMetric })))).toThrow(
      /^TestStack\/Dashboard: the dashboards for 40 targets take \d+ KB of the CloudFormation template, more than the 600 KB they may use under its 1 MB limit: graph fewer targets with dashboard\.targetIds/,
    );
  });

  it('fails when a custom query names a dimension twice', () => {
    const loadMetric = {
      type: 'custom' as const,
      metricDataQueries: [
        {
          Id: 'm1',
          MetricStat: {
            Metric: {
              Namespace: 'Team/App',
              MetricName: 'Load',
              Dimensions: [
                { Name: 'Service', Value: 'api' },
                { Name: 'Service', Value: 'web' },
              ],
            },
            Stat: 'Sum',
          },
        },
      ],
    };
    expect(() => scalerDashboards([target('dup', { loadMetric })])).toThrow(
      'predictiveScaling.targets "dup" loadMetric.metricDataQueries: query m1 names the dimension Service twice (values "api" and "web"); a CloudWatch metric has each dimension once, so give Service one value',
    );
  });

  it('fails when metric math expressions refer to each other in a cycle', () => {
    const loadMetric = {
      type: 'custom' as const,
      metricDataQueries: [
        { Id: 'a', Expression: 'b + 1' },
        { Id: 'b', Expression: 'c * 2', ReturnData: false },
        { Id: 'c', Expression: 'a - 1', ReturnData: false },
      ],
    };
    expect(() => scalerDashboards([target('loop', { loadMetric })])).toThrow(
      'predictiveScaling.targets "loop" loadMetric.metricDataQueries: the expressions refer to each other in a cycle (a -> b -> c -> a)',
    );
  });
});

describe('the stack', () => {
  it('deploys no dashboard when dashboard.enabled is false', () => {
    const config = parseAppConfig({ ...exampleConfig(), dashboard: { enabled: false } });
    const { stack } = buildApp(appWithoutBundling(), config);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(stack.dashboard).toBeUndefined();
  });

  it('passes cdk-nag with paged target dashboards and every finding fixed or acknowledged', () => {
    const raw = exampleConfig();
    const base = raw.predictiveScaling.targets;
    const targets = Array.from({ length: 7 }, (_, i) => ({ ...(base[i % 2] as TargetInput), id: `t${i}` }));
    const app = appWithoutBundling();
    const config = parseAppConfig({
      ...raw,
      predictiveScaling: {
        ...raw.predictiveScaling,
        targets: targets.map((t) => ({ ...t, mode: 'forecastOnly' })),
      },
      dashboard: { targetsPerDashboard: 3 },
    });
    const { stack, nag } = buildApp(app, config);
    app.synth();
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 4);
    const report = nag.validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    expect(report.success).toBe(true);
  });
});
