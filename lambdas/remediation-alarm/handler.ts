/**
 * Remediation alarm handler (EventBridge: "CloudWatch Alarm State Change" to ALARM for the
 * configured alarms): guardrails, then the rule's SSM document, or a record of why not. Thin:
 * environment, configuration and clients are built once at cold start; the core decides.
 */
import type { Context } from 'aws-lambda';
import { handleAlarmEvent } from '../core/remediation/engine-alarm';
import type { EngineResult } from '../core/remediation/engine-result';
import { isRejection, parseEvent } from '../core/remediation/events';
import { eventIdOf, refused, remediationRuntime } from '../remediation-common/runtime';

const runtime = remediationRuntime();

/**
 * The start got no certain answer from SSM (outcome `startUncertain`): the invocation fails after
 * recording it, so Lambda's retry, carrying this request id, resumes the start at once with the
 * same ClientToken (the sweeper resumes it too, but only after the claim lease).
 */
export class StartUnconfirmedError extends Error {
  override readonly name = 'StartUnconfirmedError';
}

/**
 * Handles one event. Malformed or foreign events are recorded and answered without action (a
 * retry would not fix them); transient failures throw so EventBridge retries and the DLQ apply,
 * and so does a start with no certain answer, once recorded ({@link StartUnconfirmedError}).
 */
export async function handler(event: unknown, context: Context): Promise<EngineResult> {
  runtime.logger.addContext(context);
  runtime.beginInvocation(context.getRemainingTimeInMillis());
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
    if (result.outcome === 'startUncertain') {
      throw new StartUnconfirmedError(`remediation ${result.remediationId}: ${result.reason}`);
    }
    return result;
  } catch (error) {
    runtime.recordFailure(error);
    runtime.logger.error('remediation alarm handling failed', { error, eventId: eventIdOf(event) });
    throw error;
  }
}
