/**
 * The DynamoDB ledger's `HISTORY` index item (moto), read raw: its TTL follows its record's, which
 * every transition renews, so `selfheal history` lists a record for as long as the record itself
 * is kept (`ledgerRetentionDays` after its last transition), not only that long after its creation.
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

describe.runIf(run)('HISTORY index item of the DynamoDB ledger (moto)', () => {
  const client = motoDynamoDbForSuite();

  it('expires with its record when a later transition renews the record', async () => {
    const doc = ledgerDocumentClient(client());
    const table = await createLedgerTable(client());
    const clock = new FakeClock(NOW);
    const ledger = new DynamoDbLedger({ client: doc, tableName: table, clock, ...RETENTION });
    const expiresAt = async (key: { pk: string; sk: string }) =>
      (await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item?.expiresAt;

    await ledger.createRemediation(newRemediation('r-1'));
    expect(await expiresAt(keys.history(NOW, 'r-1'))).toBe(await expiresAt(keys.remediation('r-1')));

    clock.advance(5 * 3600);
    await ledger.transition('r-1', 'started', 'skipped', {}, CLOSING);

    const recordExpiry = await expiresAt(keys.remediation('r-1'));
    expect(recordExpiry).toBe(NOW + 5 * 3600 + RETENTION.retentionDays * 86_400);
    expect(await expiresAt(keys.history(NOW, 'r-1'))).toBe(recordExpiry);
  });
});
