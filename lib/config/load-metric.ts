/**
 * What a target's `loadMetric` names in CloudWatch, read the same way by the forecaster's queries
 * (lambdas/adapters/metric-queries.ts) and by the dashboard's load graph
 * (lib/constructs/dashboard-load-metric.ts), so the two cannot drift. Pure: no SDK, no CDK.
 */
import {
  ec2MonitoringIntervalSec,
  type LoadMetric,
  type MetricDataQueryConfig,
  returnsData,
} from './load-metric-schema';

/** A CloudWatch metric's identity, in the GetMetricData shape. */
export interface MetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
}

/** Predefined load metrics: the `PredefinedLoadMetricType`s of AWS predictive scaling. */
export type PredefinedLoadMetric = Extract<LoadMetric, { type: 'predefined' }>;

/** Custom load metrics: GetMetricData queries, exactly one of which returns data. */
export type CustomLoadMetric = Extract<LoadMetric, { type: 'custom' }>;

/**
 * The query whose data is a custom metric's load: the one that returns data (see returnsData),
 * which the config schema requires of every custom metric. Throws for a metric built without the
 * schema in which no query does.
 */
export function resultQuery(m: CustomLoadMetric): MetricDataQueryConfig {
  const result = m.metricDataQueries.find(returnsData);
  if (result === undefined) {
    const ids = m.metricDataQueries.map((q) => q.Id).join(', ');
    throw new Error(
      `no query of the custom load metric (${ids}) returns data; leave ReturnData unset on the one whose data is the load`,
    );
  }
  return result;
}

const EC2_METRIC = {
  ASGTotalCPUUtilization: 'CPUUtilization',
  ASGTotalNetworkIn: 'NetworkIn',
  ASGTotalNetworkOut: 'NetworkOut',
} as const;

/**
 * The metric a predefined load metric reads with `Sum`, as AWS predictive scaling defines them:
 * ASG totals are the EC2 metric summed over the group's `AutoScalingGroupName` dimension; the ALB
 * request count is `AWS/ApplicationELB RequestCount` for the target group and load balancer named
 * by the resource label `app/<lb>/<id>/targetgroup/<tg>/<id>` (the schema requires it).
 */
export function predefinedLoadMetric(m: PredefinedLoadMetric, autoScalingGroupName: string): MetricIdentity {
  if (m.metric === 'ALBTargetGroupRequestCount') {
    const label = m.resourceLabel ?? '';
    const split = label.indexOf('/targetgroup/');
    return {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      dimensions: [
        { Name: 'TargetGroup', Value: label.slice(split + 1) },
        { Name: 'LoadBalancer', Value: label.slice(0, split) },
      ],
    };
  }
  return {
    namespace: 'AWS/EC2',
    metricName: EC2_METRIC[m.metric],
    dimensions: [{ Name: 'AutoScalingGroupName', Value: autoScalingGroupName }],
  };
}

/**
 * Factor from the `Sum` of the query to the target's load. EC2's NetworkIn/NetworkOut are bytes
 * moved during each datapoint's own interval, so their `Sum` over a period is already the group's
 * bytes in that period, whatever the monitoring; RequestCount likewise. CPUUtilization is a
 * percentage per datapoint: over a period each instance contributes `periodSec / interval`
 * datapoints (1 with basic monitoring at 300 s, 5 with detailed, 12 with basic at 3600 s), so the
 * `Sum` is multiplied by `interval / periodSec` to give Σ over instances of their mean CPU in the
 * period — the group's total CPU as predictive scaling's ASGTotalCPUUtilization means it, with an
 * instance present for part of the period counted for that part. This is the same value as
 * `Average × SampleCount ÷ datapoints-per-instance` but needs one query, not two, and no metric
 * math (which the emulator does not evaluate). The interval cannot be read from the data, so it
 * comes from `loadMetric.instanceMonitoring`.
 */
export function loadScale(loadMetric: LoadMetric, periodSec: number): number {
  if (loadMetric.type !== 'predefined' || loadMetric.metric !== 'ASGTotalCPUUtilization') return 1;
  return ec2MonitoringIntervalSec(loadMetric) / periodSec;
}

/**
 * Whether a period without a datapoint means no load rather than an unknown one. True for
 * `ALBTargetGroupRequestCount`: "Elastic Load Balancing reports metrics to CloudWatch only when
 * requests are flowing through the load balancer. [...] If there are no requests flowing through
 * the load balancer or no data for a metric, the metric is not reported"
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html),
 * so an hour without a `RequestCount` datapoint is an hour without requests. False for the EC2
 * totals (a running instance always reports) and for custom metrics, whose own metric math says
 * what a missing period is (`FILL(m1, 0)`).
 */
export function missingMeansZero(m: LoadMetric): boolean {
  return m.type === 'predefined' && m.metric === 'ALBTargetGroupRequestCount';
}
