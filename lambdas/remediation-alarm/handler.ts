/**
 * Remediation alarm handler (EventBridge: "CloudWatch Alarm State Change" to ALARM for the
 * configured alarms): guardrails, then the rule's SSM document, or a record of why not. Thin:
 * environment, configuration and clients are built once at cold start; the core decides.
 */
import type { Context } from 'aws-lambda';
import { SERVICE_NAMES } from '../../lib/config/metric-names';
import { handleAlarmEvent } from '../core/remediation/engine-alarm';
import type { EngineResult } from '../core/remediation/engine-result';
import { isRejection, parseEvent } from '../core/remediation/events';
import { eventIdOf, refused, remediationRuntime } from '../remediation-common/runtime';

const runtime = remediationRuntime(SERVICE_NAMES.remediationAlarm);

/**
 * Handles one event. Malformed or foreign events are recorded and answered without action (a
 * retry would not fix them); transient failures throw so EventBridge retries and the DLQ apply.
 */
export async function handler(event: unknown, context: Context): Promise<EngineResult> {
  runtime.logger.addContext(context);
  try {
    const parsed = parseEvent(event);
    const result = isRejection(parsed)
      ? refused(parsed, event)
      : parsed.kind === 'alarmStateChange'
        ? await handleAlarmEvent(parsed, runtime.deps, { requestId: context.awsRequestId })
        : {
            eventId: parsed.eventId,
            outcome: 'ignored' as const,
            reason: 'automation status changes go to the verification handler',
          };
    runtime.record(result);
    return result;
  } catch (error) {
    runtime.logger.error('remediation alarm handling failed', { error, eventId: eventIdOf(event) });
    throw error;
  }
}
