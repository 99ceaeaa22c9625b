/** AlarmStateReader on CloudWatch: DescribeAlarms by name (metric and composite alarms). */
import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmStateValue } from '../core/remediation/alarm-event';
import { sameAccountAndRegion } from '../core/remediation/alarm-identity';
import type { AlarmStateReader } from '../core/remediation/engine-ports';

const STATES: ReadonlySet<string> = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** Reads one alarm's current state, in the client's account and Region. */
export class CloudWatchAlarmState implements AlarmStateReader {
  constructor(private readonly client: CloudWatchClient) {}

  async stateOf(alarmName: string, alarmArn?: string): Promise<AlarmStateValue | undefined> {
    const res = await this.client.send(
      new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
    );
    // The answer is about the name asked for, and carries each alarm's AlarmArn
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html):
    // a same-named alarm of this account and Region is not the one another account's ARN names.
    // Compared by account and Region only: the answer is the alarm of the name asked for, and
    // nothing documents that an event's ARN spells a name (spaces, slashes) as DescribeAlarms does.
    const alarm = [...(res.MetricAlarms ?? []), ...(res.CompositeAlarms ?? [])].find((a) =>
      sameAccountAndRegion(a.AlarmArn, alarmArn),
    );
    const value = alarm?.StateValue;
    return value !== undefined && STATES.has(value) ? (value as AlarmStateValue) : undefined;
  }
}
