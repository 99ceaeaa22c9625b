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
  /** A MetricStat query on one dimension. */
  const onDimension = (Name: string, Value: string) => ({
    Id: 'a',
    MetricStat: { ...stat, Metric: { ...stat.Metric, Dimensions: [{ Name, Value }] } },
  });
  const messages = (query: unknown) =>
    (metricDataQuerySchema.safeParse(query).error?.issues ?? []).map(
      (i) => `${i.path.join('.')}: ${i.message}`,
    );

  // CloudWatch's limits: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html
  it.each([
    ['a value of 1,024 characters', onDimension('Path', 'v'.repeat(1024))],
    ['a name of 255 characters', onDimension('n'.repeat(255), 'v')],
    ['inner white space', onDimension('Host Name', ' web 1 ')],
    [
      'every printable ASCII character',
      onDimension('Name ~!', ' !"#$%&\'()*+,-./0-9:;<=>?@A-Z[\\]^_`a-z{|}~'),
    ],
  ])('accepts a dimension with %s, which CloudWatch takes', (_, query) => {
    expect(messages(query)).toEqual([]);
  });

  it.each([
    [
      'a value of 1,025 characters',
      onDimension('Path', 'v'.repeat(1025)),
      'MetricStat.Metric.Dimensions.0.Value: 1,025 characters; CloudWatch takes at most 1,024 in a dimension value',
    ],
    [
      'a value of white space only',
      onDimension('Path', '   '),
      'MetricStat.Metric.Dimensions.0.Value: must hold a character other than white space (CloudWatch refuses a blank dimension)',
    ],
    [
      'a name of 256 characters',
      onDimension('n'.repeat(256), 'v'),
      'MetricStat.Metric.Dimensions.0.Name: 256 characters; CloudWatch takes at most 255 in a dimension name',
    ],
    [
      'a name starting with ":"',
      onDimension(':Host', 'v'),
      'MetricStat.Metric.Dimensions.0.Name: must not start with ":" (CloudWatch refuses such a dimension name)',
    ],
    // "Dimension values must contain only ASCII characters … ASCII control characters are not
    // supported", and likewise for names (API_Dimension, linked above).
    [
      'a non-ASCII value',
      onDimension('Path', '/café'),
      'MetricStat.Metric.Dimensions.0.Value: "é" (U+00E9) at character 5; CloudWatch takes only ASCII characters other than control characters in a dimension value',
    ],
    [
      'an emoji in the value',
      onDimension('Path', 'web-🚀'),
      'MetricStat.Metric.Dimensions.0.Value: "🚀" (U+1F680) at character 5; CloudWatch takes only ASCII characters other than control characters in a dimension value',
    ],
    [
      'a control character in the value',
      onDimension('Path', 'web\t1'),
      'MetricStat.Metric.Dimensions.0.Value: U+0009 at character 4; CloudWatch takes only ASCII characters other than control characters in a dimension value',
    ],
    [
      'DEL in the value',
      onDimension('Path', 'web\u007f'),
      'MetricStat.Metric.Dimensions.0.Value: U+007F at character 4; CloudWatch takes only ASCII characters other than control characters in a dimension value',
    ],
    [
      'a non-ASCII name',
      onDimension('Größe', 'v'),
      'MetricStat.Metric.Dimensions.0.Name: "ö" (U+00F6) at character 3; CloudWatch takes only ASCII characters other than control characters in a dimension name',
    ],
  ])('fails for a dimension with %s, naming the field', (_, query, message) => {
    expect(messages(query)).toEqual([message]);
  });

  it.each([
    ['neither', { Id: 'a' }],
    ['both', { Id: 'a', Expression: 'b', MetricStat: stat }],
  ])('fails when a query has %s of Expression and MetricStat', (_, query) => {
    const issues = metricDataQuerySchema.safeParse(query).error?.issues ?? [];
    expect(issues.map((issue) => issue.message)).toEqual(['set exactly one of Expression or MetricStat']);
  });
});
