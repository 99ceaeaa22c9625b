/**
 * An execution's details on SSM (GetAutomationExecution), for the SSM adapter's `readExecution`
 * (./ssm-automation): what an escalation's evidence summarises about the automation it concerns.
 * One call, aborted after a timeout, so an escalation never waits on SSM for longer than that.
 */
import {
  type AutomationExecution,
  AutomationExecutionNotFoundException,
  type FailureDetails,
  GetAutomationExecutionCommand,
  type SSMClient,
  type StepExecution,
} from '@aws-sdk/client-ssm';
import type {
  AutomationExecutionDetails,
  AutomationFailureDetails,
  AutomationStepDetails,
  StringListMap,
} from '../core/remediation/engine-ports';

/**
 * How long an escalation waits for the execution's details, the SDK's retries included: a few
 * seconds of a 60 s function, well inside the minute after which the sweeper re-sends an
 * escalation still pending.
 */
export const EXECUTION_READ_TIMEOUT_MS = 5_000;

/** GetAutomationExecution did not answer within its time. */
export class ExecutionReadTimeoutError extends Error {
  override readonly name = 'ExecutionReadTimeoutError';
}

/** GetAutomationExecution answered without an `AutomationExecution`. */
export class MissingAutomationExecutionError extends Error {
  override readonly name = 'MissingAutomationExecutionError';
}

/**
 * The details of execution `executionId`, undefined when SSM knows no such execution
 * (AutomationExecutionNotFoundException). Sends one GetAutomationExecution and aborts it after
 * `timeoutMs` with {@link ExecutionReadTimeoutError}; any other error is passed on.
 */
export async function readExecutionDetails(
  client: SSMClient,
  executionId: string,
  timeoutMs: number,
): Promise<AutomationExecutionDetails | undefined> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(
        new ExecutionReadTimeoutError(
          `GetAutomationExecution of ${executionId} did not answer within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
  });
  try {
    const command = new GetAutomationExecutionCommand({ AutomationExecutionId: executionId });
    const res = await Promise.race([client.send(command, { abortSignal: abort.signal }), timedOut]);
    const execution = res.AutomationExecution;
    if (execution === undefined) {
      throw new MissingAutomationExecutionError(
        `GetAutomationExecution of ${executionId} returned no AutomationExecution`,
      );
    }
    return executionDetails(execution);
  } catch (error) {
    if (error instanceof AutomationExecutionNotFoundException) return undefined;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * An `AutomationExecution` as GetAutomationExecution answered it, in the fields an escalation's
 * evidence summarises; also what the status read (`SsmAutomation.statusOf`) passes on, so an
 * escalation right after it does not send the same call again.
 */
export function executionDetails(execution: AutomationExecution): AutomationExecutionDetails {
  return {
    ...defined('AutomationExecutionStatus', execution.AutomationExecutionStatus),
    ...defined('FailureMessage', execution.FailureMessage),
    ...defined('Outputs', listMap(execution.Outputs)),
    ...defined('StepExecutions', execution.StepExecutions?.map(stepDetails)),
    ...defined('StepExecutionsTruncated', execution.StepExecutionsTruncated),
  };
}

function stepDetails(step: StepExecution): AutomationStepDetails {
  return {
    ...defined('StepName', step.StepName),
    ...defined('Action', step.Action),
    ...defined('StepStatus', step.StepStatus),
    ...defined('FailureMessage', step.FailureMessage),
    ...defined('FailureDetails', failureDetails(step.FailureDetails)),
    ...defined('Outputs', listMap(step.Outputs)),
  };
}

function failureDetails(details: FailureDetails | undefined): AutomationFailureDetails | undefined {
  if (details === undefined) return undefined;
  return {
    ...defined('FailureStage', details.FailureStage),
    ...defined('FailureType', details.FailureType),
    ...defined('Details', listMap(details.Details)),
  };
}

function listMap(map: Record<string, string[]> | undefined): StringListMap | undefined {
  return map === undefined ? undefined : Object.fromEntries(Object.entries(map).map(([k, v]) => [k, [...v]]));
}

/** `{ [key]: value }`, or nothing for an absent value (exactOptionalPropertyTypes-safe). */
function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
