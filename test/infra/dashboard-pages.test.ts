/** Which dashboards are deployed, and how the targets are paged over target dashboards. */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app/build-app';
import { parseAppConfig } from '../../lib/config/parse';
import { dashboardNamed, graphsOf, REGION, type SynthesizedDashboard } from './dashboard-body';
import { scalerDashboards, type TargetInput, target } from './dashboard-stacks';
import { appWithoutBundling, exampleConfig } from './helpers';

/** The ids of the targets a target dashboard graphs, in order (from its load graphs' titles). */
function targetIdsOn(dashboard: SynthesizedDashboard): string[] {
  return [...graphsOf(dashboard).keys()]
    .filter((t) => t.includes(': load'))
    .map((t) => t.split(':')[0] ?? '');
}

describe('SelfHealDashboard', () => {
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
    expect([...graphsOf(overview).keys()]).toEqual([
      'Forecaster: targets per hourly run (most in one invocation)',
    ]);
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
