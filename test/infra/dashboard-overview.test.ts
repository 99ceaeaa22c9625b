/**
 * The example app's dashboards as deployed (names, time range), and its overview: the forecaster's
 * and the remediation handlers' graphs and the alarm-state widgets.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FORECASTER_METRICS, REMEDIATION_METRICS } from '../../lib/config/metric-names';
import type { SelfhealStack } from '../../lib/stacks/selfheal-stack';
import {
  dashboardNamed,
  dashboardsOf,
  graphedMetrics,
  graphsOf,
  graphTitled,
  REGION,
} from './dashboard-body';
import { exampleApp } from './dashboard-stacks';

/** The functions' Powertools service names in the example stack (`SelfHeal`): `<stackName>-…`. */
const SERVICE_NAMES = {
  forecaster: 'SelfHeal-forecaster',
  remediationAlarm: 'SelfHeal-remediation-alarm',
  remediationVerify: 'SelfHeal-remediation-verify',
  remediationSweeper: 'SelfHeal-remediation-sweeper',
} as const;

describe('SelfHealDashboard in the app (config/example.json)', () => {
  let stack: SelfhealStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = exampleApp());
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

  it("graphs the forecaster's run counts, most per invocation in the hour, under the identity its TargetsFailed alarm reads", () => {
    const alarm =
      template.toJSON().Resources[
        stack.getLogicalId(stack.predictiveScaler.targetsFailedAlarm.node.defaultChild as never)
      ].Properties;
    const runs = graphedMetrics(graphTitled(overview(), 'Forecaster: targets per hourly run'));
    // Maximum: a run Lambda retried emits its counts once per invocation, all in the hour
    // (test/handlers/dashboard-metrics.test.ts runs it).
    const identity = {
      namespace: 'SelfHeal/PredictiveScaling',
      dimensions: { service: SERVICE_NAMES.forecaster },
      stat: 'Maximum',
      period: 3600,
      visible: true,
    };
    expect(runs).toEqual(
      Object.values(FORECASTER_METRICS).map((metricName) => ({ ...identity, metricName, label: metricName })),
    );
    // The alarm sums the hour: Sum >= 1 holds exactly when Maximum >= 1, as counts are never negative.
    expect(alarm.Statistic).toBe('Sum');
    expect(runs).toContainEqual(
      expect.objectContaining({
        namespace: alarm.Namespace,
        metricName: alarm.MetricName,
        dimensions: Object.fromEntries(
          alarm.Dimensions.map((d: { Name: string; Value: string }) => [d.Name, d.Value]),
        ),
        period: alarm.Period,
      }),
    );
  });

  it('graphs every outcome count each remediation handler emits, per handler service', () => {
    const sweeperOnly = [REMEDIATION_METRICS.slotsReclaimed, REMEDIATION_METRICS.escalationsResent];
    const notOutcomes = [REMEDIATION_METRICS.timeToRecover, REMEDIATION_METRICS.unreadableLedgerItems];
    const outcomes = Object.values(REMEDIATION_METRICS).filter(
      (n) => !notOutcomes.includes(n as never) && !sweeperOnly.includes(n as never),
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

  it('graphs UnreadableLedgerItems of every remediation function, beside TimeToRecover', () => {
    const unreadable = graphTitled(overview(), REMEDIATION_METRICS.unreadableLedgerItems);
    const recovery = graphTitled(overview(), REMEDIATION_METRICS.timeToRecover);

    expect(graphedMetrics(unreadable)).toEqual(
      [
        [SERVICE_NAMES.remediationAlarm, 'alarm handler'],
        [SERVICE_NAMES.remediationVerify, 'verification handler'],
        [SERVICE_NAMES.remediationSweeper, 'sweeper'],
      ].map(([service, label]) => ({
        namespace: 'SelfHeal/Remediation',
        metricName: REMEDIATION_METRICS.unreadableLedgerItems,
        dimensions: { service },
        stat: 'Sum',
        period: 300,
        visible: true,
        label,
      })),
    );
    expect(unreadable).toMatchObject({ y: recovery.y, x: recovery.x + recovery.width, width: 12 });
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
