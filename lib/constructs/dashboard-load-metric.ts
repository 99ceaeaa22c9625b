/**
 * A target's load as the forecaster reads it (lambdas/adapters/metric-queries.ts; both take the
 * metric, its scale and the query ids an expression uses from lib/config/load-metric.ts), as one metric a
 * dashboard graph can draw next to the published forecast: same metrics, statistics, period and
 * metric math, so the two lines are in the same units. test/handlers/dashboard-metrics.test.ts
 * compares this with the GetMetricData queries the real forecaster sends.
 */
import { aws_cloudwatch as cloudwatch, Duration } from 'aws-cdk-lib';
import { loadScale, predefinedLoadMetric, queryIdsUsed } from '../config/load-metric';
import {
  ec2MonitoringIntervalSec,
  type MetricDataQueryConfig,
  returnsData,
} from '../config/load-metric-schema';
import type { ScalingTarget } from '../config/schema';

/**
 * The target's load, labelled `label`: for a predefined metric the `Sum` the forecaster reads
 * (for ASGTotalCPUUtilization scaled by the monitoring interval over the period, as the forecaster
 * scales it); for a custom metric the query that returns data, with every query it uses, hidden.
 */
export function targetLoadMetric(target: ScalingTarget, label: string): cloudwatch.IMetric {
  const m = target.loadMetric;
  const period = Duration.seconds(target.periodSec);
  if (m.type === 'custom') return customLoad(target, label);
  const identity = predefinedLoadMetric(m, target.autoScalingGroupName);
  const sum = new cloudwatch.Metric({
    namespace: identity.namespace,
    metricName: identity.metricName,
    dimensionsMap: Object.fromEntries(identity.dimensions.map((d) => [d.Name, d.Value])),
    statistic: 'Sum',
    period,
  });
  if (loadScale(m, target.periodSec) === 1) return sum.with({ label });
  // CPUUtilization is a percentage per datapoint: the forecaster scales its Sum by interval / period
  // (see loadScale), written here as the two whole numbers.
  return new cloudwatch.MathExpression({
    expression: `cpu_sum * ${ec2MonitoringIntervalSec(m)} / ${target.periodSec}`,
    usingMetrics: { cpu_sum: sum },
    period,
    label,
  });
}

/** The query that returns data, built with every query it refers to (hidden on the graph). */
function customLoad(target: ScalingTarget, label: string): cloudwatch.IMetric {
  if (target.loadMetric.type !== 'custom') throw new Error('customLoad called for a predefined metric');
  const queries = new Map(target.loadMetric.metricDataQueries.map((q) => [q.Id, q]));
  const built = new Map<string, cloudwatch.IMetric>();
  const where = `predictiveScaling.targets "${target.id}" loadMetric.metricDataQueries`;

  const build = (query: MetricDataQueryConfig, path: readonly string[]): cloudwatch.IMetric => {
    const done = built.get(query.Id);
    if (done !== undefined) return done;
    if (path.includes(query.Id)) {
      throw new Error(
        `${where}: the expressions refer to each other in a cycle (${[...path, query.Id].join(' -> ')}); GetMetricData rejects such queries, so the forecaster cannot read this load either; make each Expression use only queries defined without it`,
      );
    }
    const metric = buildOne(query, target.periodSec, where, [...queries.keys()], (id) => {
      const used = queries.get(id);
      return used === undefined ? undefined : build(used, [...path, query.Id]);
    });
    built.set(query.Id, metric);
    return metric;
  };

  const returning = target.loadMetric.metricDataQueries.find(returnsData);
  if (returning === undefined) throw new Error(`${where}: no query returns data`);
  return withLabel(build(returning, []), label);
}

/** One query as a metric; `using` builds the query of an id the expression refers to. */
function buildOne(
  query: MetricDataQueryConfig,
  periodSec: number,
  where: string,
  ids: readonly string[],
  using: (id: string) => cloudwatch.IMetric | undefined,
): cloudwatch.IMetric {
  const period = Duration.seconds(periodSec);
  const labelled = query.Label === undefined ? {} : { label: query.Label };
  if (query.Expression !== undefined) {
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    for (const id of queryIdsUsed(query.Expression, ids)) {
      const metric = using(id);
      if (metric !== undefined) usingMetrics[id] = metric;
    }
    return new cloudwatch.MathExpression({ expression: query.Expression, usingMetrics, period, ...labelled });
  }
  const stat = query.MetricStat;
  if (stat === undefined)
    throw new Error(`${where}: query ${query.Id} has neither Expression nor MetricStat`);
  const dimensionsMap: Record<string, string> = {};
  for (const { Name, Value } of stat.Metric.Dimensions) {
    if (Name in dimensionsMap) {
      throw new Error(
        `${where}: query ${query.Id} names the dimension ${Name} twice (values "${dimensionsMap[Name]}" and "${Value}"); a CloudWatch metric has each dimension once, so give ${Name} one value`,
      );
    }
    dimensionsMap[Name] = Value;
  }
  return new cloudwatch.Metric({
    namespace: stat.Metric.Namespace,
    metricName: stat.Metric.MetricName,
    dimensionsMap,
    statistic: stat.Stat,
    period,
    ...labelled,
  });
}

function withLabel(metric: cloudwatch.IMetric, label: string): cloudwatch.IMetric {
  if (metric instanceof cloudwatch.Metric || metric instanceof cloudwatch.MathExpression) {
    return metric.with({ label });
  }
  return metric;
}
