/** Creates ledger tables on the emulator with the exact key schema the stack deploys. */
import { CreateTableCommand, type DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { PK, SK, TTL } from '../../lambdas/adapters/dynamodb-ledger-keys';

let tables = 0;

/** A new, empty ledger table (on-demand, `pk`/`sk` strings, TTL on `expiresAt`); returns its name. */
export async function createLedgerTable(client: DynamoDBClient): Promise<string> {
  tables += 1;
  const name = `selfheal-ledger-${process.pid}-${tables}`;
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: PK, AttributeType: 'S' },
        { AttributeName: SK, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: PK, KeyType: 'HASH' },
        { AttributeName: SK, KeyType: 'RANGE' },
      ],
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: TTL, Enabled: true },
    }),
  );
  return name;
}
