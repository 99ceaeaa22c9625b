/**
 * Which episode of an alarm a state change belongs to. EventBridge delivers the verify handler's
 * events in no guaranteed order and Lambda retries or re-queues one for up to six hours, so an OK
 * (or INSUFFICIENT_DATA) may arrive after the alarm went back to ALARM and opened a new
 * remediation. CloudWatch stamps each state change (`detail.state.timestamp`): one stamped before
 * the ALARM that opened a remediation ended an earlier episode and says nothing about this one.
 */
import type { AlarmStateChange } from './alarm-event';
import { alarmTimestampMs } from './alarm-timestamp';
import type { RemediationRecord } from './ledger-records';

/**
 * Epoch milliseconds of the ALARM that opened `record`: its stored state timestamp, or, for a
 * record written before that was kept, its creation (a little after the ALARM, so a change
 * stamped between the two is taken for an earlier one and left to the deadline sweep, which
 * reads the alarm itself).
 */
export function openedAtMs(record: Pick<RemediationRecord, 'alarmStateAtMs' | 'createdAtSec'>): number {
  return record.alarmStateAtMs ?? record.createdAtSec * 1000;
}

/**
 * Why `event` cannot close `record` (CloudWatch stamped it before the ALARM that opened the
 * remediation: it ended an earlier episode), or `undefined` when it may.
 */
export function earlierEpisode(
  record: Pick<RemediationRecord, 'alarmStateAtMs' | 'createdAtSec'>,
  event: Pick<AlarmStateChange, 'alarmName' | 'state'>,
): string | undefined {
  const changedMs = alarmTimestampMs(event.state.timestamp);
  const openedMs = openedAtMs(record);
  if (changedMs >= openedMs) return undefined;
  const opened =
    record.alarmStateAtMs === undefined
      ? `the remediation was created at ${iso(openedMs)} (its ALARM's time was not recorded)`
      : `the ALARM that opened the remediation is stamped ${iso(openedMs)}`;
  return `alarm ${event.alarmName} ${event.state.value} is stamped ${event.state.timestamp}, before ${opened}: it ended an earlier episode`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
