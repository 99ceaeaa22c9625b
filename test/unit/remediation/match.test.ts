import { describe, expect, it } from 'vitest';
import {
  type AlarmStateChange,
  globToRegExp,
  matchRule,
  resolveResource,
} from '../../../lambdas/core/remediation';
import { alarmFixture, configWith } from './helpers';

const base = {
  resource: { from: 'dimension', dimension: 'InstanceId' },
  document: { shipped: 'restart-service' },
};
const rules = (...matches: object[]) =>
  configWith(matches.map((match, i) => ({ ...base, id: `r${i}`, match }))).rules;

describe('globToRegExp', () => {
  it.each([
    ['disk-full-*', 'disk-full-web-1', true],
    ['disk-full-*', 'xdisk-full-web-1', false],
    ['web-?', 'web-1', true],
    ['web-?', 'web-10', false],
    ['a.b(c)*', 'a.b(c)d', true],
    ['a.b', 'axb', false],
    ['EC2 CPU*', 'EC2 CPU Utilization Anomaly', true],
    // Alarm names may hold any UTF-8 character (PutMetricAlarm, AlarmName); an emoji is one
    // character but two UTF-16 code units.
    ['checkout-?-down', 'checkout-\u{1F6D2}-down', true],
    ['checkout-??-down', 'checkout-\u{1F6D2}-down', false],
    ['web-[1]-(a|b)', 'web-[1]-(a|b)', true],
  ])('%s against %s → %s', (glob, name, expected) => {
    expect(globToRegExp(glob).test(name)).toBe(expected);
  });
});

describe('matchRule', () => {
  const single = alarmFixture('cloudwatch-alarm-single-metric.json');
  const math = alarmFixture('cloudwatch-alarm-metric-math.json');
  const composite = alarmFixture('cloudwatch-alarm-composite.json');

  it('matches a single-metric alarm on namespace, metric and a wildcard dimension', () => {
    const m = matchRule(
      single,
      rules({ namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: { InstanceId: '*' } }),
    );

    expect(m.rule?.id).toBe('r0');
    expect(m.metric?.id).toBe('30b6c6b2-a864-43a2-4877-c09a1afc3b87');
  });

  it('matches a metric-math alarm on a metric feeding the expression', () => {
    const m = matchRule(math, rules({ metricName: 'NetworkOut' }));

    expect(m.metric?.id).toBe('m2');
  });

  it('requires namespace, metric and dimensions to hold for the same metric', () => {
    const m = matchRule(math, rules({ metricName: 'NetworkIn', dimensions: { InstanceId: 'i-other' } }));

    expect(m.rule).toBeUndefined();
    expect(m.evaluations[0]?.reason).toContain('no metric of the alarm is NetworkIn');
  });

  it('matches an anomaly detection alarm on the metric behind the band expression', () => {
    const anomaly = alarmFixture('cloudwatch-alarm-anomaly-detection.json');

    const m = matchRule(
      anomaly,
      rules({ alarmNamePattern: 'EC2 CPU *', namespace: 'AWS/EC2', metricName: 'CPUUtilization' }),
    );

    expect(m.metric?.id).toBe('m1');
  });

  it('matches a composite alarm by name only, never by metric fields', () => {
    expect(matchRule(composite, rules({ alarmNamePattern: 'Service*' })).rule?.id).toBe('r0');
    const byMetric = matchRule(composite, rules({ alarmNamePattern: 'Service*', namespace: 'AWS/EC2' }));
    expect(byMetric.rule).toBeUndefined();
    expect(byMetric.evaluations[0]?.reason).toContain('composite alarm has no metrics');
  });

  it('matches a ? in the alarm-name glob against a character outside the BMP, as the EventBridge pattern delivers it', () => {
    const alarm = { ...single, alarmName: 'checkout-\u{1F6D2}-down' };

    expect(matchRule(alarm, rules({ alarmNamePattern: 'checkout-?-down' })).rule?.id).toBe('r0');
  });

  it('lets the first matching rule win and stops evaluating', () => {
    const m = matchRule(
      single,
      rules({ alarmNamePattern: 'Nope*' }, { alarmNamePattern: 'Server*' }, { namespace: 'AWS/EC2' }),
    );

    expect(m.rule?.id).toBe('r1');
    expect(m.evaluations.map((e) => [e.ruleId, e.matched])).toEqual([
      ['r0', false],
      ['r1', true],
    ]);
  });
});

describe('resolveResource', () => {
  const single = alarmFixture('cloudwatch-alarm-single-metric.json');
  const composite = alarmFixture('cloudwatch-alarm-composite.json');
  const [byDim] = rules({ alarmNamePattern: '*' });

  it('takes the id from the dimension of the alarm metric', () => {
    if (byDim === undefined) throw new Error('no rule');
    expect(resolveResource(byDim, single)).toEqual({
      ok: true,
      resource: {
        type: 'instance',
        id: 'i-12345678901234567',
        dimensions: { InstanceId: 'i-12345678901234567' },
      },
    });
  });

  it('uses a fixed resource as configured', () => {
    const [fixed] = configWith([
      {
        ...base,
        id: 'f',
        match: { alarmNamePattern: '*' },
        resource: { from: 'fixed', type: 'autoScalingGroup', id: 'web-asg' },
      },
    ]).rules;
    if (fixed === undefined) throw new Error('no rule');

    expect(resolveResource(fixed, composite)).toMatchObject({
      ok: true,
      resource: { type: 'autoScalingGroup', id: 'web-asg' },
    });
  });

  it('explains that a composite alarm has no dimension to take the resource from', () => {
    if (byDim === undefined) throw new Error('no rule');
    expect(resolveResource(byDim, composite)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('composite alarm has no dimensions'),
    });
  });

  const withInstance = (...ids: string[]): AlarmStateChange => {
    const first = single.metrics[0];
    const stat = first?.metricStat;
    if (first === undefined || stat === undefined) throw new Error('no metric');
    const metrics = ids.map((InstanceId, i) => ({
      ...first,
      id: `m${i}`,
      metricStat: { ...stat, metric: { ...stat.metric, dimensions: { InstanceId } } },
    }));
    return { ...single, metrics };
  };

  it('says the dimension is empty, not absent, when its value is ""', () => {
    if (byDim === undefined) throw new Error('no rule');

    expect(resolveResource(byDim, withInstance(''))).toEqual({
      ok: false,
      reason:
        'rule r0 takes the resource from dimension InstanceId, but the dimension is empty ("") in alarm "ServerCpuTooHigh"; nothing to act on',
    });
  });

  it('says no such dimension when the alarm lacks it', () => {
    if (byDim === undefined) throw new Error('no rule');

    expect(resolveResource(byDim, { ...single, metrics: [] })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('but alarm "ServerCpuTooHigh" has none (no such dimension)'),
    });
  });

  it('lets a name-only rule take the first metric whose dimension is not empty', () => {
    if (byDim === undefined) throw new Error('no rule');

    expect(resolveResource(byDim, withInstance('', 'i-0abc123def4567890'))).toMatchObject({
      ok: true,
      resource: { id: 'i-0abc123def4567890' },
    });
  });
});
