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
});
