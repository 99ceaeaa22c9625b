import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { automationOutcome, parseEvent } from '../../../lambdas/core/remediation';
import { rawFixture } from './helpers';

describe('parseEvent', () => {
  it.each([
    ['cloudwatch-alarm-single-metric.json', 'metric', 'ServerCpuTooHigh', 1],
    ['cloudwatch-alarm-metric-math.json', 'metric', 'TotalNetworkTrafficTooHigh', 3],
    ['cloudwatch-alarm-anomaly-detection.json', 'metric', 'EC2 CPU Utilization Anomaly', 2],
    ['cloudwatch-alarm-composite.json', 'composite', 'ServiceAggregatedAlarm', 0],
  ])('parses the published %s sample as a %s alarm', (file, alarmType, alarmName, metrics) => {
    const event = parseEvent(rawFixture(file));

    expect(event.kind).toBe('alarmStateChange');
    if (event.kind !== 'alarmStateChange') return;
    expect(event).toMatchObject({ alarmType, alarmName, account: '123456789012', region: 'us-east-1' });
    expect(event.state.value).toBe('ALARM');
    expect(event.metrics).toHaveLength(metrics);
  });

  it('keeps the event id, ARN, states and metric dimensions of a single-metric alarm', () => {
    const event = parseEvent(rawFixture('cloudwatch-alarm-single-metric.json'));

    expect(event).toMatchObject({
      eventId: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
      alarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
      previousState: { value: 'OK', timestamp: '2019-10-01T13:56:40.987+0000' },
      metrics: [
        {
          metricStat: {
            metric: {
              namespace: 'AWS/EC2',
              name: 'CPUUtilization',
              dimensions: { InstanceId: 'i-12345678901234567' },
            },
          },
        },
      ],
    });
  });

  it('parses a return to OK', () => {
    const event = parseEvent(rawFixture('cloudwatch-alarm-single-metric-ok.json'));

    expect(event).toMatchObject({
      kind: 'alarmStateChange',
      state: { value: 'OK' },
      previousState: { value: 'ALARM' },
    });
  });

  it('keeps the alarm rule of a composite alarm', () => {
    const event = parseEvent(rawFixture('cloudwatch-alarm-composite.json'));

    expect(event).toMatchObject({
      alarmRule: 'ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)',
    });
  });

  it('tolerates fields AWS adds later but keeps only the typed ones', () => {
    const raw = rawFixture('cloudwatch-alarm-single-metric.json') as { detail: Record<string, unknown> };
    raw.detail.someFutureField = { x: 1 };

    const event = parseEvent(raw);

    expect(event.kind).toBe('alarmStateChange');
    expect(JSON.stringify(event)).not.toContain('someFutureField');
  });

  it.each([
    ['ssm-automation-execution-success.json', 'Success', 'succeeded'],
    ['ssm-automation-execution-failed.json', 'Failed', 'failed'],
    ['ssm-automation-execution-timed-out.json', 'TimedOut', 'timedOut'],
    ['ssm-automation-execution-cancelled.json', 'Cancelled', 'cancelled'],
  ])('parses the automation status change %s (%s → %s)', (file, status, outcome) => {
    const event = parseEvent(rawFixture(file));

    expect(event).toMatchObject({
      kind: 'automationStatusChange',
      executionId: '333ba70b-2333-48db-b17e-a5e69c6f4d1c',
      documentName: 'runcommand1',
      status,
    });
    if (event.kind === 'automationStatusChange') expect(automationOutcome(event.status)).toBe(outcome);
  });

  it('treats an in-progress automation as still running', () => {
    expect(automationOutcome('InProgress')).toBe('running');
  });

  it('names another kind of event and why it is not acted on', () => {
    const result = parseEvent(rawFixture('ec2-instance-state-change.json'));

    expect(result).toEqual({
      kind: 'rejected',
      reason: 'otherKind',
      source: 'aws.ec2',
      detailType: 'EC2 Instance State-change Notification',
      message: 'an EC2 Instance State-change Notification from aws.ec2: not an alarm state change',
    });
  });

  it.each([
    [
      'malformed-alarm-state-value.json',
      'detail.state.value: received "BROKEN"; expected ALARM | OK | INSUFFICIENT_DATA',
    ],
    ['malformed-alarm-missing-name.json', 'detail.alarmName: missing; required (string)'],
  ])('fails on %s naming the field', (file, message) => {
    expect(parseEvent(rawFixture(file))).toMatchObject({ kind: 'rejected', reason: 'invalid', message });
  });

  it.each([
    [null, 'expected a JSON object, got null'],
    [[1], 'got an array'],
    [{ id: 'x' }, 'missing or non-string detail-type and source'],
  ])('fails on a non-event %j', (raw, message) => {
    const result = parseEvent(raw);

    expect(result).toMatchObject({ kind: 'rejected', reason: 'invalid' });
    if (result.kind === 'rejected') expect(result.message).toContain(message);
  });

  it('fails on an automation event with an unknown status', () => {
    const raw = rawFixture('ssm-automation-execution-success.json') as { detail: Record<string, unknown> };
    raw.detail.Status = 'Exploded';

    expect(parseEvent(raw)).toMatchObject({
      reason: 'invalid',
      message: expect.stringMatching(/^detail\.Status: received "Exploded"/),
    });
  });

  it('fails on a metric alarm whose configuration has neither metrics nor alarmRule', () => {
    const raw = rawFixture('cloudwatch-alarm-single-metric.json') as { detail: { configuration: object } };
    raw.detail.configuration = { description: 'x' };

    expect(parseEvent(raw)).toMatchObject({
      reason: 'invalid',
      message: expect.stringContaining('detail.configuration: received'),
    });
  });

  it.each(
    readdirSync(new URL('../../fixtures/events/', import.meta.url)).filter(
      (name) => name.endsWith('.json') && !name.startsWith('malformed-'),
    ),
  )('still reads the sample %s as a valid event', (file) => {
    const result = parseEvent(rawFixture(file));

    expect(result.kind === 'rejected' ? result.reason : result.kind).not.toBe('invalid');
  });

  it.each([
    ['2019-10-02T17:20:48.551+0000', 'CloudWatch samples: fraction, offset without a colon'],
    ['2019-10-02T17:20:48.551+00:00', 'offset with a colon'],
    ['2019-10-02T17:20:48Z', 'Z without a fraction'],
    ['2019-10-02T17:20:48.5-0530', 'negative offset'],
    ['2024-02-29T23:59:59.999+0000', 'leap day, last second of the day'],
    ['2000-02-29T00:00:00Z', 'leap day of a year divisible by 400'],
  ])('accepts the state timestamp %s (%s)', (value) => {
    const raw = rawFixture('cloudwatch-alarm-single-metric.json') as { detail: { state: object } };
    raw.detail.state = { ...raw.detail.state, timestamp: value };

    expect(parseEvent(raw)).toMatchObject({ kind: 'alarmStateChange', state: { timestamp: value } });
  });

  it.each([
    ['state', '2019-13-02T17:20:48.551+0000', 'month 13 does not exist (01-12)'],
    ['state', '2019-00-02T17:20:48.551+0000', 'month 00 does not exist (01-12)'],
    ['state', '2019-02-29T17:20:48.551+0000', 'day 29 does not exist in 2019-02 (01-28)'],
    ['state', '1900-02-29T17:20:48.551+0000', 'day 29 does not exist in 1900-02 (01-28)'],
    ['state', '2019-04-31T17:20:48.551+0000', 'day 31 does not exist in 2019-04 (01-30)'],
    ['state', '2019-10-00T17:20:48.551+0000', 'day 00 does not exist in 2019-10 (01-31)'],
    ['state', '2019-10-02T24:00:00.000+0000', 'hour 24 does not exist (00-23)'],
    ['previousState', '2019-10-02T17:60:48.551+0000', 'minute 60 does not exist (00-59)'],
    ['previousState', '2019-10-02T17:20:60.551+0000', 'second 60 does not exist (00-59)'],
    [
      'previousState',
      '2019-10-02T17:20:48.551+2400',
      'offset +2400 is not a time offset (hours 00-23, minutes 00-59)',
    ],
    [
      'previousState',
      '2019-10-02 17:20:48',
      'expected an ISO 8601 timestamp such as 2019-10-02T17:20:48.551+0000',
    ],
  ])(
    'fails on detail.%s.timestamp %s naming the field, the value and the impossible part',
    (field, value, problem) => {
      const raw = rawFixture('cloudwatch-alarm-single-metric.json') as { detail: Record<string, object> };
      raw.detail[field] = { ...raw.detail[field], timestamp: value };

      expect(parseEvent(raw)).toEqual({
        kind: 'rejected',
        reason: 'invalid',
        source: 'aws.cloudwatch',
        detailType: 'CloudWatch Alarm State Change',
        message: `detail.${field}.timestamp: received "${value}"; ${problem}`,
      });
    },
  );

  it('keeps the muteDetail of the published single-metric sample', () => {
    const event = parseEvent(rawFixture('cloudwatch-alarm-single-metric.json'));

    expect(event).toMatchObject({
      muteDetail: {
        mutedByArn: 'arn:aws:cloudwatch:us-east-1:1234567890:alarm-mute-rule:testMute',
        muteWindowStart: '2026-01-01T10:00:00.000+0000',
        muteWindowEnd: '2026-01-01T12:00:00.000+0000',
      },
    });
  });

  it('keeps the actions suppression and suppressor of the published composite sample', () => {
    const event = parseEvent(rawFixture('cloudwatch-alarm-composite.json'));

    expect(event).toMatchObject({
      state: {
        actionsSuppressedBy: 'WaitPeriod',
        actionsSuppressedReason: 'Actions suppressed by WaitPeriod',
      },
      actionsSuppressor: 'ServiceMaintenanceAlarm',
    });
  });

  it.each([
    [
      'detail.state.actionsSuppressedBy',
      (d: Record<string, Record<string, unknown>>) => {
        d.state = { ...d.state, actionsSuppressedBy: 'Maintenance' };
      },
      'received "Maintenance"; expected WaitPeriod | ExtensionPeriod | Alarm',
    ],
    [
      'detail.muteDetail.muteWindowEnd',
      (d: Record<string, Record<string, unknown>>) => {
        d.muteDetail = { ...d.muteDetail, muteWindowEnd: '2026-01-01T25:00:00.000+0000' };
      },
      'received "2026-01-01T25:00:00.000+0000"',
    ],
  ])('fails on a %s it cannot read, naming the field and the value', (field, patch, message) => {
    const raw = rawFixture('cloudwatch-alarm-single-metric.json') as {
      detail: Record<string, Record<string, unknown>>;
    };
    patch(raw.detail);

    expect(parseEvent(raw)).toMatchObject({
      reason: 'invalid',
      message: expect.stringContaining(`${field}: ${message}`),
    });
  });

  it('fails on an event time that does not exist, naming it', () => {
    const raw = rawFixture('cloudwatch-alarm-single-metric.json') as { time: string };
    raw.time = '2019-13-02T17:20:48Z';

    expect(parseEvent(raw)).toMatchObject({
      reason: 'invalid',
      message: 'time: received "2019-13-02T17:20:48Z"; expected an ISO 8601 UTC time',
    });
  });
});
