/**
 * Records written before this release on the DynamoDB ledger (moto): they lack the index items the
 * current code writes with each record (`ACTION#<rule>#<resource>` for an action,
 * `DEFECT#<rule>#<resource>` for a rule-defect escalation), simulated by deleting those items.
 * An action that ran is still listed in later escalations' evidence, found by its frequency-limit
 * mark (`WINDOW`); one still open at the upgrade gets its item on its next write; a start SSM
 * refused (no mark) is not listed. A defect escalated before the `DEFECT` items existed is not
 * found by the repeat check, so its first repeat escalates once more.
 */
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { type Key, keys } from '../../lambdas/adapters/dynamodb-ledger-keys';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { StartRefusedError } from '../../lambdas/core/remediation/engine-ports';
import type { Ledger } from '../../lambdas/core/remediation/ledger';
import { handleAutomationEvent } from '../../lambdas/core/remediation/verification-automation';
import {
  alarmOnInstance,
  automationStatus,
  evidenceOf,
  startThenFail,
  testDeps,
} from '../unit/remediation/engine-deps';
import { DISK_RULE } from '../unit/remediation/helpers';
import { RETENTION } from '../unit/remediation/ledger-fixtures';
import { createLedgerTable, motoDynamoDbForSuite } from './ledger-table';
import { requireMoto } from './moto-server';

const run = requireMoto();

const A = 'i-00000000000000001';

/** The ACTION item key of stored record `id`. */
async function actionKey(ledger: Ledger, id: string): Promise<Key> {
  const r = await ledger.getRemediation(id);
  if (r === undefined) throw new Error(`no record ${id}`);
  return keys.action(r.ruleId, r.resourceId, r.createdAtSec, r.id);
}

describe.runIf(run)('records written before this release (moto)', () => {
  const client = motoDynamoDbForSuite();

  /** Engine deps on a fresh table, and reads and deletes of its raw items. */
  async function onFreshTable() {
    const doc = ledgerDocumentClient(client());
    const table = await createLedgerTable(client());
    const deps = testDeps({
      ledger: (clock) => new DynamoDbLedger({ client: doc, tableName: table, clock, ...RETENTION }),
    });
    const exists = async (key: Key) =>
      (await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item !==
      undefined;
    /** Deletes the item at `key`, as a table written before its index existed lacks it. */
    const drop = async (key: Key) => {
      expect(await exists(key)).toBe(true);
      await doc.send(new DeleteCommand({ TableName: table, Key: key }));
    };
    return { deps, exists, drop };
  }

  const actions = (evidence: ReturnType<typeof evidenceOf>) =>
    evidence.actions.map((a) => [a.remediationId, a.state]);

  it('lists an action that ran before this release, found by its frequency-limit mark', async () => {
    const { deps, drop } = await onFreshTable();
    const first = await handleAlarmEvent(alarmOnInstance('evt-1', A), deps);
    // Its automation ended, so the OK resolves it.
    deps.automation.statuses.set(first.executionId ?? '', 'Success');
    await handleAlarmEvent(alarmOnInstance('evt-1-ok', A, 'OK'), deps);
    await drop(await actionKey(deps.ledger, 'rem-evt-1'));
    deps.clock.advance(901);

    expect((await startThenFail(deps, 'evt-2', A)).outcome).toBe('verificationFailed');

    expect(actions(evidenceOf(deps.escalator.notifications[0]))).toEqual([
      ['rem-evt-2', 'failed'],
      ['rem-evt-1', 'resolved'],
    ]);
  });

  it('indexes an action still open at the upgrade on its next write', async () => {
    const { deps, exists, drop } = await onFreshTable();
    const started = await handleAlarmEvent(alarmOnInstance('evt-1', A), deps);
    const key = await actionKey(deps.ledger, 'rem-evt-1');
    await drop(key);
    // Its mark is dropped too, so only the item its next write puts back can list it.
    await drop(keys.timed(keys.window(DISK_RULE.id, A), deps.clock.nowSec(), 'rem-evt-1'));

    const failed = automationStatus('auto-1', 'Failed', started.executionId ?? '');
    expect((await handleAutomationEvent(failed, deps)).outcome).toBe('verificationFailed');

    expect(await exists(key)).toBe(true);
    expect(actions(evidenceOf(deps.escalator.notifications[0]))).toEqual([['rem-evt-1', 'failed']]);
  });

  it('does not list a start SSM refused before this release: it has neither an ACTION item nor a mark', async () => {
    const { deps, drop } = await onFreshTable();
    deps.automation.fail = new StartRefusedError('AccessDeniedException: not authorized (HTTP 400)', {
      kind: 'permission',
    });
    expect((await handleAlarmEvent(alarmOnInstance('evt-1', A), deps)).outcome).toBe('startFailed');
    deps.automation.fail = undefined;
    await drop(await actionKey(deps.ledger, 'rem-evt-1'));

    await startThenFail(deps, 'evt-2', A);

    expect(actions(evidenceOf(deps.escalator.notifications[1]))).toEqual([['rem-evt-2', 'failed']]);
  });

  it('escalates a repeated rule defect once more when the earlier escalation predates the DEFECT items', async () => {
    const { deps, drop } = await onFreshTable();
    const injected = 'i-0abc; rm -rf /';
    const first = await handleAlarmEvent(alarmOnInstance('evt-1', injected), deps);
    expect(first).toMatchObject({ outcome: 'escalated', escalation: { kind: 'ruleDefect' } });
    const r = await deps.ledger.getRemediation('rem-evt-1');
    await drop(keys.defect(DISK_RULE.id, injected, r?.createdAtSec ?? 0, 'rem-evt-1'));
    deps.clock.advance(60);

    const again = await handleAlarmEvent(alarmOnInstance('evt-2', injected), deps);
    deps.clock.advance(60);
    const third = await handleAlarmEvent(alarmOnInstance('evt-3', injected), deps);

    expect(again).toMatchObject({ outcome: 'escalated', escalation: { kind: 'ruleDefect' } });
    expect(third).toMatchObject({ outcome: 'skipped' });
    expect(third.reason).toContain('not escalated again: remediation rem-evt-2 escalated the same defect');
    expect(deps.escalator.notifications).toHaveLength(2);
  });
});
