import { describe, expect, it } from 'vitest';
import {
  type AlarmStateChange,
  decide,
  EMPTY_SNAPSHOT,
  globToRegExp,
  matchRule,
  parseEvent,
  resolveResource,
} from '../../../lambdas/core/remediation';
import { alarmFixture, configWith, ENGINE, NOW_SEC, rawFixture } from './helpers';

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
    expect(m.metrics?.map((x) => x.id)).toEqual(['30b6c6b2-a864-43a2-4877-c09a1afc3b87']);
    // One matching metric: no "(and N more)".
    expect(m.evaluations[0]?.reason).toBe(
      'metric AWS/EC2/CPUUtilization (id 30b6c6b2-a864-43a2-4877-c09a1afc3b87) matches',
    );
  });

  it('matches a metric-math alarm on a metric feeding the expression', () => {
    const m = matchRule(math, rules({ metricName: 'NetworkOut' }));

    expect(m.metrics?.map((x) => x.id)).toEqual(['m2']);
  });

  it('requires namespace, metric and dimensions to hold for the same metric', () => {
    const m = matchRule(math, rules({ metricName: 'NetworkIn', dimensions: { InstanceId: 'i-other' } }));

    expect(m.rule).toBeUndefined();
    expect(m.evaluations[0]?.reason).toBe(
      'no metric of the alarm is NetworkIn with dimensions {"InstanceId":"i-other"}',
    );
  });

  it('names only the namespace and metric a rule without dimensions wanted', () => {
    const m = matchRule(math, rules({ namespace: 'AWS/EBS', metricName: 'VolumeQueueLength' }));

    expect(m.rule).toBeUndefined();
    expect(m.evaluations[0]?.reason).toBe('no metric of the alarm is AWS/EBS/VolumeQueueLength');
  });

  it('matches an anomaly detection alarm on the metric behind the band expression', () => {
    const anomaly = alarmFixture('cloudwatch-alarm-anomaly-detection.json');

    const m = matchRule(
      anomaly,
      rules({ alarmNamePattern: 'EC2 CPU *', namespace: 'AWS/EC2', metricName: 'CPUUtilization' }),
    );

    expect(m.metrics?.map((x) => x.id)).toEqual(['m1']);
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
      dimension: 'InstanceId',
      values: [],
      reason:
        'rule r0 takes the resource from dimension InstanceId, but the dimension is empty ("") in alarm "ServerCpuTooHigh"; nothing to act on',
    });
  });

  it('says no such dimension when the alarm lacks it', () => {
    if (byDim === undefined) throw new Error('no rule');

    expect(resolveResource(byDim, { ...single, metrics: [] })).toMatchObject({
      ok: false,
      dimension: 'InstanceId',
      values: [],
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

/**
 * The published Metric Math Alarm sample (`SUM(METRICS())` over m1 and m2) with m2 on a second
 * instance: values changed, no field added. The event says the expression crossed the threshold,
 * never which metric drove it.
 */
describe('a metric-math alarm whose metrics name several instances', () => {
  const FIRST = 'i-12345678901234567';
  const SECOND = 'i-0abc123def4567890';

  function twoInstanceAlarm(): AlarmStateChange {
    const raw = rawFixture('cloudwatch-alarm-metric-math.json') as {
      detail: {
        configuration: { metrics: { id: string; metricStat?: { metric: { dimensions: object } } }[] };
      };
    };
    const m2 = raw.detail.configuration.metrics.find((m) => m.id === 'm2');
    if (m2?.metricStat === undefined) throw new Error('fixture has no m2');
    m2.metricStat.metric.dimensions = { InstanceId: SECOND };
    const parsed = parseEvent(raw);
    if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${JSON.stringify(parsed)}`);
    return parsed;
  }

  const decideEnforced = (match: object) => {
    const config = configWith([
      {
        ...base,
        id: 'restart-app',
        match,
        parameters: { InstanceId: '{{resourceId}}', ServiceName: 'app' },
        mode: 'enforce',
      },
    ]);
    return decide({
      event: twoInstanceAlarm(),
      rules: config.rules,
      config,
      snapshot: EMPTY_SNAPSHOT,
      nowSec: NOW_SEC,
      engine: ENGINE,
    });
  };

  it.each([
    ['a name-only rule', { alarmNamePattern: 'TotalNetworkTraffic*' }],
    ['a namespace rule', { namespace: 'AWS/EC2' }],
    ['a wildcard-dimension rule', { dimensions: { InstanceId: '*' } }],
  ])('is not remediated on one of them picked by position, but escalated (%s)', (_, match) => {
    const d = decideEnforced(match);

    // Before: outcome 'start' on FIRST, though SECOND may be the one that breached; then a
    // silent skip. Now a human is told, with both values and the alarm's metrics.
    expect(d.outcome).toBe('escalate');
    expect(d).toMatchObject({
      ruleId: 'restart-app',
      resource: { type: 'unresolved', id: '(unresolved) alarm "TotalNetworkTrafficTooHigh"' },
      unresolved: { dimension: 'InstanceId', values: [FIRST, SECOND] },
    });
    expect(d).not.toHaveProperty('request');
    expect(d.reason).toBe(
      `rule restart-app takes the resource from dimension InstanceId, but the metrics of alarm "TotalNetworkTrafficTooHigh" name 2 different values: ${FIRST} (metric m1), ${SECOND} (metric m2); the alarm does not say which crossed the threshold, so nothing is acted on (pin the rule to one metric, or give a fixed resource)`,
    );
  });

  it.each([
    ['its metric name', { metricName: 'NetworkOut' }, SECOND],
    ['its instance', { dimensions: { InstanceId: FIRST } }, FIRST],
  ])('is remediated on the one instance of a rule that pins one metric by %s', (_, match, id) => {
    const d = decideEnforced(match);

    expect(d.outcome).toBe('start');
    expect(d).toMatchObject({ resource: { id } });
  });

  it('is remediated on the one instance when every metric names the same one', () => {
    const [rule] = rules({ alarmNamePattern: '*' });
    if (rule === undefined) throw new Error('no rule');

    expect(resolveResource(rule, alarmFixture('cloudwatch-alarm-metric-math.json'))).toMatchObject({
      ok: true,
      resource: { id: FIRST },
    });
  });
});
