/**
 * The alarm handler meeting a resource lock whose holder's ledger item is malformed (a hand edit
 * removed a field): the alarm is recorded blocked, naming the holder, rather than failing (and
 * failing again on every retry, then into the DLQ with nothing to re-drive it), and the item is
 * logged at ERROR with its key and counted in UnreadableLedgerItems, whose alarm tells a human to
 * find and fix it.
 */
import { StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import type { EngineResult } from '../../lambdas/core/remediation/engine-result';
import { motoDynamoDbClient, removeCreatedAt } from '../emulator/ledger-table';
import { newRemediation } from '../unit/remediation/ledger-fixtures';
import { emitted, outputOf } from './emf-capture';
import { mockRemediationAws, useMotoSuite } from './remediation-mocks';
import {
  ALARM,
  alarmEvent,
  context,
  DISK_RULE,
  INSTANCE,
  loadHandlers,
  requireMoto,
  withRules,
} from './remediation-setup';

const aws = mockRemediationAws();
const { ssm } = aws;

const run = requireMoto();

describe.runIf(run)('remediation alarm handler on a lock whose holder cannot be read', () => {
  const moto = useMotoSuite(aws);

  it('records the alarm blocked, naming the holder, logs the malformed item at ERROR with its key and counts it', async () => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE), {
      env: { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false' },
    });
    const nowSec = Math.floor(Date.now() / 1000);
    // A remediation of the instance closed from `started` without an execution: it keeps its lock.
    const holder = newRemediation('rem-holder', {
      ruleId: DISK_RULE.id,
      resourceId: INSTANCE,
      alarmName: ALARM,
      deadlineSec: nowSec + 600,
    });
    await h.ledger.createRemediation(holder);
    expect(await h.ledger.acquireResourceLock(INSTANCE, 'rem-holder', nowSec + 1500)).toBe(true);
    await h.ledger.transition('rem-holder', 'started', 'resolved');
    await removeCreatedAt(
      ledgerDocumentClient(motoDynamoDbClient(moto().endpoint)),
      h.tableName,
      'rem-holder',
    );

    let result: EngineResult | undefined;
    const logs = await outputOf(async () => {
      result = await h.alarm(alarmEvent('evt-2'), context);
    });

    const key = 'pk=REM#rem-holder sk=REM';
    const problem = 'createdAtSec: missing; required (number)';
    expect(result).toMatchObject({ outcome: 'skipped', unreadableLedgerItems: [{ key, problem }] });
    expect(result?.reason).toContain(
      `remediation rem-holder holds the lock on ${INSTANCE} until ${new Date((nowSec + 1500) * 1000).toISOString()}, but its record could not be read (ledger item ${key}: ${problem})`,
    );
    expect(await h.ledger.getRemediation('rem-evt-2')).toMatchObject({
      state: 'blocked',
      blockedBy: 'resourceLock',
    });
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(0);
    const errors = logs
      .split('\n')
      .filter((line) => line.includes('"message":"ledger item unreadable"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(errors).toMatchObject([{ level: 'ERROR', key, problem, eventId: 'evt-2' }]);
    // The metric the function's UnreadableLedgerItemsAlarm reads.
    expect(emitted(logs, 'UnreadableLedgerItems')).toEqual([
      {
        namespace: 'SelfHeal/Remediation',
        metricName: 'UnreadableLedgerItems',
        dimensions: { service: 'SelfHeal-remediation-alarm' },
        value: 1,
      },
    ]);
  });
});
