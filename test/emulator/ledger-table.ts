/** Creates ledger tables on the emulator with the exact key schema the stack deploys. */
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { PK, SK, TTL } from '../../lambdas/adapters/dynamodb-ledger-keys';
import { type MotoOptions, type MotoServer, startMoto } from './moto-server';

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

/**
 * Runs moto for the enclosing `describe` (started before its tests, stopped after) and returns
 * its DynamoDB client, to call inside a test or hook.
 */
export function motoDynamoDbForSuite(options: MotoOptions = {}): () => DynamoDBClient {
  let moto: MotoServer | undefined;
  let client: DynamoDBClient | undefined;
  beforeAll(async () => {
    moto = await startMoto(options);
    client = motoDynamoDbClient(moto.endpoint);
  }, 30_000);
  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });
  return () => {
    if (client === undefined) throw new Error('the moto client exists only inside the suite');
    return client;
  };
}
