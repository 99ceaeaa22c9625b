/** AutomationRunner on SSM: StartAutomationExecution with the engine's request, unchanged. */
import { type SSMClient, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import type { StartAutomationRequest } from '../core/remediation/automation-request';
import type { AutomationRunner } from '../core/remediation/engine-ports';

/** SSM answered without an execution id (never seen; treated as a failed start). */
export class MissingExecutionIdError extends Error {
  override readonly name = 'MissingExecutionIdError';
}

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
}
