/**
 * Review: a custom load metric whose dimension value is longer than 255 characters. CloudWatch
 * takes dimension values of 1 to 1,024 characters
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html), the
 * config schema accepts the value, and the forecaster sends it to GetMetricData as written; but
 * the dashboard builds the load graph with aws-cdk-lib's `Metric`, which refuses a dimension value
 * of more than 255 characters, so `cdk synth` fails (with aws-cdk-lib's message, which names
 * neither the target nor the field) for a config the forecaster can serve.
 */
import { describe, expect, it } from 'vitest';
import { FORECAST_METRICS } from '../../lib/config/metric-names';
import { parseAppConfig } from '../../lib/config/parse';
import { dashboardNamed, graphedMetrics, graphTitled } from '../infra/dashboard-body';
import { scalerDashboards, target } from '../infra/dashboard-stacks';

/** A dimension value CloudWatch takes: 300 characters, within its 1,024. */
const LONG_VALUE = `tenant/${'a'.repeat(293)}`;

const loadMetric = {
  type: 'custom' as const,
  metricDataQueries: [
    {
      Id: 'requests',
      MetricStat: {
        Metric: {
          Namespace: 'Team/App',
          MetricName: 'Requests',
          Dimensions: [{ Name: 'Path', Value: LONG_VALUE }],
        },
        Stat: 'Sum',
      },
    },
  ],
};

describe('SelfHealDashboard with a custom load whose dimension value is 256 to 1,024 characters', () => {
  it('is a valid config: the schema accepts the value CloudWatch takes', () => {
    expect(() =>
      parseAppConfig({ predictiveScaling: { targets: [target('tenant', { loadMetric })] } }),
    ).not.toThrow();
  });

  it('graphs the load with its dimension as the forecaster reads it, next to the forecast', () => {
    const { template } = scalerDashboards([target('tenant', { loadMetric })]);

    const lines = graphedMetrics(graphTitled(dashboardNamed(template, 'DashboardTargets1'), 'tenant: load'));
    expect(lines[0]).toMatchObject({
      namespace: 'Team/App',
      metricName: 'Requests',
      dimensions: { Path: LONG_VALUE },
      stat: 'Sum',
    });
    expect(lines.map((l) => l.metricName)).toContain(FORECAST_METRICS.load);
  });
});
