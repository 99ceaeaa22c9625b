import { readFileSync } from 'node:fs';
import { StandardUnit } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { CLOUDWATCH_UNITS } from '../../../lib/config/load-metric-schema';
import { ConfigError, parseAppConfig } from '../../../lib/config/parse';

const example = JSON.parse(readFileSync(new URL('../../../config/example.json', import.meta.url), 'utf8'));

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseAppConfig(raw, 'test.json');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

function withTarget(patch: Record<string, unknown>): unknown {
  const target = { ...example.predictiveScaling.targets[0], ...patch };
  return { ...example, predictiveScaling: { ...example.predictiveScaling, targets: [target] } };
}

describe('parseAppConfig', () => {
  it('accepts the example config and fills defaults', () => {
    const config = parseAppConfig(example);
    const [web] = config.predictiveScaling.targets;
    expect(web?.schedulingBufferSec).toBe(300);
    expect(web?.maxCapacityBreachBehavior).toBe('honor');
    expect(web?.horizonHours).toBe(48);
    expect(web?.lookbackDays).toBe(14);
    expect(web?.upperQuantile).toBe(0.9);
    expect(web?.planningBound).toBe('block-max');
    expect(web?.weekendUtcOffsetHours).toBe(0);
  });

  it.each([9, -8, 5.5, 5.75, -12, 14])('accepts weekendUtcOffsetHours %d', (hours) => {
    const [t] = parseAppConfig(withTarget({ weekendUtcOffsetHours: hours })).predictiveScaling.targets;

    expect(t?.weekendUtcOffsetHours).toBe(hours);
  });

  it.each([
    { hours: 14.25, problem: 'Too big' },
    { hours: -12.5, problem: 'Too small' },
    { hours: 5.3, problem: 'multiple of 0.25' },
  ])('fails when weekendUtcOffsetHours is $hours, naming the field', ({ hours, problem }) => {
    const [first] = problemsOf(withTarget({ weekendUtcOffsetHours: hours }));

    expect(first).toContain('weekendUtcOffsetHours');
    expect(first).toContain(problem);
  });

  it('refuses, with remediation rules, a stackName its shipped SSM documents could not be named after (reserved prefix, too long)', () => {
    expect(problemsOf({ ...example, stackName: 'amznOps' })).toEqual([
      'stackName: received "amznOps"; must not start with aws, amazon or amzn: with remediation rules, the shipped SSM documents are named <stackName>-<key>, and SSM refuses document names with those prefixes',
    ]);
    // 101 + "-replace-unhealthy-instance" (27) = 128, CreateDocument's limit.
    expect(parseAppConfig({ ...example, stackName: `S${'x'.repeat(100)}` }).stackName).toHaveLength(101);
    expect(problemsOf({ ...example, stackName: `S${'x'.repeat(101)}` })[0]).toContain(
      'must be at most 101 characters',
    );
    // Without rules no document is deployed: CloudFormation's pattern alone applies.
    const noRules = { ...example, remediation: { ...example.remediation, rules: [] } };
    expect(parseAppConfig({ ...noRules, stackName: 'amznOps' }).stackName).toBe('amznOps');
    expect(parseAppConfig({ ...noRules, stackName: `S${'x'.repeat(127)}` }).stackName).toHaveLength(128);
  });

  it.each([1, 1827, 2192, 3653])(
    'accepts logRetentionDays %i (CloudWatch Logs goes up to 10 years)',
    (days) => {
      expect(parseAppConfig({ ...example, logRetentionDays: days }, 'test.json').logRetentionDays).toBe(days);
    },
  );

  it.each([0, 2, 3654, 9999])('fails when logRetentionDays is %i, naming the field and the value', (days) => {
    expect(problemsOf({ ...example, logRetentionDays: days })).toEqual([
      `logRetentionDays: received ${days}; must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
    ]);
  });

  it.each(['block-max', 'upper'])('accepts planningBound %s', (planningBound) => {
    const config = parseAppConfig(withTarget({ planningBound }), 'test.json');
    expect(config.predictiveScaling.targets[0]?.planningBound).toBe(planningBound);
  });

  it('defaults a target to forecastOnly', () => {
    const { mode: _omitted, ...rest } = example.predictiveScaling.targets[0];
    const config = parseAppConfig({ ...example, predictiveScaling: { targets: [rest] } });
    expect(config.predictiveScaling.targets[0]?.mode).toBe('forecastOnly');
  });

  it.each([
    [{ targetValue: -5 }, 'predictiveScaling.targets[0].targetValue: received -5;'],
    [{ mode: 'yolo' }, 'predictiveScaling.targets[0].mode: received "yolo";'],
    [
      { planningBound: 'forecast-upper' },
      'predictiveScaling.targets[0].planningBound: received "forecast-upper"; Invalid option: expected one of "block-max"|"upper"',
    ],
    [
      { minCapacity: 5, maxCapacity: 2 },
      'predictiveScaling.targets[0].maxCapacity: received 2; maxCapacity must be',
    ],
    [{ id: 'has space' }, 'predictiveScaling.targets[0].id: received "has space";'],
    [{ colour: 'red' }, 'predictiveScaling.targets[0]: unknown field(s) "colour"'],
    [{ blockMinutes: 45 }, 'predictiveScaling.targets[0].blockMinutes: received 45; expected 15 | 30 | 60'],
    [
      { periodSec: 120 },
      'predictiveScaling.targets[0].periodSec: received 120; expected 60 | 300 | 900 | 3600',
    ],
    [
      { loadMetric: { type: 'predefined', metric: 'ALBTargetGroupRequestCount' } },
      'predictiveScaling.targets[0].loadMetric.resourceLabel: missing; resourceLabel is required',
    ],
  ])('fails when a field is bad: %j', (patch, expected) => {
    expect(problemsOf(withTarget(patch)).join('\n')).toContain(expected);
  });

  it('fails when lookbackDays leaves no day to validate the forecast on', () => {
    expect(problemsOf(withTarget({ lookbackDays: 2 })).join('\n')).toContain(
      'predictiveScaling.targets[0].lookbackDays: received 2; at least 3: a forecast drives scaling only once validated',
    );
  });

  it('lists every problem, not just the first', () => {
    expect(problemsOf(withTarget({ targetValue: 0, blockMinutes: 7, lookbackDays: 99 }))).toHaveLength(3);
  });

  it('checks maxCapacity against minCapacity even when another field is wrong', () => {
    const problems = problemsOf(withTarget({ targetValue: 0, minCapacity: 3, maxCapacity: 1 })).join('\n');
    expect(problems).toContain('predictiveScaling.targets[0].targetValue: received 0;');
    expect(problems).toContain('predictiveScaling.targets[0].maxCapacity: received 1; maxCapacity must be');
  });

  it('fails on duplicate target ids, naming both', () => {
    const target = example.predictiveScaling.targets[0];
    const problems = problemsOf({ ...example, predictiveScaling: { targets: [target, target] } });
    expect(problems.join('\n')).toContain(
      'predictiveScaling.targets[1].id: received "web-frontend"; duplicate target id (also targets[0].id)',
    );
  });

  it('fails when two forecastAndScale targets share a group', () => {
    const target = { ...example.predictiveScaling.targets[1] };
    const problems = problemsOf({
      ...example,
      predictiveScaling: { targets: [target, { ...target, id: 'other' }] },
    });
    expect(problems.join('\n')).toContain(
      'predictiveScaling.targets[1].autoScalingGroupName: received "batch-workers-asg"; targets[0] already scales this group',
    );
  });

  it.each([
    ['batch*', '*, ? or :'],
    ['batch?', '*, ? or :'],
    ['team:batch', '*, ? or :'],
    ['batch workers', 'a space'],
    ['batch-asg]', 'must pair its brackets, each ( closed by ) and each [ by ], in order'],
    ['batch-asg)', 'the ) at character 10 closes nothing'],
    ['batch[blue)', 'the ) at character 11 where ] was expected'],
    ['batch(blue', 'a closing ) is missing at the end'],
    ['batch{blue]', 'must not contain { or }'],
    ['batch-{1}', 'cdk-nag writes } as >'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ in a group name is the case under test.
    ['batch-${env}', 'policy variable'],
    ['batch-グループ', '"グ" (U+30B0)'],
    ['api-€-asg', 'only characters from U+0020 to U+00FF (Latin-1)'],
    ['batch\u0001', '(U+0001)'],
  ])('fails when a forecastAndScale group is named %j, naming the field', (name, what) => {
    const problems = problemsOf(withTarget({ mode: 'forecastAndScale', autoScalingGroupName: name }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      `predictiveScaling.targets[0].autoScalingGroupName: received ${JSON.stringify(name)}; `,
    );
    expect(problems[0]).toContain(what);
    expect(problems[0]).toContain('forecastOnly');
  });

  it.each(['web[1]-café', 'batch(blue)-[1]', 'ÿ-asg$'])(
    'accepts the forecastAndScale group name %j: brackets that pair, Latin-1',
    (name) => {
      const config = parseAppConfig(withTarget({ mode: 'forecastAndScale', autoScalingGroupName: name }));
      expect(config.predictiveScaling.targets[0]?.autoScalingGroupName).toBe(name);
    },
  );

  it('accepts a scaledGroupTag and leaves it absent by default', () => {
    const tag = { key: 'team/selfheal:scaling', value: 'forecast and scale' };
    const withTag = { ...example, predictiveScaling: { ...example.predictiveScaling, scaledGroupTag: tag } };
    expect(parseAppConfig(withTag).predictiveScaling.scaledGroupTag).toEqual(tag);
    expect(parseAppConfig(example).predictiveScaling.scaledGroupTag).toBeUndefined();
  });

  it.each([
    [{ key: 'AWS:owner', value: 'x' }, 'scaledGroupTag.key: received "AWS:owner"; must not start with aws:'],
    [
      { key: 'team name', value: 'x' },
      'scaledGroupTag.key: received "team name"; letters, digits and _ . : / = + - @',
    ],
    [{ key: 'team', value: '' }, 'scaledGroupTag.value: received ""; letters, digits, spaces'],
    [{ key: 'team', value: 'café' }, 'scaledGroupTag.value: received "café"; letters, digits, spaces'],
    [{ key: 'team', value: 'x', Value: 'y' }, 'scaledGroupTag: unknown field(s) "Value"'],
  ])('fails when scaledGroupTag is %j, naming the field and the value', (tag, expected) => {
    const raw = { ...example, predictiveScaling: { ...example.predictiveScaling, scaledGroupTag: tag } };
    expect(problemsOf(raw).join('\n')).toContain(`predictiveScaling.${expected}`);
  });

  it('accepts any group name on a forecastOnly target', () => {
    const config = parseAppConfig(
      withTarget({ mode: 'forecastOnly', autoScalingGroupName: 'batch workers*' }),
    );
    expect(config.predictiveScaling.targets[0]?.autoScalingGroupName).toBe('batch workers*');
  });

  it('fails when a planning block is shorter than the metric period', () => {
    expect(problemsOf(withTarget({ blockMinutes: 15, periodSec: 3600 })).join('\n')).toContain(
      'predictiveScaling.targets[0].blockMinutes: received 15; blockMinutes must span at least one metric period',
    );
  });

  it.each([
    [
      { schedulingBufferSec: 3600 },
      'received 3600; schedulingBufferSec must be less than one planning block: blockMinutes 60 is 3600 s',
    ],
    [
      { schedulingBufferSec: 1200, blockMinutes: 15 },
      'received 1200; schedulingBufferSec must be less than one planning block: blockMinutes 15 is 900 s',
    ],
    [
      { schedulingBufferSec: 1800, blockMinutes: 30 },
      'received 1800; schedulingBufferSec must be less than one planning block: blockMinutes 30 is 1800 s',
    ],
  ])('fails when schedulingBufferSec is not shorter than a block: %j', (patch, expected) => {
    expect(problemsOf(withTarget(patch)).join('\n')).toContain(
      `predictiveScaling.targets[0].schedulingBufferSec: ${expected}`,
    );
  });

  it.each([
    [{ schedulingBufferSec: 3599 }],
    [{ schedulingBufferSec: 899, blockMinutes: 15, periodSec: 300 }],
    [{ schedulingBufferSec: 0, blockMinutes: 15 }],
  ])('accepts a schedulingBufferSec shorter than a block: %j', (patch) => {
    const config = parseAppConfig(withTarget(patch), 'test.json');
    expect(config.predictiveScaling.targets[0]?.schedulingBufferSec).toBe(patch.schedulingBufferSec);
  });

  it('checks schedulingBufferSec against blockMinutes even when another field is wrong', () => {
    const problems = problemsOf(withTarget({ targetValue: 0, schedulingBufferSec: 1200, blockMinutes: 15 }));
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('targets[0].schedulingBufferSec: received 1200;');
  });

  it.each([
    [{ type: 'predefined', metric: 'ASGTotalCPUUtilization' }, 300, undefined],
    [{ type: 'predefined', metric: 'ASGTotalCPUUtilization', instanceMonitoring: 'basic' }, 3600, 'basic'],
    [{ type: 'predefined', metric: 'ASGTotalNetworkIn', instanceMonitoring: 'detailed' }, 60, 'detailed'],
  ])('accepts %o at periodSec %i', (loadMetric, periodSec, monitoring) => {
    const config = parseAppConfig(withTarget({ loadMetric, periodSec, blockMinutes: 60 }), 'test.json');
    const metric = config.predictiveScaling.targets[0]?.loadMetric;
    expect(metric?.type === 'predefined' ? metric.instanceMonitoring : 'custom').toBe(monitoring);
  });

  it.each([
    [{ type: 'predefined', metric: 'ASGTotalCPUUtilization' }],
    [{ type: 'predefined', metric: 'ASGTotalNetworkOut', instanceMonitoring: 'basic' }],
  ])('fails when periodSec is shorter than basic monitoring publishes (%o)', (loadMetric) => {
    expect(problemsOf(withTarget({ loadMetric, periodSec: 60 })).join('\n')).toContain(
      "predictiveScaling.targets[0].periodSec: received 60; periodSec must be at least the instances' monitoring interval",
    );
  });

  it('fails when instanceMonitoring is not basic or detailed', () => {
    const loadMetric = {
      type: 'predefined',
      metric: 'ASGTotalCPUUtilization',
      instanceMonitoring: 'enhanced',
    };
    expect(problemsOf(withTarget({ loadMetric })).join('\n')).toContain(
      'predictiveScaling.targets[0].loadMetric.instanceMonitoring',
    );
  });

  it('fails when instanceMonitoring is set on the ALB request count', () => {
    const loadMetric = {
      type: 'predefined',
      metric: 'ALBTargetGroupRequestCount',
      resourceLabel: 'app/a/1/targetgroup/t/2',
      instanceMonitoring: 'detailed',
    };
    expect(problemsOf(withTarget({ loadMetric })).join('\n')).toContain(
      'instanceMonitoring applies to the ASGTotal* (AWS/EC2) metrics only',
    );
  });

  it('fails on a custom metric with two queries returning data', () => {
    const q = (Id: string) => ({
      Id,
      MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' }, Stat: 'Sum' },
    });
    const problems = problemsOf(
      withTarget({ loadMetric: { type: 'custom', metricDataQueries: [q('a'), q('b')] } }),
    );
    expect(problems.join('\n')).toContain('exactly one query must return data');
  });

  it.each([
    ['rate(1 hours)', 'EventBridge rejects this rate'],
    ['rate(30 minutes)', 'the forecaster must run once an hour'],
  ])('fails when the schedule is %s', (schedule, expected) => {
    const predictiveScaling = { ...example.predictiveScaling, schedule };
    expect(problemsOf({ ...example, predictiveScaling }).join('\n')).toContain(
      `predictiveScaling.schedule: received "${schedule}"; ${expected}`,
    );
  });

  describe('custom load metric queries', () => {
    const stat = (Unit?: string) => ({
      Metric: { Namespace: 'App', MetricName: 'Requests' },
      Stat: 'Sum',
      ...(Unit === undefined ? {} : { Unit }),
    });
    const custom = (...metricDataQueries: unknown[]) =>
      withTarget({ loadMetric: { type: 'custom', metricDataQueries } });

    it('accepts distinct Ids, a math expression and a CloudWatch unit', () => {
      const config = parseAppConfig(
        custom(
          { Id: 'a', MetricStat: stat('Count'), ReturnData: false },
          { Id: 'b', MetricStat: stat(), ReturnData: false },
          { Id: 'total', Expression: 'a + b' },
        ),
        'test.json',
      );
      expect(config.predictiveScaling.targets[0]?.loadMetric.type).toBe('custom');
    });

    it('fails when two queries share an Id, naming both', () => {
      const problems = problemsOf(
        custom({ Id: 'a', MetricStat: stat(), ReturnData: false }, { Id: 'a', Expression: 'a * 2' }),
      );
      expect(problems.join('\n')).toContain(
        'predictiveScaling.targets[0].loadMetric.metricDataQueries[1].Id: received "a"; duplicate query Id (also metricDataQueries[0].Id); GetMetricData needs unique Ids',
      );
    });

    it('fails when a unit is not a CloudWatch unit', () => {
      expect(problemsOf(custom({ Id: 'a', MetricStat: stat('requests') })).join('\n')).toContain(
        'predictiveScaling.targets[0].loadMetric.metricDataQueries[0].MetricStat.Unit: received "requests"; Invalid option: expected one of "Seconds"|',
      );
    });

    it('fails when an Id leaves no room for the per-target prefix', () => {
      const Id = `a${'b'.repeat(249)}`;
      expect(problemsOf(custom({ Id, MetricStat: stat() })).join('\n')).toMatch(
        /metricDataQueries\[0\]\.Id: received "ab+\.\.\.; at most 249 characters \(GetMetricData takes 255/,
      );
    });

    it.each([
      ['SUM(METRICS())'],
      ['SUM(METRICS("a"))'],
      ['SUM([METRICS("a"), METRICS("b")])'],
      [`SUM(SEARCH('{App} metrics()', 'Sum', 300))`],
    ])('accepts METRICS as CloudWatch takes it: %s', (Expression) => {
      const config = parseAppConfig(
        custom(
          { Id: 'a', MetricStat: stat(), ReturnData: false },
          { Id: 'b', MetricStat: stat(), ReturnData: false },
          { Id: 'total', Expression },
        ),
        'test.json',
      );
      expect(config.predictiveScaling.targets[0]?.loadMetric.type).toBe('custom');
    });

    it.each([
      [
        'SUM(metrics())',
        'received "SUM(metrics())"; metrics(): CloudWatch takes metric math functions in uppercase only; write METRICS',
      ],
      [
        'SUM(METRICS(a))',
        'received "SUM(METRICS(a))"; METRICS(a): METRICS takes no argument or one string in straight quotes',
      ],
      [
        'SUM(METRICS("total"))',
        'received "SUM(METRICS(\\"total\\"))"; METRICS("total") selects nothing: no MetricStat query Id of this load metric contains "total" (case-sensitive; MetricStat Ids: a, b); METRICS returns metrics, not expressions',
      ],
    ])('fails when METRICS cannot work: %s, naming the field and value', (Expression, expected) => {
      const problems = problemsOf(
        custom(
          { Id: 'a', MetricStat: stat(), ReturnData: false },
          { Id: 'b', MetricStat: stat(), ReturnData: false },
          { Id: 'total', Expression },
        ),
      );
      expect(problems.join('\n')).toContain(
        `predictiveScaling.targets[0].loadMetric.metricDataQueries[2].Expression: ${expected}`,
      );
    });

    it('fails when METRICS has no metric to return: every query is an expression', () => {
      const problems = problemsOf(
        custom(
          { Id: 'found', Expression: `SEARCH('{App} Requests', 'Sum', 300)`, ReturnData: false },
          { Id: 'total', Expression: 'SUM(METRICS())' },
        ),
      );
      expect(problems.join('\n')).toContain(
        'predictiveScaling.targets[0].loadMetric.metricDataQueries[1].Expression: received "SUM(METRICS())"; METRICS() selects nothing: no query of this load metric has a MetricStat',
      );
    });

    // API_Dimension: names and values "must contain only ASCII characters"
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html).
    it('fails when a dimension value is not ASCII, naming the target, the field and the value', () => {
      const Dimensions = [{ Name: 'Path', Value: '/café' }];
      const query = { Id: 'a', MetricStat: { ...stat(), Metric: { ...stat().Metric, Dimensions } } };
      expect(problemsOf(custom(query))).toEqual([
        'predictiveScaling.targets[0].loadMetric.metricDataQueries[0].MetricStat.Metric.Dimensions[0].Value: received "/café"; "é" (U+00E9) at character 5; CloudWatch takes only ASCII characters other than control characters in a dimension value',
      ]);
    });

    it('lists the units GetMetricData accepts, as the SDK does', () => {
      expect([...CLOUDWATCH_UNITS].sort()).toEqual(Object.values(StandardUnit).sort());
    });
  });

  it('names the source in the error message', () => {
    expect(() => parseAppConfig({}, 'cfg/prod.json')).toThrow(/invalid configuration in cfg\/prod.json/);
  });

  it('accepts an SNS topic ARN for the alarms', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:ops-alerts';
    expect(parseAppConfig({ ...example, alarmTopicArn: arn }).alarmTopicArn).toBe(arn);
  });

  it('fails when the metric namespace is reserved for AWS', () => {
    const predictiveScaling = { ...example.predictiveScaling, metricNamespace: 'AWS/EC2' };
    expect(problemsOf({ ...example, predictiveScaling }).join('\n')).toContain(
      'predictiveScaling.metricNamespace: received "AWS/EC2"; must not start with AWS/',
    );
  });

  it('fails when alarmTopicArn is a FIFO topic, which alarm actions cannot notify', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:ops-alerts.fifo';
    expect(problemsOf({ ...example, alarmTopicArn: arn }).join('\n')).toContain(
      `alarmTopicArn: received "${arn}"; must be a standard SNS topic: CloudWatch alarm actions cannot notify a FIFO topic`,
    );
  });

  it('fails when alarmTopicArn is not an SNS topic ARN', () => {
    expect(problemsOf({ ...example, alarmTopicArn: 'ops-alerts' }).join('\n')).toContain(
      'alarmTopicArn: received "ops-alerts"; expected an SNS topic ARN',
    );
  });
});
