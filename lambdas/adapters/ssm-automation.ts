/**
 * AutomationRunner on SSM: StartAutomationExecution with the engine's request, unchanged, and
 * GetAutomationExecution for an execution's status.
 */
import {
  AutomationExecutionNotFoundException,
  GetAutomationExecutionCommand,
  type SSMClient,
  StartAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import { AUTOMATION_STATUSES, type AutomationStatus } from '../core/remediation/automation-event';
import type { StartAutomationRequest } from '../core/remediation/automation-request';
import type { AutomationRunner } from '../core/remediation/engine-ports';

/** SSM answered without an execution id (never seen; treated as a failed start). */
export class MissingExecutionIdError extends Error {
  override readonly name = 'MissingExecutionIdError';
}

/** GetAutomationExecution answered without a status the engine knows. */
export class UnexpectedAutomationStatusError extends Error {
  override readonly name = 'UnexpectedAutomationStatusError';
}

const STATUSES: ReadonlySet<string> = new Set(AUTOMATION_STATUSES);

/** Starts Automation executions; throttling is retried by the client's standard retry strategy. */
export class SsmAutomation implements AutomationRunner {
  constructor(private readonly client: SSMClient) {}

  async start(request: StartAutomationRequest): Promise<string> {
    const res = await this.client.send(
      new StartAutomationExecutionCommand({
        DocumentName: request.DocumentName,
        Parameters: Object.fromEntries(Object.entries(request.Parameters).map(([k, v]) => [k, [...v]])),
        ClientToken: request.ClientToken,
        Tags: request.Tags.map((t) => ({ Key: t.Key, Value: t.Value })),
      }),
    );
    if (res.AutomationExecutionId === undefined) {
      throw new MissingExecutionIdError(
        `StartAutomationExecution of ${request.DocumentName} returned no execution id`,
      );
    }
    return res.AutomationExecutionId;
  }

  async statusOf(executionId: string): Promise<AutomationStatus | undefined> {
    let status: string | undefined;
    try {
      const res = await this.client.send(
        new GetAutomationExecutionCommand({ AutomationExecutionId: executionId }),
      );
      status = res.AutomationExecution?.AutomationExecutionStatus;
    } catch (error) {
      if (error instanceof AutomationExecutionNotFoundException) return undefined;
      throw error;
    }
    if (status === undefined || !STATUSES.has(status)) {
      throw new UnexpectedAutomationStatusError(
        `GetAutomationExecution of ${executionId} returned AutomationExecution.AutomationExecutionStatus ${JSON.stringify(status)}; expected one of ${AUTOMATION_STATUSES.join(', ')}`,
      );
    }
    return status as AutomationStatus;
  }
}
