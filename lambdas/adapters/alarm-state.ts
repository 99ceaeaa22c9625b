/** AlarmStateReader on CloudWatch: DescribeAlarms by name (metric and composite alarms). */
import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmStateValue } from '../core/remediation/alarm-event';
import type { AlarmStateReader } from '../core/remediation/engine-ports';

const STATES: ReadonlySet<string> = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** Reads one alarm's current state. */
export class CloudWatchAlarmState implements AlarmStateReader {
  constructor(private readonly client: CloudWatchClient) {}

  async stateOf(alarmName: string): Promise<AlarmStateValue | undefined> {
    const res = await this.client.send(
      new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
    );
    const alarm = res.MetricAlarms?.[0] ?? res.CompositeAlarms?.[0];
    const value = alarm?.StateValue;
    return value !== undefined && STATES.has(value) ? (value as AlarmStateValue) : undefined;
  }
}
