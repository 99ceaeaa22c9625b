/**
 * A later escalation whose update of the deduplicated OpsItem failed is retried by the sweeper a
 * minute or more later, always into the OpsItem id recorded at the first attempt. OpsCenter's
 * dedup only keeps an OpsItem that is open or in progress: "If the status of an existing OpsItem
 * is open or in progress, the OpsItem is not created. If the existing OpsItem is resolved, Systems
 * Manager creates a new OpsItem."
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/OpsCenter-working-deduplication.html)
 * GetOpsItem answers the OpsItem's `Status`
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetOpsItem.html).
 *
 * A later failure is added only to an OpsItem still open (docs/remediation-engine.md, "A later
 * escalation into an open OpsItem"): when the SRE resolved it before the retry, nothing is
 * written into it (nobody works it any more); the retry asks CreateOpsItem again, which, the
 * OpsItem being resolved, creates a new one, and the record names that one.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
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
import { SnsEscalator } from '../../../lambdas/adapters/sns-escalation';
import type { EngineDeps } from '../../../lambdas/core/remediation/engine-ports';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { startThenFail, testDeps, throttled } from './engine-deps';

const ssm = mockClient(SSMClient);
const sns = mockClient(SNSClient);
const REGION = 'us-east-1';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:selfheal-escalations';
const INSTANCE = 'i-0abc123def4567890';
const OPS_ITEM = 'oi-0123456789ab';

function depsWithRealAdapters() {
  const deps = testDeps();
  const escalator = new SnsEscalator(
    new SNSClient({ region: REGION }),
    TOPIC,
    new OpsCenterItems(new SSMClient({ region: REGION }), { key: 'selfheal:stack', value: 'SelfHeal' }),
  );
  const engine: EngineDeps = { ...deps, escalator };
  return { engine, clock: deps.clock, ledger: deps.ledger };
}

describe('retrying a later escalation into the OpsItem OpsCenter deduplicated it into', () => {
  beforeEach(() => {
    ssm.reset();
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
  });

  it('does not file the later failure in an OpsItem the SRE has resolved since', async () => {
    const { engine, clock, ledger } = depsWithRealAdapters();
    // The first failure creates the OpsItem.
    ssm.on(CreateOpsItemCommand).resolvesOnce({ OpsItemId: OPS_ITEM });
    await startThenFail(engine, 'evt-1', INSTANCE);
    clock.advance(1000);
    // The second is deduplicated into it while it is open, and its read is throttled.
    ssm
      .on(CreateOpsItemCommand)
      .rejects(new OpsItemAlreadyExistsException({ message: 'exists', $metadata: {}, OpsItemId: OPS_ITEM }));
    ssm.on(GetOpsItemCommand).rejectsOnce(throttled());
    await startThenFail(engine, 'evt-2', INSTANCE);
    expect((await ledger.getRemediation('rem-evt-2'))?.escalation).toMatchObject({
      opsItemId: OPS_ITEM,
      opsItemDeduplicated: true,
      opsItemUpdateFailures: 1,
    });

    // Before the sweeper's retry, the SRE resolves the OpsItem (the first failure handled).
    ssm.on(GetOpsItemCommand).resolves({
      OpsItem: {
        OpsItemId: OPS_ITEM,
        Status: 'Resolved',
        Description: 'Automation failed: first failure',
        OperationalData: {
          '/aws/dedup': { Value: '{"dedupString":"x"}', Type: 'SearchableString' },
        },
      },
    });
    ssm.on(UpdateOpsItemCommand).resolves({});
    // Were CreateOpsItem asked again now, OpsCenter would create a new OpsItem (the old one is resolved).
    ssm.on(CreateOpsItemCommand).resolves({ OpsItemId: 'oi-00000000000b' });
    const createsBefore = ssm.commandCalls(CreateOpsItemCommand).length;
    clock.advance(300);

    await sweepDeadlines(engine, 'sweep-1');

    const reopened = ssm
      .commandCalls(UpdateOpsItemCommand)
      .some((c) => c.args[0].input.OpsItemId === OPS_ITEM && c.args[0].input.Status === 'Open');
    const createdAgain = ssm.commandCalls(CreateOpsItemCommand).length > createsBefore;
    // The later failure ends up in an open OpsItem: the resolved one reopened, or a new one.
    const updates = ssm.commandCalls(UpdateOpsItemCommand).map((c) => c.args[0].input);
    expect(
      reopened || createdAgain,
      `the retry sent UpdateOpsItem ${JSON.stringify(updates.map((u) => ({ OpsItemId: u.OpsItemId, Status: u.Status, keys: Object.keys(u.OperationalData ?? {}) })))} to the Resolved OpsItem and no CreateOpsItem`,
    ).toBe(true);
    expect(updates.filter((u) => u.OpsItemId === OPS_ITEM && u.Status !== 'Open')).toEqual([]);
    const escalation = (await ledger.getRemediation('rem-evt-2'))?.escalation;
    expect(escalation).toMatchObject({ opsItemId: 'oi-00000000000b' });
    expect(escalation?.opsItemDeduplicated).toBeUndefined();
    expect(escalation?.opsItemUpdateError).toBeUndefined();
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });
});
