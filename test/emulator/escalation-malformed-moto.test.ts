/**
 * Escalations on the DynamoDB ledger (moto) with a hand-edited remediation item among the
 * resource's earlier actions: the escalation and the sweeper's re-send go, the item left out of
 * the earlier actions and named in the evidence; a decision that needs every open record still
 * fails on it.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { EscalationNotDeliveredError } from '../../lambdas/core/remediation/escalation-send';
import { MalformedRecordError } from '../../lambdas/core/remediation/ledger';
import { handleAutomationEvent } from '../../lambdas/core/remediation/verification-automation';
import { sweepDeadlines } from '../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, automationStatus, type TestDeps, testDeps } from '../unit/remediation/engine-deps';
import { DISK_RULE } from '../unit/remediation/helpers';
import { newRemediation, RETENTION } from '../unit/remediation/ledger-fixtures';
import { createLedgerTable, motoDynamoDbForSuite, removeCreatedAt } from './ledger-table';
import { requireMoto } from './moto-server';

const run = requireMoto();

const A = 'i-00000000000000001';
const B = 'i-00000000000000002';
const NAMED =
  '1 ledger item could not be read and is left out of the earlier actions: pk=REM#r-bad sk=REM (createdAtSec: missing; required (number))';

describe.runIf(run)('escalations with a malformed ledger item (moto)', () => {
  const client = motoDynamoDbForSuite();

  /** Engine deps on a fresh table, and the hand edit of one of its records. */
  async function onFreshTable() {
    const doc = ledgerDocumentClient(client());
    const table = await createLedgerTable(client());
    const deps = testDeps({
      ledger: (clock) => new DynamoDbLedger({ client: doc, tableName: table, clock, ...RETENTION }),
    });
    return { deps, breakRecord: (id: string) => removeCreatedAt(doc, table, id) };
  }

  /** Engine deps on a fresh table, a remediation started on A, and its failed automation's event. */
  async function startedOnA() {
    const { deps, breakRecord } = await onFreshTable();
    const started = await handleAlarmEvent(alarmOnInstance('evt-1', A), deps);
    const failed = automationStatus('auto-1', 'Failed', started.executionId ?? '');
    return { deps, failed, breakRecord };
  }

  /** An earlier action `r-bad` of the rule on A, resolved, then hand-edited: its `createdAtSec` removed. */
  async function malformedEarlierAction(deps: TestDeps, breakRecord: (id: string) => Promise<void>) {
    await deps.ledger.createRemediation(newRemediation('r-bad', { ruleId: DISK_RULE.id, resourceId: A }));
    await deps.ledger.transition('r-bad', 'started', 'resolved');
    await breakRecord('r-bad');
  }

  it('escalates a failed automation, the item left out of the actions and named in the evidence', async () => {
    const { deps, failed, breakRecord } = await startedOnA();
    await malformedEarlierAction(deps, breakRecord);

    const result = await handleAutomationEvent(failed, deps);

    expect(result).toMatchObject({ outcome: 'verificationFailed', escalation: { snsMessageId: 'msg-1' } });
    expect(deps.escalator.notifications[0]?.message).toContain(NAMED);
    expect(deps.escalator.notifications[0]?.message).toContain('"remediationId": "rem-evt-1"');
    expect(deps.escalator.opsItems[0]?.Description).toContain(NAMED);
  });

  it('lets the sweeper re-send an escalation SNS refused, the item named', async () => {
    const { deps, failed, breakRecord } = await startedOnA();
    deps.escalator.snsFails = true;
    await expect(handleAutomationEvent(failed, deps)).rejects.toBeInstanceOf(EscalationNotDeliveredError);
    deps.escalator.snsFails = false;
    await malformedEarlierAction(deps, breakRecord);
    deps.clock.advance(61);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.errors).toEqual([]);
    expect(sweep.resentEscalations).toBe(1);
    expect(deps.escalator.notifications[0]?.message).toContain(NAMED);
  });

  it('escalates a repeated rule defect again, once, when the earlier escalation cannot be read', async () => {
    const { deps, breakRecord } = await onFreshTable();
    const injected = 'i-0abc; rm -rf /';
    const first = await handleAlarmEvent(alarmOnInstance('evt-1', injected), deps);
    expect(first).toMatchObject({ outcome: 'escalated', escalation: { kind: 'ruleDefect' } });
    await breakRecord('rem-evt-1');
    deps.clock.advance(60);

    const again = await handleAlarmEvent(alarmOnInstance('evt-2', injected), deps);
    deps.clock.advance(60);
    const third = await handleAlarmEvent(alarmOnInstance('evt-3', injected), deps);

    expect(again).toMatchObject({ outcome: 'escalated', escalation: { kind: 'ruleDefect' } });
    expect(third).toMatchObject({ outcome: 'skipped' });
    expect(third.reason).toContain('not escalated again: remediation rem-evt-2 escalated the same defect');
    expect(deps.escalator.notifications).toHaveLength(2);
  });

  it('still fails a decision that needs every open record', async () => {
    const { deps, breakRecord } = await startedOnA();
    await breakRecord('rem-evt-1');

    await expect(handleAlarmEvent(alarmOnInstance('evt-2', B), deps)).rejects.toThrow(
      new MalformedRecordError('pk=REM#rem-evt-1 sk=REM', 'createdAtSec: missing; required (number)'),
    );
    expect(deps.automation.requests).toHaveLength(1);
  });
});
