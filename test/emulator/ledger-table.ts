/**
 * Ledger tables on the emulator: created with the exact key schema the stack deploys, and edited
 * by hand as a person or an older writer might leave them.
 */
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { keys, PK, SK, TTL } from '../../lambdas/adapters/dynamodb-ledger-keys';
import { type MotoOptions, type MotoServer, motoClientConfig } from './moto-server';
import { motoForSuite } from './moto-suite';

let tables = 0;

/** A DynamoDB client for the emulator at `endpoint`, with the dummy credentials moto accepts. */
export function motoDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient(motoClientConfig(endpoint));
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

/** The hand edit: removes the `createdAtSec` of remediation `id`'s item (its index items stay). */
export async function removeCreatedAt(doc: DynamoDBDocumentClient, table: string, id: string): Promise<void> {
  await doc.send(
    new UpdateCommand({
      TableName: table,
      Key: keys.remediation(id),
      UpdateExpression: 'REMOVE createdAtSec',
    }),
  );
}

/**
 * A DynamoDB client on the suite's moto (see {@link motoForSuite}), created before the enclosing
 * `describe`'s tests and destroyed after; returns it, to call inside a test or hook.
 */
export function dynamoDbClientForSuite(moto: () => MotoServer): () => DynamoDBClient {
  let client: DynamoDBClient | undefined;
  beforeAll(() => {
    client = motoDynamoDbClient(moto().endpoint);
  });
  afterAll(() => client?.destroy());
  return () => {
    if (client === undefined) throw new Error('the moto client exists only inside the suite');
    return client;
  };
}

/**
 * Runs moto for the enclosing `describe` (started before its tests, stopped after) and returns
 * its DynamoDB client, to call inside a test or hook.
 */
export function motoDynamoDbForSuite(options: MotoOptions = {}): () => DynamoDBClient {
  return dynamoDbClientForSuite(motoForSuite(options));
}
