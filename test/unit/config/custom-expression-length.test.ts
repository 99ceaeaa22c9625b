/**
 * Review: the config schema caps a custom load metric's `Expression` at 2,048 characters, what
 * GetMetricData takes (MetricDataQuery Expression: minimum 1, maximum 2,048;
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudwatch-alarm-metricdataquery.html).
 * But the forecaster rewrites every query Id the expression uses to `t<target index>_<Id>`
 * (lambdas/adapters/metric-queries.ts), adding up to 6 characters per use. The schema already
 * keeps 6 characters of the Id's 255 for that prefix (MAX_QUERY_ID_LENGTH = 249), not of the
 * expression's, so an expression it accepts can reach GetMetricData too long: its target is then
 * refused every hour (TargetsFailed), though `cdk synth` passed.
 */
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { targetQueries } from '../../../lambdas/adapters/metric-queries';
import type { metricDataQuerySchema } from '../../../lib/config/load-metric-schema';
import { ConfigError, parseAppConfig } from '../../../lib/config/parse';
import { sharedCallPrefix } from '../../../lib/config/query-ids';
import { exampleConfig } from '../../infra/helpers';

/** GetMetricData's longest Expression. */
const GET_METRIC_DATA_EXPRESSION_MAX = 2048;
/** The highest target index the schema allows (5,000 targets): the longest prefix, `t4999_`. */
const LAST_TARGET_INDEX = 4999;

/** `(m1 + m2) / 2`, padded with spaces to exactly `length` characters: valid metric math. */
function expressionOf(length: number): string {
  const core = '(m1 + m2) / 2';
  return `${core}${' '.repeat(length - core.length)}`;
}

describe('review: a custom load metric expression at the schema limit', () => {
  it('reaches GetMetricData within its 2,048 characters for every target index, or is refused at validation', () => {
    const raw = exampleConfig();
    const expression = expressionOf(GET_METRIC_DATA_EXPRESSION_MAX);
    const metric = (name: string) => ({ Namespace: 'App', MetricName: name, Dimensions: [] });
    raw.predictiveScaling.targets = [
      {
        id: 'api',
        autoScalingGroupName: 'api-asg',
        targetValue: 100,
        minCapacity: 1,
        maxCapacity: 10,
        loadMetric: {
          type: 'custom',
          metricDataQueries: [
            { Id: 'm1', MetricStat: { Metric: metric('Requests'), Stat: 'Sum' }, ReturnData: false },
            { Id: 'm2', MetricStat: { Metric: metric('Retries'), Stat: 'Sum' }, ReturnData: false },
            { Id: 'e1', Expression: expression },
          ],
        },
      },
    ];

    let config: ReturnType<typeof parseAppConfig> | undefined;
    try {
      config = parseAppConfig(raw);
    } catch (err) {
      // Refusing it at validation, naming the field, would be a fix.
      expect(String(err)).toContain('metricDataQueries[2].Expression');
      return;
    }
    const target = config.predictiveScaling.targets[0];
    if (target === undefined) throw new Error('the target went missing');
    const { queries } = targetQueries(
      {
        targetId: target.id,
        autoScalingGroupName: target.autoScalingGroupName,
        loadMetric: target.loadMetric,
        periodSec: target.periodSec,
        startSec: 0,
        endSec: 3600,
      },
      sharedCallPrefix(LAST_TARGET_INDEX),
    );
    const longest = Math.max(...queries.map((q) => q.Expression?.length ?? 0));
    expect(longest).toBeLessThanOrEqual(GET_METRIC_DATA_EXPRESSION_MAX);
  });
});

/** The problems parseAppConfig lists for example.json with one target on `metricDataQueries`. */
function problemsWith(metricDataQueries: z.input<typeof metricDataQuerySchema>[]): readonly string[] {
  const raw = exampleConfig();
  const scaled = raw.predictiveScaling.targets[0];
  if (scaled === undefined) throw new Error('config/example.json lost its first target');
  raw.predictiveScaling.targets = [{ ...scaled, loadMetric: { type: 'custom', metricDataQueries } }];
  try {
    parseAppConfig(raw);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

const stat = (name: string) => ({ Metric: { Namespace: 'App', MetricName: name }, Stat: 'Sum' });
const inputs = [
  { Id: 'm1', MetricStat: stat('Requests'), ReturnData: false },
  { Id: 'm2', MetricStat: stat('Retries'), ReturnData: false },
];

describe('a custom load metric Expression measured as GetMetricData receives it', () => {
  // `(m1 + m2) / 2` uses 2 Ids: t4999_ adds 12 characters.
  it('accepts an expression that reaches 2,048 characters with the longest prefix', () => {
    expect(problemsWith([...inputs, { Id: 'e1', Expression: expressionOf(2048 - 12) }])).toEqual([]);
  });

  it('fails one character beyond, naming the field, both lengths and what to cut', () => {
    const problems = problemsWith([...inputs, { Id: 'e1', Expression: expressionOf(2048 - 11) }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^predictiveScaling\.targets\[0\]\.loadMetric\.metricDataQueries\[2\]\.Expression: received "\(m1 \+ m2\) \/ 2 +\.\.\.; /,
    );
    expect(problems[0]).toContain(
      '2037 characters as written, but the forecaster reads this target in GetMetricData calls shared with other targets, each of the 2 uses of a query Id prefixed with t<target index>_ (up to 6 characters, t4999_), so the call could carry 2049 characters of the 2048 GetMetricData takes; shorten it by 1 (less white space, shorter Ids or fewer uses)',
    );
  });

  it('does not count an Id in quoted text, which is sent as written', () => {
    const core = `m1 * 2 + SUM(SEARCH('{App} MetricName="m2"', 'Sum', 300))`;
    const expression = `${core}${' '.repeat(2048 - 6 - core.length)}`;
    expect(problemsWith([...inputs, { Id: 'e1', Expression: expression }])).toEqual([]);
    expect(problemsWith([...inputs, { Id: 'e1', Expression: `${expression} ` }])).toHaveLength(1);
  });

  it('accepts 2,048 characters in a target that calls METRICS: it is sent unprefixed, in a call of its own', () => {
    const core = 'SUM(METRICS()) + m1 + m2';
    const expression = `${core}${' '.repeat(2048 - core.length)}`;
    expect(problemsWith([...inputs, { Id: 'e1', Expression: expression }])).toEqual([]);
  });
});
