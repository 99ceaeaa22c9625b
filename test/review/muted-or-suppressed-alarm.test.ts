/**
 * Review: the engine remediates on alarms whose actions CloudWatch has muted or suppressed.
 * lambdas/core/remediation/alarm-event.ts drops `detail.muteDetail` and `detail.state.actionsSuppressedBy`
 * ("accepted and dropped"), so decide() never sees them.
 *
 * - Alarm mute rules (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-mute-rules.html)
 *   exist so that "during planned maintenance windows, you can prevent automated alarm actions while
 *   your systems are intentionally offline"; a muted alarm still changes state, and its event carries
 *   `muteDetail` (`mutedByArn`, `muteWindowStart`, `muteWindowEnd`) as in the User Guide's Single
 *   Metric Alarm sample ("Alarm events and EventBridge",
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
 * - A composite alarm's `state.actionsSuppressedBy` (WaitPeriod | ExtensionPeriod | Alarm) says its
 *   actions are suppressed by its actions suppressor
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_CompositeAlarm.html);
 *   the User Guide's Composite Alarm sample is such an event.
 *
 * Both samples are used as published; the muted one has its event time and state timestamp moved
 * into its own mute window (values only), so the mute is in force whichever way a fix reads it.
 */
import { describe, expect, it } from 'vitest';
import { decide, EMPTY_SNAPSHOT, parseEvent } from '../../lambdas/core/remediation';
import { configWith, ENGINE, rawFixture } from '../unit/remediation/helpers';

const IN_WINDOW_SEC = Date.UTC(2026, 0, 1, 10, 30) / 1000;

function alarm(raw: unknown) {
  const parsed = parseEvent(raw);
  if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${JSON.stringify(parsed)}`);
  return parsed;
}

function decideEnforced(raw: unknown, rule: object) {
  const config = configWith([
    {
      id: 'restart-app',
      document: { shipped: 'restart-service' },
      parameters: { InstanceId: '{{resourceId}}', ServiceName: 'app' },
      mode: 'enforce',
      ...rule,
    },
  ]);
  return decide({
    event: alarm(raw),
    rules: config.rules,
    config,
    snapshot: EMPTY_SNAPSHOT,
    nowSec: IN_WINDOW_SEC,
    engine: ENGINE,
  });
}

describe('alarms whose actions CloudWatch mutes or suppresses', () => {
  it('starts nothing for an alarm muted by an alarm mute rule (muteDetail)', () => {
    const raw = rawFixture('cloudwatch-alarm-single-metric.json') as {
      time: string;
      detail: { state: { timestamp: string }; muteDetail: { mutedByArn: string } };
    };
    raw.time = '2026-01-01T10:30:00Z';
    raw.detail.state.timestamp = '2026-01-01T10:30:00.000+0000';

    const d = decideEnforced(raw, {
      match: { alarmNamePattern: 'ServerCpuTooHigh' },
      resource: { from: 'dimension', dimension: 'InstanceId' },
    });

    // Today: 'start' (restart-service on i-12345678901234567) in the middle of the mute window.
    expect(d.outcome).not.toBe('start');
    expect(d.reason).toContain(raw.detail.muteDetail.mutedByArn);
  });

  it('starts nothing for a composite alarm whose actions are suppressed (actionsSuppressedBy)', () => {
    const raw = rawFixture('cloudwatch-alarm-composite.json');

    const d = decideEnforced(raw, {
      match: { alarmNamePattern: 'ServiceAggregatedAlarm' },
      resource: { from: 'fixed', type: 'instance', id: 'i-0abc123def4567890' },
    });

    // Today: 'start', although the event says "Actions suppressed by WaitPeriod".
    expect(d.outcome).not.toBe('start');
    expect(d.reason).toContain('WaitPeriod');
  });
});
