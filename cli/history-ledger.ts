import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedger, ledgerDocumentClient } from '../lambdas/adapters/dynamodb-ledger';
import { IndexReads } from '../lambdas/adapters/dynamodb-ledger-index-reads';
import { HISTORY } from '../lambdas/adapters/dynamodb-ledger-keys';
import type { RemediationRecord } from '../lambdas/core/remediation/ledger';
import type { HistoryLedger, LedgerLocation } from './history-command';
import { KeyedItem } from './history-records';

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
  const index = new IndexReads(doc, location.table);
  return {
    listHistory: (limit) => listHistory(index, ledger, limit),
    getRemediation: (id) => ledger.getRemediation(id),
    close: () => client.destroy(),
    region: () => client.config.region(),
  };
}

/**
 * `DynamoDbLedger.listHistory` by the same reads, newest first, keeping what it drops: its batch
 * read matches records to the HISTORY index on their `id` attribute, so an item without a string
 * `id` (or with another id) would vanish silently. Each id the index names but the batch read did
 * not return is read once more by its key, so the check can name the item and its problem. An id
 * whose record is gone (TTL deletes the index item and the record separately) stays left out.
 */
async function listHistory(
  index: IndexReads,
  ledger: DynamoDbLedger,
  limit: number,
): Promise<(RemediationRecord | KeyedItem)[]> {
  const ids = await index.ids(
    {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': HISTORY },
      ScanIndexForward: false,
    },
    limit,
  );
  const matched = new Map((await index.records(ids)).map((r) => [r.id, r]));
  const items: (RemediationRecord | KeyedItem)[] = [];
  for (const id of ids) {
    const record = matched.get(id);
    if (record !== undefined) {
      items.push(record);
      continue;
    }
    // Unmatched ids are rare (hand edits, older writers): one GetItem each is cheap enough.
    const stored = await ledger.getRemediation(id);
    if (stored !== undefined) items.push(new KeyedItem(id, stored));
  }
  return items;
}
