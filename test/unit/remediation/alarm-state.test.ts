/**
 * CloudWatchAlarmState reads an alarm by name with DescribeAlarms, in its own account and Region;
 * its answer carries each alarm's AlarmArn
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_CompositeAlarm.html).
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchAlarmState } from '../../../lambdas/adapters/alarm-state';

const cw = mockClient(CloudWatchClient);
const HOME_ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:disk-full-web-1';
const OTHER_ARN = 'arn:aws:cloudwatch:us-east-1:210987654321:alarm:disk-full-web-1';
const reader = () => new CloudWatchAlarmState(new CloudWatchClient({ region: 'us-east-1' }));

describe('CloudWatchAlarmState', () => {
  beforeEach(() => {
    cw.reset();
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'disk-full-web-1', AlarmArn: HOME_ARN, StateValue: 'OK' }],
    });
  });

  it('asks DescribeAlarms for the alarm by name, metric and composite alarms alike', async () => {
    expect(await reader().stateOf('disk-full-web-1', HOME_ARN)).toBe('OK');

    expect(cw.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input)).toEqual([
      { AlarmNames: ['disk-full-web-1'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
    ]);
  });

  it('reads a record without an ARN (written before it was kept) by its name', async () => {
    expect(await reader().stateOf('disk-full-web-1')).toBe('OK');
  });

  it('does not read a same-named alarm of this account as the one another account’s ARN names', async () => {
    expect(await reader().stateOf('disk-full-web-1', OTHER_ARN)).toBeUndefined();
  });

  it('reads the alarm asked for by name when the ARNs spell its name differently (only account and Region compared)', async () => {
    // Nothing documented says an event's resources[0] spells a name with spaces or slashes exactly
    // as DescribeAlarms' AlarmArn does; the name asked for is what identifies it here.
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'disk full /data',
          AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:disk%20full%20/data',
          StateValue: 'ALARM',
        },
      ],
    });
    const arn = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:disk full /data';
    expect(await reader().stateOf('disk full /data', arn)).toBe('ALARM');
  });

  it('reads a composite alarm', async () => {
    cw.on(DescribeAlarmsCommand).resolves({
      CompositeAlarms: [{ AlarmName: 'disk-full-web-1', AlarmArn: HOME_ARN, StateValue: 'ALARM' }],
    });

    expect(await reader().stateOf('disk-full-web-1', HOME_ARN)).toBe('ALARM');
  });
});
