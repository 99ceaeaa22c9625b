/** Builds GetMetricData queries for a target's load metric, as AWS predictive scaling defines them. */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  loadScale,
  type MetricIdentity,
  predefinedLoadMetric,
  resultQuery,
} from '../../lib/config/load-metric';
import { returnsData } from '../../lib/config/load-metric-schema';
import { renameQueryIds } from '../../lib/config/query-ids';
import type { HistoryRequest } from '../core/scaler/ports';

/** A target's queries, the id of the one whose data is its load, and what to multiply it by. */
export interface TargetQueries {
  readonly queries: MetricDataQuery[];
  readonly resultId: string;
  /** Factor turning each returned value into the load (1 except for ASGTotalCPUUtilization). */
  readonly scale: number;
}

/**
 * Queries for one target, each id prefixed with `prefix` (`sharedCallPrefix` of
 * lib/config/query-ids.ts; empty for a target read alone, whose custom queries then go as
 * written); custom expressions are rewritten to the prefixed ids. Exactly one query returns data.
 */
export function targetQueries(request: HistoryRequest, prefix: string): TargetQueries {
  const m = request.loadMetric;
  if (m.type === 'predefined') {
    const id = `${prefix}load`;
    return {
      resultId: id,
      scale: loadScale(m, request.periodSec),
      queries: [
        {
          Id: id,
          MetricStat: {
            Metric: metricOf(predefinedLoadMetric(m, request.autoScalingGroupName)),
            Period: request.periodSec,
            Stat: 'Sum',
          },
          ReturnData: true,
        },
      ],
    };
  }
  const ids = m.metricDataQueries.map((q) => q.Id);
  const rename = (expr: string) => renameQueryIds(expr, ids, (id) => `${prefix}${id}`);
  const queries = m.metricDataQueries.map((q): MetricDataQuery => {
    const common = {
      Id: `${prefix}${q.Id}`,
      ReturnData: returnsData(q),
      ...(q.Label === undefined ? {} : { Label: q.Label }),
    };
    if (q.Expression !== undefined)
      return { ...common, Expression: rename(q.Expression), Period: request.periodSec };
    const stat = q.MetricStat;
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
  return { queries, resultId: `${prefix}${resultQuery(m).Id}`, scale: 1 };
}

/** A metric identity in the SDK's shape. */
function metricOf(m: MetricIdentity): NonNullable<MetricDataQuery['MetricStat']>['Metric'] {
  return { Namespace: m.namespace, MetricName: m.metricName, Dimensions: [...m.dimensions] };
}
