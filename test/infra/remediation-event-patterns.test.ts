import { describe, expect, it } from 'vitest';
import { alarmNameMatcher, alarmStatePattern } from '../../lib/constructs/remediation-event-patterns';

describe('remediation event patterns', () => {
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

  it('matches every alarm of the state when a rule matches on dimensions only', () => {
    const pattern = alarmStatePattern(
      [{ alarmNamePattern: 'disk-*' }, { dimensions: { InstanceId: '*' } }],
      'OK',
    );
    expect(pattern.detail).toEqual({ state: { value: ['OK'] } });
  });
});
