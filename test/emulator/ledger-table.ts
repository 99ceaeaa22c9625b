/** Creates ledger tables on the emulator with the exact key schema the stack deploys. */
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { PK, SK, TTL } from '../../lambdas/adapters/dynamodb-ledger-keys';

let tables = 0;

/** A DynamoDB client for the emulator at `endpoint`, with the dummy credentials moto accepts. */
export function motoDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

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
