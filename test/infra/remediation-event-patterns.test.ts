import { describe, expect, it } from 'vitest';
import { matchRule } from '../../lambdas/core/remediation';
import { alarmNameMatcher, alarmStatePattern } from '../../lib/constructs/remediation-event-patterns';
import { alarmFixture, configWith, rawFixture } from '../unit/remediation/helpers';

/** The stack's account and Region (the AWS sample events' own). */
const HOME = { account: '123456789012', region: 'us-east-1' };

describe('remediation event patterns', () => {
  it("matches only alarms of the stack's own account and Region", () => {
    // The envelope's `account` and `region` say where the alarm is; a default bus may receive
    // other accounts' events:
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/events/CloudWatchEvents-CrossAccountEventDelivery.html
    const pattern = alarmStatePattern([{ alarmNamePattern: 'disk-*' }], 'OK', HOME);

    expect(pattern).toMatchObject({ account: ['123456789012'], region: ['us-east-1'] });
  });

  it.each([
    ['disk-full-prod', 'disk-full-prod'],
    ['disk-full-*', { prefix: 'disk-full-' }],
    ['disk-full-**', { prefix: 'disk-full-' }],
    ['*-disk-full', { wildcard: '*-disk-full' }],
    ['web-?-status', { wildcard: 'web-*-status' }],
    ['a\\b*c', { wildcard: 'a\\\\b*c' }],
  ])('matches the alarm-name glob %j with %j', (glob, matcher) => {
    expect(alarmNameMatcher(glob)).toEqual(matcher);
  });

  it('matches rules without a name pattern on the metric, in an $or with the names', () => {
    const pattern = alarmStatePattern(
      [{ alarmNamePattern: 'disk-*' }, { namespace: 'CWAgent', metricName: 'mem_used_percent' }],
      'ALARM',
      HOME,
    );
    expect(pattern.detail).toEqual({
      $or: [
        { alarmName: [{ prefix: 'disk-' }] },
        {
          configuration: {
            metrics: { metricStat: { metric: { namespace: ['CWAgent'], name: ['mem_used_percent'] } } },
          },
        },
      ],
      state: { value: ['ALARM'] },
    });
  });

  it.each([
    ['a dimension value', { AutoScalingGroupName: 'web-asg' }, ['web-asg']],
    ['a wildcard dimension', { InstanceId: '*' }, [{ exists: true }]],
  ])(
    'filters a rule that matches on dimensions only on the dimension (%s), not on every alarm of the state',
    (_, dimensions, matcher) => {
      const pattern = alarmStatePattern([{ alarmNamePattern: 'disk-*' }, { dimensions }], 'OK', HOME);

      // Before: { state: { value: ['OK'] } }, every alarm of the account and Region back to OK.
      const [name] = Object.keys(dimensions);
      expect(pattern.detail).toEqual({
        $or: [
          { alarmName: [{ prefix: 'disk-' }] },
          {
            configuration: {
              metrics: { metricStat: { metric: { dimensions: { [name ?? '']: matcher } } } },
            },
          },
        ],
        state: { value: ['OK'] },
      });
    },
  );

  it('filters a metric rule on its dimensions too', () => {
    const pattern = alarmStatePattern(
      [{ namespace: 'AWS/EC2', dimensions: { InstanceId: '*', AutoScalingGroupName: 'web-asg' } }],
      'ALARM',
      HOME,
    );
    expect(pattern.detail).toEqual({
      configuration: {
        metrics: {
          metricStat: {
            metric: {
              namespace: ['AWS/EC2'],
              dimensions: { InstanceId: [{ exists: true }], AutoScalingGroupName: ['web-asg'] },
            },
          },
        },
      },
      state: { value: ['ALARM'] },
    });
  });

  // The pattern is a pre-filter: every alarm a rule matches must get through it.
  it.each([
    ['cloudwatch-alarm-single-metric.json', { dimensions: { InstanceId: '*' } }],
    ['cloudwatch-alarm-single-metric.json', { dimensions: { InstanceId: 'i-12345678901234567' } }],
    ['cloudwatch-alarm-metric-math.json', { metricName: 'NetworkOut', dimensions: { InstanceId: '*' } }],
    ['cloudwatch-alarm-anomaly-detection.json', { namespace: 'AWS/EC2', dimensions: { InstanceId: '*' } }],
  ])('lets the published %s through for the rule %j that matches it', (file, match) => {
    const event = rawFixture(file) as { detail: object };
    const rule = configWith([{ ...RULE, match }]).rules;
    expect(matchRule(alarmFixture(file), rule).rule).toBeDefined();

    expect(patternMatches(alarmStatePattern([match], 'ALARM', HOME).detail, event.detail)).toBe(true);
  });

  it.each([
    ['another instance', 'cloudwatch-alarm-single-metric.json', { dimensions: { InstanceId: 'i-other' } }],
    [
      'a dimension it lacks',
      'cloudwatch-alarm-single-metric.json',
      { dimensions: { AutoScalingGroupName: '*' } },
    ],
    ['a composite alarm', 'cloudwatch-alarm-composite.json', { dimensions: { InstanceId: '*' } }],
  ])('keeps out an alarm on %s for a dimensions-only rule', (_, file, match) => {
    const event = rawFixture(file) as { detail: object };

    expect(patternMatches(alarmStatePattern([match], 'ALARM', HOME).detail, event.detail)).toBe(false);
  });
});

const RULE = {
  id: 'r',
  resource: { from: 'dimension', dimension: 'InstanceId' },
  document: { shipped: 'restart-service' },
};

/**
 * EventBridge content filtering for the matchers these tests meet (exact, prefix, exists, $or),
 * stricter than EventBridge on arrays of objects: a nested pattern must hold within
 * one element. Enough to show a pattern lets an event through.
 */
function patternMatches(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) {
    const values = Array.isArray(event) ? event : [event];
    return pattern.some((m) => values.some((v) => leafMatches(m, v)));
  }
  if (Array.isArray(event)) return event.some((e) => patternMatches(pattern, e));
  if (pattern === null || typeof pattern !== 'object') return false;
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === '$or') return (sub as unknown[]).some((branch) => patternMatches(branch, event));
    const value =
      event !== null && typeof event === 'object' ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(sub) && sub.some((m) => typeof m === 'object' && m !== null && 'exists' in m)) {
      return value !== undefined;
    }
    return value !== undefined && patternMatches(sub, value);
  });
}

function leafMatches(matcher: unknown, value: unknown): boolean {
  if (typeof matcher === 'string') return value === matcher;
  if (typeof value !== 'string' || matcher === null || typeof matcher !== 'object') return false;
  if ('prefix' in matcher) return value.startsWith(String(matcher.prefix));
  return false;
}
