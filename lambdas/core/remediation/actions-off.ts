/**
 * Whether CloudWatch has switched the alarm's actions off for this state change: an alarm mute
 * rule whose window holds the change (`muteDetail`; "prevent automated alarm actions while your
 * systems are intentionally offline", CloudWatch User Guide, "Alarm mute rules"), or a composite
 * alarm whose actions its actions suppressor holds back (`state.actionsSuppressedBy`:
 * WaitPeriod | ExtensionPeriod | Alarm). The engine is one more alarm action, so it starts
 * nothing either.
 */
import type { AlarmStateChange } from './alarm-event';
import { alarmTimestampMs } from './alarm-timestamp';

/** Why the alarm's actions are off for `event`, or `undefined` when they are on. */
export function actionsOffReason(event: AlarmStateChange): string | undefined {
  const { state, muteDetail: mute } = event;
  if (state.actionsSuppressedBy !== undefined) {
    const why = [
      state.actionsSuppressedReason,
      event.actionsSuppressor === undefined ? undefined : `actions suppressor ${event.actionsSuppressor}`,
    ].filter((x) => x !== undefined && x !== '');
    return `actions of alarm "${event.alarmName}" are suppressed by ${state.actionsSuppressedBy}${why.length > 0 ? ` (${why.join('; ')})` : ''}; nothing is started`;
  }
  if (mute !== undefined) {
    // The mute holds for changes inside its window; a change outside it is not muted by it.
    const at = alarmTimestampMs(state.timestamp);
    if (alarmTimestampMs(mute.muteWindowStart) <= at && at < alarmTimestampMs(mute.muteWindowEnd)) {
      return `alarm "${event.alarmName}" is muted by alarm mute rule ${mute.mutedByArn} (window ${mute.muteWindowStart} to ${mute.muteWindowEnd}, state changed ${state.timestamp}); nothing is started`;
    }
  }
  return undefined;
}
