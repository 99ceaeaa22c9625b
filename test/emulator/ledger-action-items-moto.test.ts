/**
 * The DynamoDB ledger's `ACTION#<rule>#<resource>` index items (moto), read raw: one exists
 * exactly while its record is an action (`isAction`). The write that makes a record no longer one
 * (`started → blocked`) deletes it, since a stale item would take a slot of the evidence's
 * 51-item Query; a close from `started` without an execution (`started → skipped` by a resumed
 * start's recheck) keeps it, as that remediation is still an action.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { keys } from '../../lambdas/adapters/dynamodb-ledger-keys';
import { CLOSING } from '../../lambdas/core/remediation/engine-closed-holds';
import { FakeClock, NOW, newRemediation, RETENTION } from '../unit/remediation/ledger-fixtures';
import { createLedgerTable, motoDynamoDbForSuite } from './ledger-table';
import { requireMoto } from './moto-server';

const run = requireMoto();

describe.runIf(run)('ACTION index items of the DynamoDB ledger (moto)', () => {
  const client = motoDynamoDbForSuite();

  /** A ledger on a fresh table, and whether the ACTION item of record `id` (created at NOW) exists. */
  async function onFreshTable() {
    const doc = ledgerDocumentClient(client());
    const table = await createLedgerTable(client());
    const ledger = new DynamoDbLedger({
      client: doc,
      tableName: table,
      clock: new FakeClock(NOW),
      ...RETENTION,
    });
    const hasActionItem = async (id: string) =>
      (
        await doc.send(
          new GetCommand({
            TableName: table,
            Key: keys.action('disk', 'i-1', NOW, id),
            ConsistentRead: true,
          }),
        )
      ).Item !== undefined;
    return { ledger, hasActionItem };
  }

  it('deletes the item when the record leaves `started` for `blocked`, and puts it back when started again', async () => {
    const { ledger, hasActionItem } = await onFreshTable();
    await ledger.createRemediation(newRemediation('r-1'));
    expect(await hasActionItem('r-1')).toBe(true);

    await ledger.transition('r-1', 'started', 'blocked', { blockedBy: 'globalCap' });
    expect(await hasActionItem('r-1')).toBe(false);

    await ledger.transition('r-1', 'blocked', 'started', { deadlineSec: NOW + 900 });
    expect(await hasActionItem('r-1')).toBe(true);
  });

  it('keeps the item when a resumed start closes the record `skipped` without an execution', async () => {
    const { ledger, hasActionItem } = await onFreshTable();
    await ledger.createRemediation(newRemediation('r-1'));

    await ledger.transition('r-1', 'started', 'skipped', {}, CLOSING);

    expect(await hasActionItem('r-1')).toBe(true);
    expect(await ledger.countRemediations('disk', 'i-1', NOW)).toBe(1);
  });
});
