/**
 * Review: the `?` of an alarm-name glob ("one character", README `match.alarmNamePattern`) does not
 * match a character outside the Basic Multilingual Plane. lambdas/core/remediation/match.ts
 * (globToRegExp) compiles `?` to `.` in a RegExp without the `u` flag, where `.` matches one UTF-16
 * code unit, and such a character is two. Alarm names may hold any UTF-8 character but ASCII control
 * characters (PutMetricAlarm, AlarmName:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html), so a rule
 * `checkout-?-down` misses the alarm `checkout-🛒-down`, although its EventBridge pattern
 * (`{"wildcard": "checkout-*-down"}`) delivers it; the alarm is then skipped as matching no rule.
 */
import { describe, expect, it } from 'vitest';
import { globToRegExp, matchRule } from '../../lambdas/core/remediation';
import { alarmFixture, configWith } from '../unit/remediation/helpers';

const NAME = 'checkout-\u{1F6D2}-down';

describe('an alarm-name glob with ? against a character outside the BMP', () => {
  it('matches one such character with ?', () => {
    expect(globToRegExp('checkout-?-down').test(NAME)).toBe(true);
  });

  it('lets the rule match the alarm the EventBridge pattern delivered', () => {
    const alarm = { ...alarmFixture('cloudwatch-alarm-single-metric.json'), alarmName: NAME };
    const { rules } = configWith([
      {
        id: 'checkout',
        match: { alarmNamePattern: 'checkout-?-down' },
        resource: { from: 'dimension', dimension: 'InstanceId' },
        document: { shipped: 'restart-service' },
      },
    ]);

    expect(matchRule(alarm, rules).rule?.id).toBe('checkout');
  });
});
