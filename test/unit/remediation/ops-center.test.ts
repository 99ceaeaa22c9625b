/**
 * The OpsCenter adapter sends exactly these commands (moto implements no OpsItems): CreateOpsItem
 * tagged with the stack's `selfheal:stack` tag (tagging on create needs ssm:AddTagsToResource too:
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateOpsItem.html), the open
 * OpsItem's id from OpsItemAlreadyExistsException, and GetOpsItem and UpdateOpsItem
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_UpdateOpsItem.html) to add a
 * later escalation.
 */
import {
  CreateOpsItemCommand,
  GetOpsItemCommand,
  OpsItemAlreadyExistsException,
  SSMClient,
  UpdateOpsItemCommand,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { OpsCenterItems } from '../../../lambdas/adapters/ops-center';
import type { OpsItemRequest } from '../../../lambdas/core/remediation/engine-ports';

const ssm = mockClient(SSMClient);
const items = () =>
  new OpsCenterItems(new SSMClient({ region: 'us-east-1' }), { key: 'selfheal:stack', value: 'SelfHeal' });

const REQUEST: OpsItemRequest = {
  Source: 'selfheal',
  Title: 'selfheal: disk-full-cleanup on i-1: automation did not succeed',
  Description: 'automation did not succeed: Failed',
  Category: 'Availability',
  Severity: '2',
  OperationalData: {
    '/aws/dedup': { Value: '{"dedupString":"selfheal:disk-full-cleanup:i-1"}', Type: 'SearchableString' },
  },
};

describe('OpsCenterItems', () => {
  beforeEach(() => ssm.reset());

  it("creates the OpsItem with the stack's tag", async () => {
    ssm.on(CreateOpsItemCommand).resolves({ OpsItemId: 'oi-1' });

    expect(await items().open(REQUEST)).toEqual({ opsItemId: 'oi-1', deduplicated: false });

    expect(ssm.commandCalls(CreateOpsItemCommand).map((c) => c.args[0].input)).toEqual([
      { ...REQUEST, Tags: [{ Key: 'selfheal:stack', Value: 'SelfHeal' }] },
    ]);
  });

  it('answers the open OpsItem when OpsCenter deduplicates the request', async () => {
    ssm
      .on(CreateOpsItemCommand)
      .rejects(new OpsItemAlreadyExistsException({ message: 'exists', $metadata: {}, OpsItemId: 'oi-9' }));

    expect(await items().open(REQUEST)).toEqual({ opsItemId: 'oi-9', deduplicated: true });
  });

  it('reads the status, description and operational data, then updates with exactly what it is given', async () => {
    ssm.on(GetOpsItemCommand).resolves({
      OpsItem: {
        OpsItemId: 'oi-9',
        Status: 'InProgress',
        Description: 'first',
        OperationalData: { 'selfheal:kind': { Value: 'automationFailed', Type: 'SearchableString' } },
      },
    });
    ssm.on(UpdateOpsItemCommand).resolves({});

    const current = await items().read('oi-9');
    await items().update('oi-9', {
      Description: 'first\nLater escalations deduplicated into this OpsItem: 1',
      OperationalData: { 'selfheal:laterCount': { Value: '1', Type: 'String' } },
      OperationalDataToDelete: ['selfheal:later:rem-old'],
    });

    expect(current).toEqual({
      Status: 'InProgress',
      Description: 'first',
      OperationalData: { 'selfheal:kind': { Value: 'automationFailed', Type: 'SearchableString' } },
    });
    expect(ssm.commandCalls(GetOpsItemCommand).map((c) => c.args[0].input)).toEqual([{ OpsItemId: 'oi-9' }]);
    expect(ssm.commandCalls(UpdateOpsItemCommand).map((c) => c.args[0].input)).toEqual([
      {
        OpsItemId: 'oi-9',
        Description: 'first\nLater escalations deduplicated into this OpsItem: 1',
        OperationalData: { 'selfheal:laterCount': { Value: '1', Type: 'String' } },
        OperationalDataToDelete: ['selfheal:later:rem-old'],
      },
    ]);
  });
});
