/**
 * OpsCenter: CreateOpsItem, deduplicated by OpsCenter itself through the `/aws/dedup` string, and
 * for a later escalation OpsCenter deduplicated into an open OpsItem, GetOpsItem and UpdateOpsItem
 * (the update is built in lambdas/core/remediation/escalation-opsitem-update).
 */
import {
  CreateOpsItemCommand,
  GetOpsItemCommand,
  OpsItemAlreadyExistsException,
  type OpsItemDataValue as SdkDataValue,
  type SSMClient,
  UpdateOpsItemCommand,
} from '@aws-sdk/client-ssm';
import type {
  OpsItemContent,
  OpsItemDataValue,
  OpsItemRequest,
  OpsItemUpdateRequest,
} from '../core/remediation/engine-ports';

/** CreateOpsItem answered without an id. */
export class MissingOpsItemIdError extends Error {
  override readonly name = 'MissingOpsItemIdError';
}

/** GetOpsItem answered without the OpsItem. */
export class MissingOpsItemError extends Error {
  override readonly name = 'MissingOpsItemError';
}

/** The tag each created OpsItem carries (lib/config/ops-item-tag). */
export interface OpsItemTag {
  readonly key: string;
  readonly value: string;
}

/** Creates OpsItems, tagged as this stack's, and adds later escalations to them. */
export class OpsCenterItems {
  constructor(
    private readonly client: SSMClient,
    private readonly tag: OpsItemTag,
  ) {}

  /**
   * Sends the request with the stack's tag. OpsCenter drops a request whose dedup string matches
   * an open OpsItem; when it says so with OpsItemAlreadyExistsException, the open item's id is
   * returned. Tagging on create needs ssm:AddTagsToResource as well as ssm:CreateOpsItem (the
   * CreateOpsItem API reference, `Tags`:
   * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateOpsItem.html).
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
          OperationalData: sdkData(request.OperationalData),
          Tags: [{ Key: this.tag.key, Value: this.tag.value }],
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

  /** The OpsItem's status, description and operational data (GetOpsItem). */
  async read(opsItemId: string): Promise<OpsItemContent> {
    const res = await this.client.send(new GetOpsItemCommand({ OpsItemId: opsItemId }));
    if (res.OpsItem === undefined)
      throw new MissingOpsItemError(`GetOpsItem returned no OpsItem ${opsItemId}`);
    const data: Record<string, OpsItemDataValue> = {};
    for (const [key, v] of Object.entries(res.OpsItem.OperationalData ?? {})) {
      data[key] = {
        Value: v.Value ?? '',
        Type: v.Type === 'SearchableString' ? 'SearchableString' : 'String',
      };
    }
    return {
      ...(res.OpsItem.Status === undefined ? {} : { Status: res.OpsItem.Status }),
      Description: res.OpsItem.Description ?? '',
      OperationalData: data,
    };
  }

  /** Sends the update as is (UpdateOpsItem). */
  async update(opsItemId: string, update: OpsItemUpdateRequest): Promise<void> {
    await this.client.send(
      new UpdateOpsItemCommand({
        OpsItemId: opsItemId,
        Description: update.Description,
        OperationalData: sdkData(update.OperationalData),
        ...(update.OperationalDataToDelete === undefined
          ? {}
          : { OperationalDataToDelete: [...update.OperationalDataToDelete] }),
      }),
    );
  }
}

function sdkData(data: Readonly<Record<string, OpsItemDataValue>>): Record<string, SdkDataValue> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, { Value: v.Value, Type: v.Type }]));
}
