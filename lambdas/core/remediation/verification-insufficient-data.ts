/**
 * An alarm's change to INSUFFICIENT_DATA (routed to the verification handler only for alarms of
 * rules whose `verificationRecoveredStates` include it): resolves each remediation it opened whose
 * rule accepts INSUFFICIENT_DATA and whose automation already succeeded (./recovery). Any other
 * open remediation keeps waiting: for its automation's success event, which reads the alarm
 * again, or for the sweeper at the deadline.
 */
import type { AlarmStateChange } from './alarm-event';
import type { EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { acceptedStates, automationSucceeded, recoveredBy, whyNotRecovered } from './recovery';
import { forEachOpen, recoveredWording, resolve } from './verification';

/** Handles one alarm state change to INSUFFICIENT_DATA. */
export async function handleAlarmInsufficientData(
  event: AlarmStateChange,
  deps: EngineDeps,
): Promise<EngineResult> {
  return forEachOpen(event, deps, 'to INSUFFICIENT_DATA', async (record) => {
    const check = {
      alarmState: 'INSUFFICIENT_DATA' as const,
      accepted: acceptedStates(deps.config.rules, record.ruleId),
      automationSucceeded: automationSucceeded(record),
    };
    const recovered = recoveredBy(check);
    if (recovered === undefined) {
      return {
        eventId: event.eventId,
        ...aboutRemediation(record),
        outcome: 'verifying',
        reason: `alarm ${event.alarmName} to INSUFFICIENT_DATA, not counted as recovered: ${whyNotRecovered(check)}`,
      };
    }
    const why = `alarm ${event.alarmName} went to ${recoveredWording(recovered)}`;
    return resolve(record, deps, why, event.eventId, recovered);
  });
}
