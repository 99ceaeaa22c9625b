/** OpsCenter: CreateOpsItem, deduplicated by OpsCenter itself through the `/aws/dedup` string. */
import { CreateOpsItemCommand, OpsItemAlreadyExistsException, type SSMClient } from '@aws-sdk/client-ssm';
import type { OpsItemRequest } from '../core/remediation/engine-ports';

/** CreateOpsItem answered without an id. */
export class MissingOpsItemIdError extends Error {
  override readonly name = 'MissingOpsItemIdError';
}

/** Creates OpsItems. */
export class OpsCenterItems {
  constructor(private readonly client: SSMClient) {}

  /**
   * Sends the request as is. OpsCenter drops a request whose dedup string matches an open
   * OpsItem; when it says so with OpsItemAlreadyExistsException, the open item's id is returned.
   */
  async open(request: OpsItemRequest): Promise<{ opsItemId: string; deduplicated: boolean }> {
    try {
      const res = await this.client.send(
        new CreateOpsItemCommand({
          Source: request.Source,
          Title: request.Title,
          Description: request.Description,
          Category: request.Category,
          Severity: request.Severity,
          OperationalData: Object.fromEntries(
            Object.entries(request.OperationalData).map(([k, v]) => [k, { Value: v.Value, Type: v.Type }]),
          ),
        }),
      );
      if (res.OpsItemId === undefined) throw new MissingOpsItemIdError('CreateOpsItem returned no OpsItemId');
      return { opsItemId: res.OpsItemId, deduplicated: false };
    } catch (error) {
      if (error instanceof OpsItemAlreadyExistsException && error.OpsItemId !== undefined) {
        return { opsItemId: error.OpsItemId, deduplicated: true };
      }
      throw error;
    }
  }
}
