import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedger, ledgerDocumentClient } from '../lambdas/adapters/dynamodb-ledger';
import type { HistoryLedger, LedgerLocation } from './history-command';
import type { RuleLedger } from './reset-rule-command';

/**
 * Retention the adapter stamps on writes: `history` only reads; `reset-rule`'s reset gives the
 * freeze item this TTL. Any value of at least 30 days (the longest errorBudgetWindowHours, 720 h)
 * serves, whatever the deployed ledgerRetentionDays: by the time the item expires, every failure
 * the reset stopped counting is outside any rule's window. The deployed default, for the record.
 */
const READ_ONLY_RETENTION_DAYS = 90;

/**
 * The ledger on DynamoDB through the default credential chain. The SDK itself honours
 * `AWS_REGION`, `AWS_PROFILE` and `AWS_ENDPOINT_URL` (an emulator); `--region` overrides the region.
 */
export function openDynamoDbLedger(location: LedgerLocation): HistoryLedger & RuleLedger {
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
    ...ruleMethods(ledger),
    close: () => client.destroy(),
    region: () => client.config.region(),
  };
}

/** `reset-rule`'s reads and its one write: the adapter's own, so the write exists in one place. */
function ruleMethods(ledger: DynamoDbLedger): Omit<RuleLedger, 'close' | 'region'> {
  return {
    getRuleFreeze: (ruleId) => ledger.getRuleFreeze(ruleId),
    countFailedVerifications: (ruleId, sinceSec) => ledger.countFailedVerifications(ruleId, sinceSec),
    resetRule: (ruleId, by) => ledger.resetRule(ruleId, by),
  };
}
