/** Builds GetMetricData queries for a target's load metric, as AWS predictive scaling defines them. */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { ec2MonitoringIntervalSec } from '../../lib/config/schema';
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

/** A target's queries, the id of the one whose data is its load, and what to multiply it by. */
export interface TargetQueries {
  readonly queries: MetricDataQuery[];
  readonly resultId: string;
  /** Factor turning each returned value into the load (1 except for ASGTotalCPUUtilization). */
  readonly scale: number;
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
export function loadScale(request: HistoryRequest): number {
  const m = request.loadMetric;
  if (m.type !== 'predefined' || m.metric !== 'ASGTotalCPUUtilization') return 1;
  return ec2MonitoringIntervalSec(m) / request.periodSec;
}

/** A single- or double-quoted string literal of metric math, captured so `split` keeps it. */
const QUOTED = /('[^']*'|"[^"]*")/;

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
      scale: loadScale(request),
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
  const renameIds = (text: string) =>
    ids.reduce((e, id) => e.replace(new RegExp(`\\b${id}\\b`, 'g'), `${prefix}${id}`), text);
  // Quoted text (a SEARCH string, a dimension value) names metrics, not queries: left as written.
  const rename = (expr: string) =>
    expr
      .split(QUOTED)
      .map((part, i) => (i % 2 === 1 ? part : renameIds(part)))
      .join('');
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
  return { queries, resultId, scale: 1 };
}
