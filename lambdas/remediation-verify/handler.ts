/**
 * Remediation verification handler (EventBridge: automation execution status changes of the
 * remediation documents, the configured alarms back to OK, and to INSUFFICIENT_DATA for rules that
 * count it as recovered): resolves or escalates. Thin, like the alarm handler.
 */
import type { Context } from 'aws-lambda';
import type { EngineResult } from '../core/remediation/engine-result';
import { isRejection, parseEvent } from '../core/remediation/events';
import { handleAlarmOk } from '../core/remediation/verification';
import { handleAutomationEvent } from '../core/remediation/verification-automation';
import { handleAlarmInsufficientData } from '../core/remediation/verification-insufficient-data';
import { eventIdOf, refused, remediationRuntime } from '../remediation-common/runtime';

const runtime = remediationRuntime();

/** Handles one event; throws only for transient failures (EventBridge retries, then the DLQ). */
export async function handler(event: unknown, context: Context): Promise<EngineResult> {
  runtime.logger.addContext(context);
  runtime.beginInvocation(context.getRemainingTimeInMillis());
  try {
    const parsed = parseEvent(event);
    let result: EngineResult;
    if (isRejection(parsed)) result = refused(parsed, event);
    else if (parsed.kind === 'automationStatusChange')
      result = await handleAutomationEvent(parsed, runtime.deps);
    else if (parsed.state.value === 'OK') result = await handleAlarmOk(parsed, runtime.deps);
    else if (parsed.state.value === 'INSUFFICIENT_DATA')
      result = await handleAlarmInsufficientData(parsed, runtime.deps);
    else {
      result = {
        eventId: parsed.eventId,
        alarmName: parsed.alarmName,
        outcome: 'ignored',
        reason: `alarm to ${parsed.state.value}: the alarm handler acts on alarms, this one verifies`,
      };
    }
    runtime.record(result);
    return result;
  } catch (error) {
    runtime.recordFailure(error);
    runtime.logger.error('remediation verification failed', { error, eventId: eventIdOf(event) });
    throw error;
  }
}
