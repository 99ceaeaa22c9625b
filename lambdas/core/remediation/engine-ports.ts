/**
 * Ports of the remediation engine's orchestration (./engine-alarm, ./verification,
 * ./verification-sweep): every side effect it needs, as plain data in and out. Adapters in
 * lambdas/adapters/ implement them with the AWS SDK; tests implement them in memory.
 */
import type { RemediationConfig } from '../../../lib/config/remediation-schema';
import type { Clock } from '../scaler/ports';
import type { AlarmStateValue } from './alarm-event';
import type { AutomationStatus } from './automation-event';
import type { EngineSettings, StartAutomationRequest } from './automation-request';
import type { Ledger } from './ledger';

export type { Clock } from '../scaler/ports';

/** Starts SSM Automation executions and reads their status. */
export interface AutomationRunner {
  /**
   * Sends StartAutomationExecution with `request` as is and resolves to the execution id. Throws
   * {@link StartRefusedError} when SSM answered every attempt with a refusal, so it started
   * nothing (the engine records the start failed and escalates), and {@link StartUncertainError}
   * when it may have started the automation (no answer, a failure on SSM's side). The engine
   * treats anything else thrown as uncertain too.
   */
  start(request: StartAutomationRequest): Promise<string>;
  /**
   * The execution's current status (GetAutomationExecution's `AutomationExecutionStatus`) and,
   * from the same answer, what an escalation's evidence summarises of it, or undefined when SSM
   * knows no such execution. Throws when SSM cannot be read. An escalation that follows the read
   * (an execution found failed) passes this answer on instead of reading it again.
   */
  statusOf(executionId: string): Promise<AutomationExecutionRead | undefined>;
  /**
   * The execution as GetAutomationExecution reports it, the fields an escalation's evidence
   * summarises (./escalation-automation), or undefined when SSM knows no such execution. Read only
   * to escalate: one call, which the adapter bounds in time, so an escalation waits for it at most
   * that long. Throws when SSM cannot be read or does not answer in time.
   */
  readExecution(executionId: string): Promise<AutomationExecutionDetails | undefined>;
  /**
   * The document's default version, the one SSM judges a StartAutomationExecution that names no
   * version against (ListDocumentVersions, every page). Read only when a resume's refusal of the
   * request sent first would otherwise settle the start (./start-refusal), never on a first start.
   * Throws when SSM cannot be read or its answer names no single default version with a creation
   * date.
   */
  documentDefaultVersion(documentName: string): Promise<DocumentDefaultVersion>;
}

/** A string to array of strings map, as SSM returns `Outputs` and `FailureDetails.Details`. */
export type StringListMap = Readonly<Record<string, readonly string[]>>;

/** A step's `FailureDetails`, in the API's field names (API_FailureDetails). */
export interface AutomationFailureDetails {
  /** `InputValidation`, `PreVerification`, `Invocation` or `PostVerification`. */
  readonly FailureStage?: string;
  /** `Action`, `Permission`, `Throttling`, `Verification` or `Internal`. */
  readonly FailureType?: string;
  readonly Details?: StringListMap;
}

/** The fields of a `StepExecution` the evidence uses, in the API's field names (API_StepExecution). */
export interface AutomationStepDetails {
  readonly StepName?: string;
  /** e.g. `aws:runCommand`. */
  readonly Action?: string;
  readonly StepStatus?: string;
  readonly FailureMessage?: string;
  readonly FailureDetails?: AutomationFailureDetails;
  readonly Outputs?: StringListMap;
}

/**
 * The fields of GetAutomationExecution's `AutomationExecution` the evidence uses, in the API's
 * field names (API_GetAutomationExecution, API_AutomationExecution).
 */
export interface AutomationExecutionDetails {
  readonly AutomationExecutionStatus?: string;
  readonly FailureMessage?: string;
  /** The document's declared outputs, e.g. `CleanUp.Output`. */
  readonly Outputs?: StringListMap;
  readonly StepExecutions?: readonly AutomationStepDetails[];
  /** True when `StepExecutions` is not the full list (DescribeAutomationStepExecutions has it). */
  readonly StepExecutionsTruncated?: boolean;
}

/** One GetAutomationExecution answer: the status it reports, and the execution as it reports it. */
export interface AutomationExecutionRead {
  readonly status: AutomationStatus;
  readonly execution: AutomationExecutionDetails;
}

/** A document's default version as ListDocumentVersions reports it. */
export interface DocumentDefaultVersion {
  /** `DocumentVersion`, e.g. `3`. */
  readonly version: string;
  /** `CreatedDate` in epoch seconds, rounded up: never earlier than SSM created it. */
  readonly createdAtSec: number;
}

/**
 * What SSM refused when it refused a start ({@link StartRefusedError}):
 * - `request`: the request itself (its document, its parameters, its targets);
 * - `permission`: the caller's permission to start the document (AccessDeniedException). Not
 *   transient, so a first start fails, but it depends on the function's role, which a redeploy
 *   may have changed since an earlier request with the same ClientToken was let through;
 * - `throttling` and `automationLimit` (the account's concurrent-automations quota,
 *   AutomationExecutionLimitExceededException): refusals of the moment, which a start a minute
 *   later most likely does not meet, so a first start waits and retries (./start-refusal);
 * - `transient`: any other refusal that may not have met an earlier request with the same
 *   ClientToken: it depends on when the request was sent (the caller's credentials, an approval)
 *   or is an error the adapter does not know.
 * On a resume, `throttling`, `automationLimit` and `transient` alike prove nothing about the
 * earlier request.
 */
export type RefusalKind = 'request' | 'permission' | 'throttling' | 'automationLimit' | 'transient';

/**
 * SSM answered StartAutomationExecution with an error (HTTP 4xx) on every attempt: this call
 * started no automation. On a first start (no earlier request with the ClientToken) the
 * remediation may give its holds back; on a resume only a refusal of the `request` itself, of the
 * very request sent first and judged against the document version the earlier request met,
 * proves the earlier request started nothing either (./start-refusal). The message names SSM's
 * error and its answers.
 */
export class StartRefusedError extends Error {
  override readonly name = 'StartRefusedError';
  /** What SSM refused ({@link RefusalKind}). */
  readonly kind: RefusalKind;
  constructor(message: string, options: { readonly kind: RefusalKind; readonly cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind;
  }
}

/**
 * StartAutomationExecution ended without a refusal from SSM on every attempt (a timeout or a
 * network error with no answer, a failure on SSM's side, or an answer the engine cannot use): SSM
 * may have started the automation, so the remediation keeps its holds and the start is resumed
 * with the same ClientToken (./engine-start-uncertain).
 */
export class StartUncertainError extends Error {
  override readonly name = 'StartUncertainError';
}

/** Reads an alarm's current state (DescribeAlarms). */
export interface AlarmStateReader {
  /**
   * The state of alarm `alarmName` of the engine's account and Region, or undefined when no such
   * alarm exists (deleted since), or when `alarmArn` is given and the alarm of that name is not
   * the one it names (another account's or Region's: ./alarm-identity).
   */
  stateOf(alarmName: string, alarmArn?: string): Promise<AlarmStateValue | undefined>;
}

/** The Auto Scaling group an instance belongs to, for the blast-radius guardrail. */
export interface GroupMembership {
  /** Undefined when the instance is in no group. */
  groupOf(
    instanceId: string,
  ): Promise<{ readonly name: string; readonly instancesInService: number } | undefined>;
}

/** An SNS message. */
export interface Notification {
  /** At most 99 characters: SNS wants subjects "less than 100 characters long". */
  readonly subject: string;
  readonly message: string;
}

/** One OperationalData entry, in the CreateOpsItem API's shape. */
export interface OpsItemDataValue {
  readonly Value: string;
  readonly Type: 'SearchableString' | 'String';
}

/** The CreateOpsItem input the engine sends, in the API's own field names. */
export interface OpsItemRequest {
  readonly Source: string;
  readonly Title: string;
  readonly Description: string;
  readonly Category: string;
  readonly Severity: string;
  readonly OperationalData: Readonly<Record<string, OpsItemDataValue>>;
}

/** The UpdateOpsItem input adding a later escalation to an open OpsItem, in the API's field names. */
export interface OpsItemUpdateRequest {
  readonly Description: string;
  readonly OperationalData: Readonly<Record<string, OpsItemDataValue>>;
  readonly OperationalDataToDelete?: readonly string[];
}

/**
 * An OpsItem as GetOpsItem returns it, as far as a later escalation reads or changes it, in the
 * API's field names.
 */
export interface OpsItemContent {
  /** `Open`, `InProgress`, `Resolved`, …; absent when GetOpsItem answered none. */
  readonly Status?: string;
  readonly Description: string;
  readonly OperationalData: Readonly<Record<string, OpsItemDataValue>>;
}

/** Where a human hears about what the engine could not or would not fix. */
export interface Escalator {
  /** Publishes to the escalation topic; resolves to the SNS message id. */
  notify(notification: Notification): Promise<string>;
  /**
   * Creates the OpsItem; `deduplicated` when OpsCenter kept an open one with the same dedup
   * string (its id is returned).
   */
  openOpsItem(
    request: OpsItemRequest,
  ): Promise<{ readonly opsItemId: string; readonly deduplicated: boolean }>;
  /** Reads an OpsItem (GetOpsItem): its status, description and operational data. */
  readOpsItem(opsItemId: string): Promise<OpsItemContent>;
  /** Adds a later escalation to an open OpsItem (UpdateOpsItem): ./escalation-opsitem-update. */
  updateOpsItem(opsItemId: string, update: OpsItemUpdateRequest): Promise<void>;
}

/** Everything the orchestration reads and calls. */
export interface EngineDeps {
  readonly ledger: Ledger;
  readonly automation: AutomationRunner;
  readonly alarms: AlarmStateReader;
  readonly groups: GroupMembership;
  readonly escalator: Escalator;
  readonly clock: Clock;
  readonly config: RemediationConfig;
  readonly engine: EngineSettings;
  /**
   * Lease of an alarm event's claim: after it, a claim without a record belongs to a dead attempt
   * and a retry takes it over. From `claimLeaseSec(function timeout)` (./event-claim).
   */
  readonly eventClaimLeaseSec: number;
}

/** Extra time a lock and a slot outlive the deadline, so the sweeper escalates before they lapse. */
export const LOCK_GRACE_SEC = 15 * 60;

/** The remediation id for an alarm event: deterministic, so a retried handler cannot record twice. */
export function remediationIdFor(eventId: string): string {
  return `rem-${eventId}`;
}

/** `Name: message` of anything thrown, for records. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
