import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedger, ledgerDocumentClient } from '../lambdas/adapters/dynamodb-ledger';
import { type SdkTimeBudget, sdkClientConfig } from '../lambdas/runtime/sdk-client-config';
import type { HistoryLedger, LedgerLocation } from './history-command';
import type { RuleLedger } from './reset-rule-command';

/**
 * How long each DynamoDB call of `history` and `reset-rule` may take: 3 attempts (the SDK's standard retry), each
 * given up after 5 s without an answer (connecting after 3 s), so an endpoint that accepts a
 * connection and never answers (a black-holed VPC endpoint, a proxy, a stopped emulator) ends the
 * call within about 15 s, as a one-line "cannot reach DynamoDB" error and exit 2, instead of
 * holding the operator's terminal. The Lambdas' clients are configured the same way.
 */
export const HISTORY_SDK_BUDGET: SdkTimeBudget = {
  maxAttempts: 3,
  callBudgetMs: 16_000,
  maxAttemptMs: 5_000,
};

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
 * Every call is bounded by `budget` ({@link HISTORY_SDK_BUDGET}; tests pass a shorter one).
 */
export function openDynamoDbLedger(
  location: LedgerLocation,
  budget: SdkTimeBudget = HISTORY_SDK_BUDGET,
): HistoryLedger & RuleLedger {
  // The machines run Node.js 20, which this code supports; the SDK's eight-line notice about its
  // 2027 move to Node.js 22 would break the one-line stderr contract. Setting it to false keeps it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new DynamoDBClient({
    ...sdkClientConfig(budget),
    ...(location.region === undefined ? {} : { region: location.region }),
  });
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
