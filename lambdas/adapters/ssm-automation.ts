/**
 * AutomationRunner on SSM: StartAutomationExecution with the engine's request, unchanged,
 * GetAutomationExecution for an execution's status and, to escalate, its details
 * (./ssm-automation-execution), and ListDocumentVersions for a document's
 * default version (./ssm-document-versions). A failed start is classified here, the one
 * place that knows the SDK's errors ({@link classifyStartError}): refused by SSM (transient, of the
 * permission, or of the request itself: {@link refusalKind}), or uncertain.
 */
import {
  type AutomationExecution,
  AutomationExecutionNotFoundException,
  GetAutomationExecutionCommand,
  type SSMClient,
  StartAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import { AUTOMATION_STATUSES, type AutomationStatus } from '../core/remediation/automation-event';
import type { StartAutomationRequest } from '../core/remediation/automation-request';
import {
  type AutomationExecutionDetails,
  type AutomationExecutionRead,
  type AutomationRunner,
  type DocumentDefaultVersion,
  describeError,
  type RefusalKind,
  StartRefusedError,
  StartUncertainError,
} from '../core/remediation/engine-ports';
import {
  EXECUTION_READ_TIMEOUT_MS,
  executionDetails,
  readExecutionDetails,
} from './ssm-automation-execution';
import { readDefaultVersion } from './ssm-document-versions';

/** SSM answered without an execution id (never seen; it may have started one: uncertain). */
export class MissingExecutionIdError extends Error {
  override readonly name = 'MissingExecutionIdError';
}

/** What a failed StartAutomationExecution says about whether SSM started the automation. */
type StartErrorClass = 'refused' | 'uncertain';

/**
 * The HTTP status SSM answered with, as the SDK records it on the error it throws
 * (`$metadata.httpStatusCode`); undefined when no answer came (a timeout, a socket or network
 * error, an abort: the SDK error has no status) or for an error that is not the SDK's.
 */
function answeredStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = error.$metadata;
  if (typeof metadata !== 'object' || metadata === null || !('httpStatusCode' in metadata)) return undefined;
  return typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

/**
 * `refused` when SSM answered every attempt of the call with a client error (HTTP 4xx:
 * ValidationException, InvalidAutomationExecutionParametersException,
 * AutomationDefinitionNotFoundException, AutomationExecutionLimitExceededException,
 * AccessDeniedException, ThrottlingException after the SDK's retries, …): SSM started nothing.
 * Otherwise `uncertain`: an attempt got no answer or a server error (InternalServerError 500,
 * ServiceUnavailable 503), after which SSM may have started the automation even if a later retry
 * was refused (throttled); and an error that is not the SDK's (a bug) says nothing either way.
 * IdempotentParameterMismatch (400) is uncertain too: it means an earlier request with this
 * ClientToken reached SSM, whose execution may be running. `attempts` are the statuses each
 * attempt ended with (undefined: no answer), when they were observed; else the error's decides.
 */
export function classifyStartError(
  error: unknown,
  attempts: readonly (number | undefined)[] = [],
): StartErrorClass {
  if (error instanceof Error && error.name === 'IdempotentParameterMismatch') return 'uncertain';
  const statuses = attempts.length > 0 ? attempts : [answeredStatus(error)];
  return statuses.every((s) => s !== undefined && s >= 400 && s < 500) ? 'refused' : 'uncertain';
}

/**
 * Refusals of the request itself: its document, its parameters, its targets. The same request
 * sent earlier with the same ClientToken, judged against the same document version, was refused
 * the same way, so on a resume such a refusal may prove nothing runs (the engine checks the
 * request is the one recorded and the document's default version is older than it).
 */
const REQUEST_REFUSALS: ReadonlySet<string> = new Set([
  'ValidationException',
  'InvalidAutomationExecutionParametersException',
  'AutomationDefinitionNotFoundException',
  'AutomationDefinitionVersionNotFoundException',
  'InvalidTarget',
]);

/**
 * Refusals of the caller's permission to start the document. Not transient (a first start fails),
 * but they depend on the function's role, which a redeploy may have changed since an earlier
 * request was let through: on a resume they prove nothing about it.
 */
const PERMISSION_REFUSALS: ReadonlySet<string> = new Set(['AccessDeniedException']);

/**
 * What a refusal (every attempt HTTP 4xx) refused: the request itself ({@link REQUEST_REFUSALS}),
 * the permission ({@link PERMISSION_REFUSALS}), or else something that depends on the moment:
 * throttling (ThrottlingException, HTTP 429, or any error the SDK marks `$retryable.throttling`),
 * the account's concurrent-automations quota (AutomationExecutionLimitExceededException), or
 * anything else `transient`: credential errors (an expired token), approvals
 * (AutomationDefinitionNotApproved), and an error not listed, so a resume never gives holds back
 * on a guess.
 */
function refusalKind(error: unknown): RefusalKind {
  if (!(error instanceof Error)) return 'transient';
  if (answeredStatus(error) === 429 || isMarkedThrottling(error)) return 'throttling';
  if (error.name === 'ThrottlingException') return 'throttling';
  if (error.name === 'AutomationExecutionLimitExceededException') return 'automationLimit';
  if (REQUEST_REFUSALS.has(error.name)) return 'request';
  if (PERMISSION_REFUSALS.has(error.name)) return 'permission';
  return 'transient';
}

function isMarkedThrottling(error: Error): boolean {
  if (!('$retryable' in error)) return false;
  const retryable = error.$retryable;
  return typeof retryable === 'object' && retryable !== null && 'throttling' in retryable
    ? retryable.throttling === true
    : false;
}

/** GetAutomationExecution answered without a status the engine knows. */
export class UnexpectedAutomationStatusError extends Error {
  override readonly name = 'UnexpectedAutomationStatusError';
}

const STATUSES: ReadonlySet<string> = new Set(AUTOMATION_STATUSES);

/** Starts Automation executions; throttling is retried by the client's standard retry strategy. */
export class SsmAutomation implements AutomationRunner {
  /**
   * `executionReadTimeoutMs` bounds {@link readExecution}, retries included.
   * @default EXECUTION_READ_TIMEOUT_MS
   */
  constructor(
    private readonly client: SSMClient,
    private readonly executionReadTimeoutMs = EXECUTION_READ_TIMEOUT_MS,
  ) {}

  /**
   * Throws StartRefusedError or StartUncertainError ({@link classifyStartError}), naming SSM's
   * error and what each attempt got.
   */
  async start(request: StartAutomationRequest): Promise<string> {
    const command = new StartAutomationExecutionCommand({
      DocumentName: request.DocumentName,
      Parameters: Object.fromEntries(Object.entries(request.Parameters).map(([k, v]) => [k, [...v]])),
      ClientToken: request.ClientToken,
      Tags: request.Tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    });
    const attempts = watchAttempts(command);
    let id: string | undefined;
    try {
      id = (await this.client.send(command)).AutomationExecutionId;
    } catch (error) {
      const what = `${describeError(error)} (${describeAttempts(error, attempts)})`;
      if (classifyStartError(error, attempts) === 'refused')
        throw new StartRefusedError(what, { kind: refusalKind(error), cause: error });
      throw new StartUncertainError(what, { cause: error });
    }
    if (id === undefined) {
      const missing = new MissingExecutionIdError(
        `StartAutomationExecution of ${request.DocumentName} returned no execution id`,
      );
      throw new StartUncertainError(describeError(missing), { cause: missing });
    }
    return id;
  }

  /** One GetAutomationExecution: the status it reports, and the execution for an escalation. */
  async statusOf(executionId: string): Promise<AutomationExecutionRead | undefined> {
    let execution: AutomationExecution | undefined;
    try {
      const res = await this.client.send(
        new GetAutomationExecutionCommand({ AutomationExecutionId: executionId }),
      );
      execution = res.AutomationExecution;
    } catch (error) {
      if (error instanceof AutomationExecutionNotFoundException) return undefined;
      throw error;
    }
    const status = execution?.AutomationExecutionStatus;
    if (execution === undefined || status === undefined || !STATUSES.has(status)) {
      throw new UnexpectedAutomationStatusError(
        `GetAutomationExecution of ${executionId} returned AutomationExecution.AutomationExecutionStatus ${JSON.stringify(status)}; expected one of ${AUTOMATION_STATUSES.join(', ')}`,
      );
    }
    return { status: status as AutomationStatus, execution: executionDetails(execution) };
  }

  /** One GetAutomationExecution, aborted after the timeout (./ssm-automation-execution). */
  readExecution(executionId: string): Promise<AutomationExecutionDetails | undefined> {
    return readExecutionDetails(this.client, executionId, this.executionReadTimeoutMs);
  }

  /** ListDocumentVersions, every page (./ssm-document-versions). */
  documentDefaultVersion(documentName: string): Promise<DocumentDefaultVersion> {
    return readDefaultVersion(this.client, documentName);
  }
}

/**
 * Records how each attempt of `command` ended (the SDK's retries run the deserialize step once per
 * attempt): the HTTP status of an error answer, undefined for no answer. A client whose `send` is
 * replaced (a test's mock) runs no middleware, and the final error decides alone.
 */
function watchAttempts(command: StartAutomationExecutionCommand): (number | undefined)[] {
  const attempts: (number | undefined)[] = [];
  command.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        attempts.push(answeredStatus(error));
        throw error;
      }
    },
    { step: 'deserialize', name: 'selfhealStartAttempts', priority: 'high' },
  );
  return attempts;
}

/**
 * `HTTP 400`, `no answer`, or per attempt when there were several: `attempts: no answer, HTTP 400`;
 * `not sent` when the SDK found no credentials to sign the request with, before any attempt.
 */
function describeAttempts(error: unknown, attempts: readonly (number | undefined)[]): string {
  // Still uncertain (classifyStartError): the engine treats anything but a refusal as such.
  if (attempts.length === 0 && error instanceof Error && error.name === 'CredentialsProviderError')
    return 'not sent: no credentials';
  const one = (s: number | undefined) => (s === undefined ? 'no answer' : `HTTP ${s}`);
  if (attempts.length > 1) return `attempts: ${attempts.map(one).join(', ')}`;
  return one(attempts[0] ?? answeredStatus(error));
}
