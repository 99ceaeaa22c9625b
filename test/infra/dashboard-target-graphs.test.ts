/**
 * The graphs of a target dashboard: each target's load as the forecaster reads it (predefined,
 * scaled or custom metric math), its group's capacity, and their forecasts.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScale } from '../../lib/config/load-metric';
import { FORECAST_DIMENSIONS, FORECAST_METRICS } from '../../lib/config/metric-names';
import { TRUSTED_LABEL } from '../../lib/constructs/dashboard-target-widgets';
import { requestsPerHost } from '../fixtures/scaler/load-metrics';
import { dashboardNamed, graphedMetrics, graphTitled } from './dashboard-body';
import { exampleApp, scalerDashboards, target } from './dashboard-stacks';

/** Where each stack's forecaster publishes: the example app (`SelfHeal`) and `scalerDashboards`' stack. */
const EXAMPLE = { namespace: 'SelfHeal/PredictiveScaling', stackName: 'SelfHeal' };
const SCALER = { namespace: 'Team/Forecasts', stackName: 'TestStack' };

const forecastLine = (
  source: { namespace: string; stackName: string },
  metricName: string,
  targetId: string,
  periodSec: number,
) => ({
  namespace: source.namespace,
  metricName,
  // The stack's name keeps its forecasts apart from another stack's in the account and Region; the
  // period keeps them apart from the target's forecasts at a periodSec it had before.
  dimensions: {
    [FORECAST_DIMENSIONS.targetId]: targetId,
    [FORECAST_DIMENSIONS.stackName]: source.stackName,
    [FORECAST_DIMENSIONS.periodSec]: String(periodSec),
  },
  stat: 'Average',
  period: periodSec,
  visible: true,
});

describe('SelfHealDashboard in the app (config/example.json)', () => {
  let template: Template;
  beforeAll(() => {
    template = exampleApp().template;
  }, 60_000);

  const targets = () => dashboardNamed(template, 'DashboardTargets1');

  it("graphs each target's configured load metric with the forecasts in the forecaster's namespace", () => {
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
      { ...forecastLine(EXAMPLE, FORECAST_METRICS.load, 'web-frontend', 300), label: 'LoadForecast' },
      {
        ...forecastLine(EXAMPLE, FORECAST_METRICS.loadUpper, 'web-frontend', 300),
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

  it("graphs each group's capacity against the capacity forecasts and their trust, with MinSize for forecastAndScale", () => {
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
      { ...forecastLine(EXAMPLE, FORECAST_METRICS.capacity, 'web-frontend', 300), label: 'CapacityForecast' },
      {
        ...forecastLine(EXAMPLE, FORECAST_METRICS.capacityUpper, 'web-frontend', 300),
        label: 'CapacityForecastUpper (p90)',
      },
      // On the right axis, 0 to 1: 0 where any forecast stored at the step was untrusted.
      {
        ...forecastLine(EXAMPLE, FORECAST_METRICS.trusted, 'web-frontend', 300),
        stat: 'Minimum',
        label: TRUSTED_LABEL,
      },
    ]);
    expect(web.properties.metrics?.at(-1)?.at(-1)).toMatchObject({ yAxis: 'right' });
    expect(web.properties).toMatchObject({ yAxis: { right: { min: 0, max: 1 } } });
    expect(web.properties.annotations?.horizontal?.map((a) => a.value)).toEqual([2, 20]);
    expect(
      graphedMetrics(graphTitled(targets(), 'batch-workers: capacity')).map((m) => m.metricName),
    ).toEqual([
      'GroupDesiredCapacity',
      'GroupInServiceInstances',
      'GroupMinSize',
      'CapacityForecast',
      'CapacityForecastUpper',
      'ForecastTrusted',
    ]);
  });

  it('says on each target dashboard that the group lines need group metrics collection', () => {
    const text = targets().body.widgets.find((w) => w.type === 'text')?.properties.markdown ?? '';
    expect(text).toContain('EnableMetricsCollection with granularity 1Minute');
    expect(text).toContain('without it they stay empty');
  });

  it('says a capacity line below an untrusted forecast is the trust gate holding back, not a shortfall', () => {
    const text = targets().body.widgets.find((w) => w.type === 'text')?.properties.markdown ?? '';
    expect(text).toContain(
      'Where ForecastTrusted is 1, a capacity line below the forecast means the group was short',
    );
    expect(text).toContain('where it is 0, the forecaster held back on purpose');
    expect(text).not.toContain('a capacity line below the forecast means the group was short.');
  });
});

describe('SelfHealDashboard', () => {
  it('graphs a custom load with its metric math, its inputs hidden, at the target period', () => {
    // `req` and `hosts` feed `per_host` (see requestsPerHost); `unused` feeds nothing.
    const { metricDataQueries } = requestsPerHost();
    const unused = { Id: 'unused', Expression: 'req * 2', ReturnData: false };
    const { template } = scalerDashboards([
      target('api', {
        periodSec: 60,
        loadMetric: { type: 'custom', metricDataQueries: [...metricDataQueries, unused] },
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
      { ...forecastLine(SCALER, FORECAST_METRICS.load, 'api', 60), label: 'LoadForecast' },
      {
        ...forecastLine(SCALER, FORECAST_METRICS.loadUpper, 'api', 60),
        label: 'LoadForecastUpper (p90)',
      },
    ]);
  });

  describe('with METRICS in the metric math', () => {
    // METRICS returns every metric of the graph, and the load graph also holds the two forecast
    // lines: the graph names the MetricStat queries METRICS selects, all of them hidden inputs.
    const hidden = (Id: string, MetricName: string) => ({
      Id,
      MetricStat: { Metric: { Namespace: 'Team/App', MetricName }, Stat: 'Sum' },
      ReturnData: false,
    });
    const input = (id: string, metricName: string) => ({
      namespace: 'Team/App',
      metricName,
      dimensions: {},
      stat: 'Sum',
      period: 300,
      id,
      visible: false,
    });
    const loadLines = (Expression: string) => {
      const metricDataQueries = [
        hidden('errors4xx', 'Http4xx'),
        hidden('errors5xx', 'Http5xx'),
        hidden('requests', 'Requests'),
        { Id: 'load', Expression },
      ];
      const { template } = scalerDashboards([
        target('api', { loadMetric: { type: 'custom', metricDataQueries } }),
      ]);
      return graphedMetrics(graphTitled(dashboardNamed(template, 'DashboardTargets1'), 'api: load'));
    };
    const forecasts = [
      { ...forecastLine(SCALER, FORECAST_METRICS.load, 'api', 300), label: 'LoadForecast' },
      {
        ...forecastLine(SCALER, FORECAST_METRICS.loadUpper, 'api', 300),
        label: 'LoadForecastUpper (p90)',
      },
    ];

    it('graphs SUM(METRICS()) as the sum of every MetricStat query of the load, not of the forecasts', () => {
      expect(loadLines('SUM(METRICS())')).toEqual([
        {
          expression: 'SUM([errors4xx, errors5xx, requests])',
          period: 300,
          visible: true,
          label: 'load (as the forecaster reads it)',
        },
        input('errors4xx', 'Http4xx'),
        input('errors5xx', 'Http5xx'),
        input('requests', 'Requests'),
        ...forecasts,
      ]);
    });

    it('graphs METRICS("x") as the MetricStat queries whose Id contains x, and only those', () => {
      expect(loadLines('SUM(METRICS("errors")) / SUM(METRICS("req"))')).toEqual([
        {
          expression: 'SUM([errors4xx, errors5xx]) / SUM([requests])',
          period: 300,
          visible: true,
          label: 'load (as the forecaster reads it)',
        },
        input('errors4xx', 'Http4xx'),
        input('errors5xx', 'Http5xx'),
        input('requests', 'Requests'),
        ...forecasts,
      ]);
      expect(loadLines('SUM([METRICS("5xx"), METRICS("4xx")])')).toEqual([
        {
          expression: 'SUM([errors5xx, errors4xx])',
          period: 300,
          visible: true,
          label: 'load (as the forecaster reads it)',
        },
        input('errors4xx', 'Http4xx'),
        input('errors5xx', 'Http5xx'),
        ...forecasts,
      ]);
    });
  });

  it('graphs a query that two expressions use once', () => {
    const metricDataQueries = [
      {
        Id: 'req',
        MetricStat: { Metric: { Namespace: 'Team/App', MetricName: 'Requests' }, Stat: 'Sum' },
        ReturnData: false,
      },
      { Id: 'retries', Expression: 'req * 0.1', ReturnData: false },
      { Id: 'total', Expression: 'req + retries' },
    ];
    const { template } = scalerDashboards([
      target('api', { loadMetric: { type: 'custom', metricDataQueries } }),
    ]);
    const lines = graphedMetrics(graphTitled(dashboardNamed(template, 'DashboardTargets1'), 'api: load'));
    expect(lines.map((m) => m.id ?? m.expression ?? m.metricName)).toEqual([
      'req + retries',
      'req',
      'retries',
      FORECAST_METRICS.load,
      FORECAST_METRICS.loadUpper,
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
      const scale = loadScale(loadMetric, periodSec);
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
});
