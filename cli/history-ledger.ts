import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedger, ledgerDocumentClient } from '../lambdas/adapters/dynamodb-ledger';
import type { HistoryLedger, LedgerLocation } from './history-command';

/**
 * Retention the adapter stamps on writes; `history` only reads, so any positive value serves.
 * The deployed default, for the record.
 */
const READ_ONLY_RETENTION_DAYS = 90;

/**
 * The ledger on DynamoDB through the default credential chain. The SDK itself honours
 * `AWS_REGION`, `AWS_PROFILE` and `AWS_ENDPOINT_URL` (an emulator); `--region` overrides the region.
 */
export function openDynamoDbLedger(location: LedgerLocation): HistoryLedger {
  // The machines run Node.js 20, which this code supports; the SDK's eight-line notice about its
  // 2027 move to Node.js 22 would break the one-line stderr contract. Setting it to false keeps it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new DynamoDBClient(location.region === undefined ? {} : { region: location.region });
  const doc = ledgerDocumentClient(client);
  const ledger = new DynamoDbLedger({
    client: doc,
    tableName: location.table,
    clock: { nowSec: () => Math.floor(Date.now() / 1000) },
    retentionDays: READ_ONLY_RETENTION_DAYS,
  });
  return {
    readHistory: (limit) => ledger.readHistory(limit),
    getRemediation: (id) => ledger.getRemediation(id),
    close: () => client.destroy(),
    region: () => client.config.region(),
  };
}
