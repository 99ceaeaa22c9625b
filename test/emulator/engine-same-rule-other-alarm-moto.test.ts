/**
 * Two alarms of one rule on one instance (e.g. `disk-full-root-<id>` and `disk-full-data-<id>`,
 * both matching `disk-full-*` on the same `InstanceId`). The second goes to ALARM while the
 * first one's remediation is open: that remediation verifies only its own alarm, so once it
 * resolves the second alarm is still in ALARM, and CloudWatch sends no new event for an alarm that
 * stays in ALARM (README "Blocked, not forgotten"). The second must therefore be recorded
 * `blocked` by the resourceLock and re-driven by the sweeper, as it would be had both arrived at
 * once (the lock's conditional write refusing it), not `skipped` and dropped with no action and no
 * page (found by the guardrails review).
 *
 * CloudWatch sends an EventBridge event only on a state change:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { parseEvent } from '../../lambdas/core/remediation/events';
import { sweepDeadlines } from '../../lambdas/core/remediation/verification-sweep';
import { alarmEvent, INSTANCE } from '../handlers/remediation-setup';
import { testDeps } from '../unit/remediation/engine-deps';
import { DISK_RULE } from '../unit/remediation/helpers';
import { createLedgerTable, motoDynamoDbForSuite } from './ledger-table';
import { requireMoto } from './moto-server';

const run = requireMoto();
const ID = 'i-00000000000000001';

function alarm(eventId: string, name: string, state: 'ALARM' | 'OK' = 'ALARM') {
  const raw = JSON.parse(JSON.stringify(alarmEvent(eventId, state, name)).replaceAll(INSTANCE, ID));
  const parsed = parseEvent(raw);
  if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${eventId}`);
  return parsed;
}

describe.runIf(run)('a second alarm of the same rule on a resource under remediation (moto)', () => {
  const client = motoDynamoDbForSuite({ atomicRequests: true });

  it('is remediated or escalated once the first remediation is over, not dropped', async () => {
    const tableName = await createLedgerTable(client());
    const deps = testDeps({
      rules: [{ ...DISK_RULE, limits: { cooldownSec: 0 } }],
      ledger: (clock) =>
        new DynamoDbLedger({ client: ledgerDocumentClient(client()), tableName, clock, retentionDays: 7 }),
    });
    const root = `disk-full-root-${ID}`;
    const data = `disk-full-data-${ID}`;
    const first = await handleAlarmEvent(alarm('e-root', root), deps);
    expect(first.outcome).toBe('started');

    // The second alarm arrives while the first remediation verifies.
    deps.clock.advance(60);
    const second = await handleAlarmEvent(alarm('e-data', data), deps);
    expect(await deps.ledger.getRemediation('rem-e-data')).toMatchObject({
      state: 'blocked',
      blockedBy: 'resourceLock',
    });

    // The first remediation works for its own alarm: automation succeeded, its alarm back to OK.
    deps.clock.advance(60);
    if (first.executionId !== undefined) deps.automation.statuses.set(first.executionId, 'Success');
    deps.alarms.states.set(root, 'OK');
    expect((await handleAlarmEvent(alarm('e-root-ok', root, 'OK'), deps)).outcome).toBe('resolved');

    // The data alarm stays in ALARM (no new event); the sweeper runs every minute for 20 minutes.
    deps.alarms.states.set(data, 'ALARM');
    for (let minute = 0; minute < 20; minute += 1) {
      deps.clock.advance(60);
      await sweepDeadlines(deps, `sweep-${minute}`);
    }

    const record = await deps.ledger.getRemediation('rem-e-data');
    const acted = deps.automation.requests.length === 2 || record?.escalation !== undefined;
    expect({ second: second.outcome, state: record?.state, acted }).toMatchObject({ acted: true });
    // Still in ALARM once the holder closed, so the sweeper started it on the data alarm's behalf.
    expect(record?.state).toBe('verifying');
    expect(deps.automation.requests).toHaveLength(2);
  });
});
