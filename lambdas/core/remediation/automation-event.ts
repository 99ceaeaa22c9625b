/**
 * "EC2 Automation Execution Status-change Notification" events (source `aws.ssm`), after the
 * sample in the Systems Manager User Guide, "Amazon EventBridge event examples for Systems
 * Manager". The verification side reads them to learn how a started remediation ended.
 */
import * as z from 'zod';

export const AUTOMATION_SOURCE = 'aws.ssm';
export const AUTOMATION_DETAIL_TYPE = 'EC2 Automation Execution Status-change Notification';

/** AutomationExecutionStatus values as listed in the SSM API reference. */
export const AUTOMATION_STATUSES = [
  'Pending',
  'InProgress',
  'Waiting',
  'Success',
  'TimedOut',
  'Cancelling',
  'Cancelled',
  'Failed',
  'PendingApproval',
  'Approved',
  'Rejected',
  'Scheduled',
  'RunbookInProgress',
  'PendingChangeCalendarOverride',
  'ChangeCalendarOverrideApproved',
  'ChangeCalendarOverrideRejected',
  'CompletedWithSuccess',
  'CompletedWithFailure',
  'Exited',
] as const;
export type AutomationStatus = (typeof AUTOMATION_STATUSES)[number];

/** zod schema of the whole event; unknown fields are tolerated. */
export const automationEventSchema = z.object({
  version: z.string().optional(),
  id: z.string().min(1),
  'detail-type': z.literal(AUTOMATION_DETAIL_TYPE),
  source: z.literal(AUTOMATION_SOURCE),
  account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
  time: z.iso.datetime({ error: 'expected an ISO 8601 UTC time' }),
  region: z.string().min(1),
  resources: z.array(z.string()),
  detail: z.object({
    ExecutionId: z.string().min(1),
    Definition: z.string().min(1),
    DefinitionVersion: z.number().optional(),
    Status: z.enum(AUTOMATION_STATUSES, {
      error: 'expected an AutomationExecutionStatus (Success, Failed, …)',
    }),
    // SSM writes these as `Nov 29, 2024 7:43:20 PM`; kept verbatim for the record.
    StartTime: z.string().optional(),
    EndTime: z.string().optional(),
    /** Duration in milliseconds. */
    Time: z.number().optional(),
    ExecutedBy: z.string().optional(),
  }),
});

/** A parsed automation status change. */
export interface AutomationStatusChange {
  readonly kind: 'automationStatusChange';
  readonly eventId: string;
  readonly account: string;
  readonly region: string;
  readonly time: string;
  readonly executionId: string;
  /** Document name (`Definition` in the event). */
  readonly documentName: string;
  readonly status: AutomationStatus;
  readonly startTime?: string;
  readonly endTime?: string;
}

/** Maps a schema-valid event to {@link AutomationStatusChange}. */
export function toAutomationStatusChange(e: z.output<typeof automationEventSchema>): AutomationStatusChange {
  const d = e.detail;
  return {
    kind: 'automationStatusChange',
    eventId: e.id,
    account: e.account,
    region: e.region,
    time: e.time,
    executionId: d.ExecutionId,
    documentName: d.Definition,
    status: d.Status,
    ...(d.StartTime === undefined ? {} : { startTime: d.StartTime }),
    ...(d.EndTime === undefined ? {} : { endTime: d.EndTime }),
  };
}

/** How an execution ended, for verification; `running` while it has not. */
export type AutomationOutcome = 'succeeded' | 'failed' | 'timedOut' | 'cancelled' | 'running';

/**
 * Classifies a status. Rejected and Exited count as failed: the fix did not run to completion,
 * so the verification side must escalate rather than wait for the deadline.
 */
export function automationOutcome(status: AutomationStatus): AutomationOutcome {
  switch (status) {
    case 'Success':
    case 'CompletedWithSuccess':
      return 'succeeded';
    case 'Failed':
    case 'CompletedWithFailure':
    case 'Rejected':
    case 'ChangeCalendarOverrideRejected':
    case 'Exited':
      return 'failed';
    case 'TimedOut':
      return 'timedOut';
    case 'Cancelled':
      return 'cancelled';
    default:
      return 'running';
  }
}
