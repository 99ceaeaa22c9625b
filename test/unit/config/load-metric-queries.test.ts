import { describe, expect, it } from 'vitest';
import { type CustomLoadMetric, resultQuery } from '../../../lib/config/load-metric';
import { metricDataQuerySchema, returnsData } from '../../../lib/config/load-metric-schema';

const stat = { Metric: { Namespace: 'Team/App', MetricName: 'Requests', Dimensions: [] }, Stat: 'Sum' };

describe('returnsData', () => {
  it.each([
    [{}, true],
    [{ ReturnData: undefined }, true],
    [{ ReturnData: true }, true],
    [{ ReturnData: false }, false],
  ])('reads %j as returning data: %s (GetMetricData defaults ReturnData to true)', (query, expected) => {
    expect(returnsData(query)).toBe(expected);
  });
});

describe('resultQuery', () => {
  const custom = (...metricDataQueries: CustomLoadMetric['metricDataQueries']): CustomLoadMetric => ({
    type: 'custom',
    metricDataQueries,
  });

  it.each([
    ['first', custom({ Id: 'a', MetricStat: stat }, { Id: 'b', Expression: 'a', ReturnData: false }), 'a'],
    ['last', custom({ Id: 'a', MetricStat: stat, ReturnData: false }, { Id: 'b', Expression: 'a * 2' }), 'b'],
    ['set true', custom({ Id: 'a', MetricStat: stat, ReturnData: true }), 'a'],
  ])('is the query that returns data (%s)', (_, metric, id) => {
    expect(resultQuery(metric).Id).toBe(id);
  });

  it('fails for a metric built without the schema in which no query returns data', () => {
    const metric = custom(
      { Id: 'a', MetricStat: stat, ReturnData: false },
      { Id: 'b', Expression: 'a', ReturnData: false },
    );
    expect(() => resultQuery(metric)).toThrow(
      'no query of the custom load metric (a, b) returns data; leave ReturnData unset on the one whose data is the load',
    );
  });
});

describe('metricDataQuerySchema', () => {
  it.each([
    ['neither', { Id: 'a' }],
    ['both', { Id: 'a', Expression: 'b', MetricStat: stat }],
  ])('fails when a query has %s of Expression and MetricStat', (_, query) => {
    const issues = metricDataQuerySchema.safeParse(query).error?.issues ?? [];
    expect(issues.map((issue) => issue.message)).toEqual(['set exactly one of Expression or MetricStat']);
  });
});
