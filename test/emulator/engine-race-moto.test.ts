/**
 * The engine's limits under concurrent handlers, on the DynamoDB ledger (moto, one request at a
 * time as DynamoDB applies conditional writes): every handler reads the same advisory snapshot,
 * so only the ledger's holds can keep the limits.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { alarmOnInstance, testDeps } from '../unit/remediation/engine-deps';
import { DISK_RULE } from '../unit/remediation/helpers';
import { createLedgerTable, motoDynamoDbForSuite } from './ledger-table';
import { requireMoto } from './moto-server';

const run = requireMoto();
const instance = (i: number) => `i-${i.toString(16).padStart(17, '0')}`;

describe.runIf(run)('engine races on the DynamoDB ledger (moto)', () => {
  const client = motoDynamoDbForSuite({ atomicRequests: true });

  it('starts exactly 3 of 10 concurrent alarms on one 10-instance group at 34 % blast radius', async () => {
    const tableName = await createLedgerTable(client());
    const deps = testDeps({
      rules: [{ ...DISK_RULE, limits: { blastRadiusPercent: 34 } }],
      extra: { maxConcurrentRemediations: 10 },
      ledger: (clock) =>
        new DynamoDbLedger({ client: ledgerDocumentClient(client()), tableName, clock, retentionDays: 7 }),
    });
    for (let i = 0; i < 10; i += 1)
      deps.groups.groups.set(instance(i), { name: 'web-asg', instancesInService: 10 });

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => handleAlarmEvent(alarmOnInstance(`evt-${i}`, instance(i)), deps)),
    );

    expect(results.filter((r) => r.outcome === 'started')).toHaveLength(3);
    expect(deps.automation.requests).toHaveLength(3);
    expect(await deps.ledger.activeGroupSlots('web-asg')).toBe(3);
    const refused = results.filter((r) => r.outcome !== 'started');
    expect(refused.every((r) => r.reason.startsWith('blastRadius'))).toBe(true);
  });
});
