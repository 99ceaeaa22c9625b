/**
 * The closed-holds scenarios (a new alarm meeting a closed remediation that still holds, or a
 * holder whose item lost a field; a close from `started` counted in its closing write) on the
 * DynamoDB ledger against moto's emulator.
 */
import { describe } from 'vitest';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { closedHolderScenarios } from '../unit/remediation/closed-holder-scenarios';
import { closingCountScenarios } from '../unit/remediation/closing-count-scenarios';
import type { FakeClock } from '../unit/remediation/ledger-fixtures';
import { RETENTION } from '../unit/remediation/ledger-fixtures';
import { unreadableHolderScenarios } from '../unit/remediation/unreadable-holder-scenarios';
import { createLedgerTable, motoDynamoDbForSuite, removeCreatedAt } from './ledger-table';
import { requireMoto } from './moto-server';

const run = requireMoto();

describe.runIf(run)('closed holds on the DynamoDB ledger (moto)', () => {
  const client = motoDynamoDbForSuite({ atomicRequests: true });
  const ledgerOn = async (clock: FakeClock) =>
    new DynamoDbLedger({
      client: ledgerDocumentClient(client()),
      tableName: await createLedgerTable(client()),
      clock,
      ...RETENTION,
    });

  closedHolderScenarios('DynamoDB (moto)', ledgerOn);
  closingCountScenarios('DynamoDB (moto)', ledgerOn);
  unreadableHolderScenarios('DynamoDB (moto)', async (clock) => {
    const doc = ledgerDocumentClient(client());
    const tableName = await createLedgerTable(client());
    const ledger = new DynamoDbLedger({ client: doc, tableName, clock, ...RETENTION });
    return { ledger, removeCreatedAt: (id) => removeCreatedAt(doc, tableName, id) };
  });
});
