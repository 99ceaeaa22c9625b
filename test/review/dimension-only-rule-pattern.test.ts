/**
 * Review: a rule that matches on dimensions only (e.g. `{"dimensions": {"AutoScalingGroupName":
 * "web-asg"}}`, "any alarm on my web group") makes the EventBridge rules deliver every alarm state
 * change in the account and Region (lib/constructs/remediation-event-patterns.ts, alarmStatePattern:
 * `everyAlarm ? {} : …`), to ALARM for the alarm handler and back to OK for the verification handler.
 * Every other alarm is then refused by the matcher (lambdas/core/remediation/match.ts), after the
 * alarm handler has written an event claim to the ledger and both handlers have logged a decision
 * and emitted a `skipped` metric: one Lambda invocation and ledger call per unrelated alarm change,
 * composite alarms (which have no metrics, so never match a dimension) included.
 *
 * EventBridge can filter on the dimension itself: the alarm's `configuration.metrics[].metricStat.
 * metric.dimensions.<Name>` is a leaf of the event (CloudWatch User Guide, "Alarm events and
 * EventBridge", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html),
 * matched by value, or by `{"exists": true}` for `*` (EventBridge User Guide, "Content filtering",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/content-filtering-with-event-patterns.html).
 */
import { describe, expect, it } from 'vitest';
import { alarmStatePattern } from '../../lib/constructs/remediation-event-patterns';

describe('the event pattern of a rule that matches on dimensions only', () => {
  it.each([
    ['a dimension value', { AutoScalingGroupName: 'web-asg' }, 'web-asg'],
    ['a wildcard dimension', { InstanceId: '*' }, 'exists'],
  ])('filters on the dimension (%s), not on every alarm of the state', (_, dimensions, filter) => {
    const pattern = alarmStatePattern([{ alarmNamePattern: 'disk-*' }, { dimensions }], 'ALARM');

    // Today: detail is { state: { value: ['ALARM'] } }, every alarm to ALARM in the account.
    expect(pattern.detail).not.toEqual({ state: { value: ['ALARM'] } });
    const text = JSON.stringify(pattern.detail);
    expect(text).toContain(`"${Object.keys(dimensions)[0]}"`);
    expect(text).toContain(filter);
  });
});
