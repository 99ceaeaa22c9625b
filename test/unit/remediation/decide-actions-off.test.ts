/**
 * decide() on alarms whose actions CloudWatch has switched off: muted by an alarm mute rule
 * (`muteDetail`; https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-mute-rules.html)
 * or, for a composite alarm, suppressed by its actions suppressor (`state.actionsSuppressedBy`;
 * CompositeAlarm in the CloudWatch API Reference). The samples are the CloudWatch User Guide's
 * ("Alarm events and EventBridge"); the muted one has its event time and state timestamp moved
 * into its own mute window (values only).
 */
import { describe, expect, it } from 'vitest';
import { actionsOffReason, decide, EMPTY_SNAPSHOT, parseEvent } from '../../../lambdas/core/remediation';
import { configWith, ENGINE, rawFixture } from './helpers';

const IN_WINDOW_SEC = Date.UTC(2026, 0, 1, 10, 30) / 1000;
const MUTE_RULE = 'arn:aws:cloudwatch:us-east-1:1234567890:alarm-mute-rule:testMute';

function alarm(raw: unknown) {
  const parsed = parseEvent(raw);
  if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${JSON.stringify(parsed)}`);
  return parsed;
}

/** The published single-metric sample, its state change at `stateTimestamp`. */
function singleMetricAt(stateTimestamp: string) {
  const raw = rawFixture('cloudwatch-alarm-single-metric.json') as {
    time: string;
    detail: { state: { timestamp: string } };
  };
  raw.time = `${stateTimestamp.slice(0, 19)}Z`;
  raw.detail.state.timestamp = stateTimestamp;
  return raw;
}

const RESTART = {
  id: 'restart-app',
  document: { shipped: 'restart-service' },
  parameters: { InstanceId: '{{resourceId}}', ServiceName: 'app' },
};
const BY_INSTANCE = {
  match: { alarmNamePattern: 'ServerCpuTooHigh' },
  resource: { from: 'dimension', dimension: 'InstanceId' },
};
const COMPOSITE = {
  match: { alarmNamePattern: 'ServiceAggregatedAlarm' },
  resource: { from: 'fixed', type: 'instance', id: 'i-0abc123def4567890' },
};

function decideIn(mode: string, raw: unknown, rule: object) {
  const config = configWith([{ ...RESTART, mode, ...rule }]);
  return decide({
    event: alarm(raw),
    rules: config.rules,
    config,
    snapshot: EMPTY_SNAPSHOT,
    nowSec: IN_WINDOW_SEC,
    engine: ENGINE,
  });
}

describe('decide on alarms whose actions CloudWatch mutes or suppresses', () => {
  it.each(['enforce', 'dryRun', 'observe'])(
    'starts, records and notifies nothing for an alarm muted by an alarm mute rule (%s)',
    (mode) => {
      const d = decideIn(mode, singleMetricAt('2026-01-01T10:30:00.000+0000'), BY_INSTANCE);

      // Before: 'start' (restart-service on i-12345678901234567) in the middle of the mute window.
      expect(d).toMatchObject({
        outcome: 'skip',
        ruleId: 'restart-app',
        resource: { id: 'i-12345678901234567' },
      });
      expect(d.reason).toBe(
        `alarm "ServerCpuTooHigh" is muted by alarm mute rule ${MUTE_RULE} (window 2026-01-01T10:00:00.000+0000 to 2026-01-01T12:00:00.000+0000, state changed 2026-01-01T10:30:00.000+0000); nothing is started`,
      );
    },
  );

  it.each(['enforce', 'dryRun', 'observe'])(
    'starts nothing for a composite alarm whose actions are suppressed (%s)',
    (mode) => {
      const d = decideIn(mode, rawFixture('cloudwatch-alarm-composite.json'), COMPOSITE);

      // Before: 'start', although the event says "Actions suppressed by WaitPeriod".
      expect(d).toMatchObject({ outcome: 'skip', ruleId: 'restart-app' });
      expect(d.reason).toBe(
        'actions of alarm "ServiceAggregatedAlarm" are suppressed by WaitPeriod (Actions suppressed by WaitPeriod; actions suppressor ServiceMaintenanceAlarm); nothing is started',
      );
    },
  );

  it.each([
    ['before its window', '2026-01-01T09:59:59.999+0000', 'start'],
    ['at its start', '2026-01-01T10:00:00.000+0000', 'skip'],
    ['in it, in another offset', '2026-01-01T13:59:00.000+0200', 'skip'],
    ['at its end', '2026-01-01T12:00:00.000+0000', 'start'],
  ])('holds a mute only for a state change inside its window (%s)', (_, at, outcome) => {
    expect(decideIn('enforce', singleMetricAt(at), BY_INSTANCE).outcome).toBe(outcome);
  });

  it('acts on the published single-metric sample, whose change (2019) is outside its mute window (2026)', () => {
    const event = alarm(rawFixture('cloudwatch-alarm-single-metric.json'));

    expect(event.muteDetail?.mutedByArn).toBe(MUTE_RULE);
    expect(actionsOffReason(event)).toBeUndefined();
  });

  it('still resolves on OK: a mute stops actions, not the bookkeeping of a return to OK', () => {
    const raw = rawFixture('cloudwatch-alarm-single-metric-ok.json') as { detail: Record<string, unknown> };
    raw.detail.muteDetail = {
      mutedByArn: MUTE_RULE,
      muteWindowStart: '2000-01-01T00:00:00.000+0000',
      muteWindowEnd: '2100-01-01T00:00:00.000+0000',
    };
    const config = configWith([{ ...RESTART, mode: 'enforce', ...BY_INSTANCE }]);
    const open = { remediationId: 'r-1', startedAtSec: IN_WINDOW_SEC - 60 };

    const d = decide({
      event: alarm(raw),
      rules: config.rules,
      config,
      snapshot: { ...EMPTY_SNAPSHOT, activeRemediationOnResource: open },
      nowSec: IN_WINDOW_SEC,
      engine: ENGINE,
    });

    expect(d.outcome).toBe('resolveCandidate');
  });
});
