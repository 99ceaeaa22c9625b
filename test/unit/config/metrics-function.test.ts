import { describe, expect, it } from 'vitest';
import type { CustomLoadMetric } from '../../../lib/config/load-metric';
import {
  callsMetricsFunction,
  expandMetricsCalls,
  metricIds,
  metricsCallProblem,
  metricsCalls,
  selectedIds,
} from '../../../lib/config/metrics-function';

const stat = { Metric: { Namespace: 'App', MetricName: 'Requests', Dimensions: [] }, Stat: 'Sum' };

const custom = (...metricDataQueries: CustomLoadMetric['metricDataQueries']): CustomLoadMetric => ({
  type: 'custom',
  metricDataQueries,
});

describe('metricsCalls', () => {
  it.each([
    ['SUM(METRICS())', [['METRICS()', undefined]]],
    ['SUM(METRICS("errors"))', [['METRICS("errors")', 'errors']]],
    ["SUM(METRICS( 'errors' ))", [["METRICS( 'errors' )", 'errors']]],
    ['SUM(METRICS ("x"))', [['METRICS ("x")', 'x']]],
    [
      'SUM(METRICS("errors"))/SUM(METRICS("requests"))*100',
      [
        ['METRICS("errors")', 'errors'],
        ['METRICS("requests")', 'requests'],
      ],
    ],
    ['sum(metrics())', [['metrics()', undefined]]],
    ['SUM(METRICS(errors))', [['METRICS(errors)', null]]],
    ['SUM(METRICS(“4xx”))', [['METRICS(“4xx”)', null]]],
    ['SUM(METRICS(FLOOR(m1), "a")) + m1', [['METRICS(FLOOR(m1), "a")', null]]],
  ])('finds the calls in %s, with their string', (expression, expected) => {
    expect(metricsCalls(expression).map((c) => [c.text, c.filter])).toEqual(expected);
  });

  it.each([
    `SUM(SEARCH('{App,Shard} METRICS() MetricName="Requests"', 'Sum', 300))`,
    'req / FILL(hosts, 1)',
    'my_metrics * 2',
  ])('finds none in %s (quoted text and query ids are not calls)', (expression) => {
    expect(metricsCalls(expression)).toEqual([]);
  });
});

describe('callsMetricsFunction', () => {
  it.each([
    [
      custom({ Id: 'a', MetricStat: stat, ReturnData: false }, { Id: 'b', Expression: 'SUM(METRICS())' }),
      true,
    ],
    [
      custom(
        { Id: 'a', MetricStat: stat, ReturnData: false },
        { Id: 'c', Expression: 'METRICS("a") * 2', ReturnData: false },
        { Id: 'b', Expression: 'a * 2' },
      ),
      true,
    ],
    [custom({ Id: 'a', MetricStat: stat, ReturnData: false }, { Id: 'b', Expression: 'a * 2' }), false],
    [custom({ Id: 'a', MetricStat: stat }), false],
  ])('tells whether any expression of %j calls METRICS', (metric, expected) => {
    expect(callsMetricsFunction(metric)).toBe(expected);
  });

  it('is false for a predefined metric', () => {
    expect(callsMetricsFunction({ type: 'predefined', metric: 'ASGTotalNetworkIn' })).toBe(false);
  });
});

describe('selectedIds and metricIds', () => {
  const metric = custom(
    { Id: 'errors4xx', MetricStat: stat, ReturnData: false },
    { Id: 'errors5xx', MetricStat: stat, ReturnData: false },
    { Id: 'requests', MetricStat: stat, ReturnData: false },
    { Id: 'rate_errors', Expression: 'SUM(METRICS("errors")) / requests' },
  );

  it('lists the MetricStat queries only: METRICS returns metrics, not expressions', () => {
    expect(metricIds(metric)).toEqual(['errors4xx', 'errors5xx', 'requests']);
  });

  it.each([
    [undefined, ['errors4xx', 'errors5xx', 'requests']],
    ['errors', ['errors4xx', 'errors5xx']],
    ['5xx', ['errors5xx']],
    ['Errors', []],
    [null, []],
  ])('selects for the string %s the Ids containing it', (filter, expected) => {
    expect(selectedIds({ filter }, metricIds(metric))).toEqual(expected);
  });
});

describe('expandMetricsCalls', () => {
  const ids = ['errors4xx', 'errors5xx', 'requests'];

  it.each([
    ['SUM(METRICS())', 'SUM([errors4xx, errors5xx, requests])'],
    ['SUM(METRICS("5xx"))', 'SUM([errors5xx])'],
    ['SUM(METRICS("errors"))/SUM(METRICS("req"))*100', 'SUM([errors4xx, errors5xx])/SUM([requests])*100'],
    // A whole array element is flattened, as CloudWatch flattens METRICS in an array.
    ['SUM([METRICS("4xx"), METRICS("5xx")])', 'SUM([errors4xx, errors5xx])'],
    ['SUM([METRICS("4xx") * 2, requests])', 'SUM([[errors4xx] * 2, requests])'],
    [`SEARCH('METRICS()', 'Sum', 300)`, `SEARCH('METRICS()', 'Sum', 300)`],
  ])('writes %s as %s', (expression, expected) => {
    expect(expandMetricsCalls(expression, ids)).toBe(expected);
  });
});

describe('metricsCallProblem', () => {
  const problem = (expression: string, ids: readonly string[]) => {
    const [call] = metricsCalls(expression);
    if (call === undefined) throw new Error(`no call in ${expression}`);
    return metricsCallProblem(call, ids);
  };

  it.each([
    ['SUM(METRICS())', ['a']],
    ['SUM(METRICS(""))', ['a']],
    ['SUM(METRICS("req"))', ['requests', 'errors']],
  ])('accepts %s over %j', (expression, ids) => {
    expect(problem(expression, ids)).toBeUndefined();
  });

  it.each([
    [
      'sum(metrics())',
      ['a'],
      'metrics(): CloudWatch takes metric math functions in uppercase only; write METRICS',
    ],
    [
      'SUM(METRICS(errors))',
      ['errors'],
      'METRICS(errors): METRICS takes no argument or one string in straight quotes, as METRICS() or METRICS("errors")',
    ],
    [
      'SUM(METRICS())',
      [],
      'METRICS() selects nothing: no query of this load metric has a MetricStat (METRICS returns metrics, not expressions); add the MetricStat queries it should return',
    ],
    [
      'SUM(METRICS("Req"))',
      ['requests', 'errors'],
      'METRICS("Req") selects nothing: no MetricStat query Id of this load metric contains "Req" (case-sensitive; MetricStat Ids: requests, errors); METRICS returns metrics, not expressions',
    ],
  ])('refuses %s over %j', (expression, ids, expected) => {
    expect(problem(expression, ids)).toBe(expected);
  });
});
