/**
 * Entry point for every event the remediation functions receive: classifies it by `source` and
 * `detail-type`, validates it against the published shape and returns a typed union, or a typed
 * rejection that says in one line what the event is or which field is wrong. Never throws.
 */
import type * as z from 'zod';
import { describeIssue } from '../../../lib/config/zod-paths';
import {
  ALARM_DETAIL_TYPE,
  ALARM_SOURCE,
  type AlarmStateChange,
  alarmEventSchema,
  toAlarmStateChange,
} from './alarm-event';
import {
  AUTOMATION_DETAIL_TYPE,
  AUTOMATION_SOURCE,
  type AutomationStatusChange,
  automationEventSchema,
  toAutomationStatusChange,
} from './automation-event';

export * from './alarm-event';
export * from './automation-event';

/** Every event kind the engine acts on. */
export type RemediationEvent = AlarmStateChange | AutomationStatusChange;

/**
 * Why an event was refused: `otherKind` is a well-formed EventBridge event the engine does not
 * handle (ignore it); `invalid` is not a valid event of a handled kind (record it, never act).
 */
export interface EventRejection {
  readonly kind: 'rejected';
  readonly reason: 'otherKind' | 'invalid';
  /** One line, e.g. `detail.state.value: received "BROKEN"; expected ALARM | OK | INSUFFICIENT_DATA`. */
  readonly message: string;
  readonly source?: string;
  readonly detailType?: string;
}

/** Result of {@link parseEvent}: the typed event, or why it was refused. */
export type EventParseResult = RemediationEvent | EventRejection;

/** Parses a raw EventBridge event (already JSON-decoded). */
export function parseEvent(raw: unknown): EventParseResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return invalid(`not an EventBridge event: expected a JSON object, got ${describe(raw)}`);
  }
  const record = raw as Record<string, unknown>;
  const source = record.source;
  const detailType = record['detail-type'];
  if (typeof source !== 'string' || typeof detailType !== 'string') {
    const missing = [
      typeof detailType === 'string' ? '' : 'detail-type',
      typeof source === 'string' ? '' : 'source',
    ];
    return invalid(
      `not an EventBridge event: missing or non-string ${missing.filter(Boolean).join(' and ')}`,
    );
  }
  const ids = { source, detailType };
  if (source === ALARM_SOURCE && detailType === ALARM_DETAIL_TYPE) {
    const r = alarmEventSchema.safeParse(raw);
    return r.success ? toAlarmStateChange(r.data) : invalid(firstIssue(r.error, raw), ids);
  }
  if (source === AUTOMATION_SOURCE && detailType === AUTOMATION_DETAIL_TYPE) {
    const r = automationEventSchema.safeParse(raw);
    return r.success ? toAutomationStatusChange(r.data) : invalid(firstIssue(r.error, raw), ids);
  }
  return {
    kind: 'rejected',
    reason: 'otherKind',
    message: `${article(detailType)} ${detailType} from ${source}: not an alarm state change`,
    ...ids,
  };
}

/** Whether {@link parseEvent} refused the event. */
export function isRejection(result: EventParseResult): result is EventRejection {
  return result.kind === 'rejected';
}

function invalid(message: string, ids: { source?: string; detailType?: string } = {}): EventRejection {
  return { kind: 'rejected', reason: 'invalid', message, ...ids };
}

/** The first problem as `path: received <value>; <expected>` (one line is the contract). */
function firstIssue(error: z.ZodError, raw: unknown): string {
  const issue = error.issues[0];
  return issue === undefined ? 'invalid event' : describeIssue(issue, raw, { root: '(event)' });
}

function describe(raw: unknown): string {
  if (raw === null) return 'null';
  return Array.isArray(raw) ? 'an array' : typeof raw;
}

function article(word: string): string {
  return /^[AEIOUaeiou]/.test(word) ? 'an' : 'a';
}
