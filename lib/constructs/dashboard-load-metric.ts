/**
 * A target's load as the forecaster reads it (lambdas/adapters/metric-queries.ts; both take the
 * metric and its scale from lib/config/load-metric.ts, the query ids an expression uses from
 * lib/config/query-ids.ts, and what METRICS selects from lib/config/metrics-function.ts), as one metric a
 * dashboard graph can draw next to the published forecast: same metrics, statistics, period and
 * metric math, so the two lines are in the same units. test/handlers/dashboard-metrics.test.ts
 * compares this with the GetMetricData queries the real forecaster sends.
 */
import { aws_cloudwatch as cloudwatch, Duration } from 'aws-cdk-lib';
import { type CustomLoadMetric, loadScale, predefinedLoadMetric, resultQuery } from '../config/load-metric';
import {
  ec2MonitoringIntervalSec,
  MAX_DIMENSION_VALUE_LENGTH,
  type MetricDataQueryConfig,
} from '../config/load-metric-schema';
import { expandMetricsCalls, metricIds } from '../config/metrics-function';
import { queryIdsUsed } from '../config/query-ids';
import type { ScalingTarget } from '../config/schema';

/**
 * The target's load, labelled `label`: for a predefined metric the `Sum` the forecaster reads
 * (for ASGTotalCPUUtilization scaled by the monitoring interval over the period, as the forecaster
 * scales it); for a custom metric the query that returns data, with every query it uses, hidden.
 */
export function targetLoadMetric(target: ScalingTarget, label: string): cloudwatch.IMetric {
  const m = target.loadMetric;
  const period = Duration.seconds(target.periodSec);
  if (m.type === 'custom') return customLoad(m, target, label);
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

/**
 * Longest dimension value a graph can be built with: aws-cdk-lib's `Metric` refuses more than 255
 * characters, though CloudWatch takes 1,024 (MAX_DIMENSION_VALUE_LENGTH) and the forecaster reads
 * such a metric. The CloudWatch dashboard body documentation states no other limit to rely on, so a
 * longer value is refused here, by target and query, rather than graphed some other way.
 */
export const MAX_GRAPHED_DIMENSION_VALUE_LENGTH = 255;

/** What a query is on a graph: a metric for a `MetricStat`, a math expression for an `Expression`. */
type QueryMetric = cloudwatch.Metric | cloudwatch.MathExpression;

/**
 * The query that returns data, built with every query it refers to (hidden on the graph). METRICS
 * in a graph returns every metric of the graph, the forecast lines included, so each call is
 * written as the array of the MetricStat query ids it selects (see expandMetricsCalls): the same
 * metrics the forecaster's call of its own holds, and the ids then name the inputs to graph.
 */
function customLoad(m: CustomLoadMetric, target: ScalingTarget, label: string): cloudwatch.IMetric {
  const ids = m.metricDataQueries.map((q) => q.Id);
  const metrics = metricIds(m);
  const where = `predictiveScaling.targets "${target.id}" loadMetric.metricDataQueries`;
  const leaveOut = `list the targets to graph in dashboard.targetIds without "${target.id}" (the forecaster still reads and forecasts it)`;

  // A query two expressions use is built twice: equal metrics under one id, which CDK graphs once.
  const build = (query: MetricDataQueryConfig, path: readonly string[]): QueryMetric => {
    if (path.includes(query.Id)) {
      throw new Error(
        `${where}: the expressions refer to each other in a cycle (${[...path, query.Id].join(' -> ')}); GetMetricData rejects such queries, so the forecaster cannot read this load either; make each Expression use only queries defined without it`,
      );
    }
    const graphed =
      query.Expression === undefined
        ? query
        : { ...query, Expression: expandMetricsCalls(query.Expression, metrics) };
    return buildOne(graphed, target.periodSec, { where, leaveOut }, (expression) => {
      const used = new Set(queryIdsUsed(expression, ids));
      return Object.fromEntries(
        m.metricDataQueries.filter((q) => used.has(q.Id)).map((q) => [q.Id, build(q, [...path, query.Id])]),
      );
    });
  };

  return build(resultQuery(m), []).with({ label });
}

/**
 * One query as a metric; `usingMetrics` builds the queries an expression refers to, by id. `where`
 * names the target's queries in an error, `leaveOut` says how to synth without graphing it.
 */
function buildOne(
  query: MetricDataQueryConfig,
  periodSec: number,
  { where, leaveOut }: { readonly where: string; readonly leaveOut: string },
  usingMetrics: (expression: string) => Record<string, cloudwatch.IMetric>,
): QueryMetric {
  const period = Duration.seconds(periodSec);
  const labelled = query.Label === undefined ? {} : { label: query.Label };
  if (query.Expression !== undefined) {
    return new cloudwatch.MathExpression({
      expression: query.Expression,
      usingMetrics: usingMetrics(query.Expression),
      period,
      ...labelled,
    });
  }
  const stat = query.MetricStat;
  const dimensionsMap: Record<string, string> = {};
  for (const { Name, Value } of stat.Metric.Dimensions) {
    if (Name in dimensionsMap) {
      throw new Error(
        `${where}: query ${query.Id} names the dimension ${Name} twice (values "${dimensionsMap[Name]}" and "${Value}"); a CloudWatch metric has each dimension once, so give ${Name} one value`,
      );
    }
    if (Value.length > MAX_GRAPHED_DIMENSION_VALUE_LENGTH) {
      throw new Error(
        `${where}: query ${query.Id}'s dimension ${Name} has a value of ${Value.length} characters ("${Value.slice(0, 40)}…"); CloudWatch takes up to ${MAX_DIMENSION_VALUE_LENGTH.toLocaleString('en-US')}, but a dashboard graph is built with at most ${MAX_GRAPHED_DIMENSION_VALUE_LENGTH}, so this load cannot be graphed: ${leaveOut}`,
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
