/**
 * The dashboard's refusals at synth time: unknown target ids, too many targets or pages, a template
 * too large for CloudFormation, and custom load queries CloudWatch could not graph.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseAppConfig } from '../../lib/config/parse';
import { dashboardNamed, graphsOf } from './dashboard-body';
import { scalerDashboards, target } from './dashboard-stacks';

describe('SelfHealDashboard', () => {
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

  describe('with a custom load whose dimension value is 256 to 1,024 characters', () => {
    // CloudWatch takes dimension values of 1 to 1,024 characters
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html), so the
    // forecaster reads this load; aws-cdk-lib's Metric, which builds the graphs, takes 255.
    const value = `tenant/${'a'.repeat(293)}`;
    const loadMetric = {
      type: 'custom' as const,
      metricDataQueries: [
        {
          Id: 'requests',
          MetricStat: {
            Metric: {
              Namespace: 'Team/App',
              MetricName: 'Requests',
              Dimensions: [{ Name: 'Path', Value: value }],
            },
            Stat: 'Sum',
          },
        },
      ],
    };

    it('is a valid config: the forecaster reads the metric as CloudWatch holds it', () => {
      expect(() =>
        parseAppConfig({ predictiveScaling: { targets: [target('tenant', { loadMetric })] } }),
      ).not.toThrow();
    });

    it('fails naming the target, the query, the dimension and how to leave the target out', () => {
      expect(() => scalerDashboards([target('web'), target('tenant', { loadMetric })])).toThrow(
        `predictiveScaling.targets "tenant" loadMetric.metricDataQueries: query requests's dimension Path has a value of 300 characters ("${value.slice(0, 40)}…"); CloudWatch takes up to 1,024, but a dashboard graph is built with at most 255, so this load cannot be graphed: list the targets to graph in dashboard.targetIds without "tenant" (the forecaster still reads and forecasts it)`,
      );
    });

    it('graphs the other targets once it is left out with dashboard.targetIds', () => {
      const { template } = scalerDashboards([target('web'), target('tenant', { loadMetric })], {
        targetIds: ['web'],
      });
      expect(
        [...graphsOf(dashboardNamed(template, 'DashboardTargets1')).keys()].map((t) => t.split(':')[0]),
      ).toEqual(['web', 'web']);
    });
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
