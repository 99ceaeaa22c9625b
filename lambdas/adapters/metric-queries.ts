/** Builds GetMetricData queries for a target's load metric, as AWS predictive scaling defines them. */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { HistoryRequest } from '../core/scaler/ports';

/**
 * The predefined load metrics of AWS predictive scaling, each a single `Sum` MetricStat (no metric
 * math): ASG totals are the EC2 metric summed over the group's `AutoScalingGroupName` dimension;
 * the ALB request count is `AWS/ApplicationELB RequestCount` for the target group and load
 * balancer named by the resource label `app/<lb>/<id>/targetgroup/<tg>/<id>`.
 */
export function predefinedMetric(
  request: HistoryRequest,
): NonNullable<MetricDataQuery['MetricStat']>['Metric'] {
  const m = request.loadMetric;
  if (m.type !== 'predefined') throw new Error('predefinedMetric called for a custom metric');
  if (m.metric === 'ALBTargetGroupRequestCount') {
    const label = m.resourceLabel ?? '';
    const split = label.indexOf('/targetgroup/');
    return {
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'RequestCount',
      Dimensions: [
        { Name: 'TargetGroup', Value: label.slice(split + 1) },
        { Name: 'LoadBalancer', Value: label.slice(0, split) },
      ],
    };
  }
  const metricName = {
    ASGTotalCPUUtilization: 'CPUUtilization',
    ASGTotalNetworkIn: 'NetworkIn',
    ASGTotalNetworkOut: 'NetworkOut',
  }[m.metric];
  return {
    Namespace: 'AWS/EC2',
    MetricName: metricName,
    Dimensions: [{ Name: 'AutoScalingGroupName', Value: request.autoScalingGroupName }],
  };
}

/** A target's queries and the id of the one whose data is its load. */
export interface TargetQueries {
  readonly queries: MetricDataQuery[];
  readonly resultId: string;
}

/**
 * Queries for one target, with ids made unique in a shared call by the prefix `t<index>_`; custom
 * expressions are rewritten to the prefixed ids. Exactly one query returns data.
 */
export function targetQueries(request: HistoryRequest, index: number): TargetQueries {
  const prefix = `t${index}_`;
  const m = request.loadMetric;
  if (m.type === 'predefined') {
    const id = `${prefix}load`;
    return {
      resultId: id,
      queries: [
        {
          Id: id,
          MetricStat: { Metric: predefinedMetric(request), Period: request.periodSec, Stat: 'Sum' },
          ReturnData: true,
        },
      ],
    };
  }
  const ids = m.metricDataQueries.map((q) => q.Id);
  const rename = (expr: string) =>
    ids.reduce((e, id) => e.replace(new RegExp(`\\b${id}\\b`, 'g'), `${prefix}${id}`), expr);
  let resultId = '';
  const queries = m.metricDataQueries.map((q): MetricDataQuery => {
    const returns = q.ReturnData !== false;
    if (returns) resultId = `${prefix}${q.Id}`;
    const common = {
      Id: `${prefix}${q.Id}`,
      ReturnData: returns,
      ...(q.Label === undefined ? {} : { Label: q.Label }),
    };
    if (q.Expression !== undefined)
      return { ...common, Expression: rename(q.Expression), Period: request.periodSec };
    const stat = q.MetricStat;
    if (stat === undefined) throw new Error(`query ${q.Id} has neither Expression nor MetricStat`);
    return {
      ...common,
      MetricStat: {
        Metric: stat.Metric,
        Period: request.periodSec,
        Stat: stat.Stat,
        ...(stat.Unit === undefined
          ? {}
          : { Unit: stat.Unit as NonNullable<MetricDataQuery['MetricStat']>['Unit'] }),
      },
    };
  });
  return { queries, resultId };
}
