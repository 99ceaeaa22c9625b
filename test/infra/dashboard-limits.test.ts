import { aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { queryIdsUsed } from '../../lib/config/query-ids';
import {
  assertWithinDashboardLimits,
  CLOUDWATCH_DASHBOARD_LIMITS,
  renderWidgets,
} from '../../lib/constructs/dashboard-limits';
import { newStack } from './helpers';

const metric = (i: number) => new cloudwatch.Metric({ namespace: 'Team/App', metricName: `M${i}` });
const text = () => new cloudwatch.TextWidget({ markdown: 'x' });

describe('assertWithinDashboardLimits', () => {
  it('accepts a dashboard at every limit', () => {
    const stack = newStack();
    const alarms = Array.from({ length: 100 }, (_, i) =>
      metric(i).createAlarm(stack, `A${i}`, { threshold: 1, evaluationPeriods: 1 }),
    );
    const widgets = [
      new cloudwatch.GraphWidget({ title: 'full', left: Array.from({ length: 500 }, (_, i) => metric(i)) }),
      new cloudwatch.AlarmStatusWidget({ title: 'alarms', alarms }),
      ...Array.from({ length: 498 }, text),
    ];
    expect(() => assertWithinDashboardLimits('D', renderWidgets(stack, widgets))).not.toThrow();
  });

  it('fails when a dashboard has more than 500 widgets', () => {
    const rendered = renderWidgets(newStack(), Array.from({ length: 501 }, text));
    expect(() => assertWithinDashboardLimits('Stack/D', rendered)).toThrow(
      'Stack/D: 501 widgets; a CloudWatch dashboard takes at most 500: graph fewer targets per dashboard (dashboard.targetsPerDashboard)',
    );
  });

  it('fails when a graph has more than 500 metrics and expressions', () => {
    const graph = new cloudwatch.GraphWidget({
      title: 'crowded',
      left: Array.from({ length: CLOUDWATCH_DASHBOARD_LIMITS.metricsPerGraph + 1 }, (_, i) => metric(i)),
    });
    expect(() => assertWithinDashboardLimits('Stack/D', renderWidgets(newStack(), [graph]))).toThrow(
      'Stack/D: graph "crowded" has 501 metrics and expressions; CloudWatch takes at most 500 in one graph',
    );
  });

  it('fails when an alarm status widget lists more than 100 alarms', () => {
    const stack = newStack();
    const alarms = Array.from({ length: 101 }, (_, i) =>
      metric(i).createAlarm(stack, `A${i}`, { threshold: 1, evaluationPeriods: 1 }),
    );
    const widget = new cloudwatch.AlarmStatusWidget({ title: 'many', alarms });
    expect(() => assertWithinDashboardLimits('Stack/D', renderWidgets(stack, [widget]))).toThrow(
      'Stack/D: alarm status widget "many" lists 101 alarms; CloudWatch takes 1 to 100',
    );
  });
});

describe('queryIdsUsed', () => {
  const ids = ['m1', 'm2', 'hosts', 'ratio', 'other', 'e3'];
  it.each([
    ['m1 + m2 * 2', ['m1', 'm2']],
    ['SUM([m1, m1]) / FILL(hosts, 0)', ['m1', 'hosts']],
    // Quoted text names metrics and dimension values, never queries; 1e3 is a number, not e3.
    [`SEARCH('{AWS/EC2,InstanceId} m1', 'Sum', 300) + m2 * 1e3`, ['m2']],
    ['IF(ratio > 0.5, "x y", other)', ['ratio', 'other']],
    // A longer id that starts with a known one is not that one.
    ['m10 + hosts_2', []],
  ])('reads %s as using %j', (expression, used) => {
    expect(queryIdsUsed(expression, ids)).toEqual(used);
  });
});
