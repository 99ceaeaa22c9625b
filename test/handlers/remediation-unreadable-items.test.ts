/**
 * UnreadableLedgerItems: each remediation function counts the malformed ledger items (a bug or a
 * hand edit) it went on without in one invocation, each item once, in the metric its
 * UnreadableLedgerItemsAlarm reads, and logs each at ERROR with its key. The verification handler
 * meets them among an escalation's earlier actions; the sweeper in its listings, as lock holders
 * of the remediations it re-drives, and among the earlier actions of what it escalates or re-sends.
 * (The alarm handler's lock holder: ./remediation-unreadable-holder.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import type { EngineResult } from '../../lambdas/core/remediation/engine-result';
import { REMEDIATION_METRIC_NAMESPACE } from '../../lib/config/metric-names';
import { motoDynamoDbClient, removeCreatedAt } from '../emulator/ledger-table';
import { newRemediation } from '../unit/remediation/ledger-fixtures';
import { emitted, outputOf } from './emf-capture';
import { mockRemediationAws, useMotoSuite } from './remediation-mocks';
import {
  advance,
  alarmEvent,
  automationEvent,
  context,
  DISK_RULE,
  INSTANCE,
  type Loaded,
  loadHandlers,
  requireMoto,
  SERVICE_NAMES,
  sweepEvent,
  withRules,
} from './remediation-setup';

const aws = mockRemediationAws();
const { alarmIs } = aws;

const run = requireMoto();

const UNREADABLE = 'UnreadableLedgerItems';
const PROBLEM = 'createdAtSec: missing; required (number)';

/** UnreadableLedgerItems datapoints of `values`, as `service` emits them. */
function counted(service: string, ...values: number[]) {
  return values.map((value) => ({
    namespace: REMEDIATION_METRIC_NAMESPACE,
    metricName: UNREADABLE,
    dimensions: { service },
    value,
  }));
}

/** The `ledger item unreadable` records of `output`, by key. */
function unreadableLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.includes('"message":"ledger item unreadable"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .sort((a, b) => String(a.key).localeCompare(String(b.key)));
}

describe.runIf(run)('UnreadableLedgerItems of the verification handler and the sweeper', () => {
  const moto = useMotoSuite(aws);

  async function load(): Promise<Loaded> {
    return loadHandlers(moto(), withRules(DISK_RULE), {
      env: { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false' },
    });
  }

  /** Removes `createdAtSec` from remediation `id`'s stored item, as a hand edit might. */
  async function breakItem(h: Loaded, id: string): Promise<void> {
    await removeCreatedAt(ledgerDocumentClient(motoDynamoDbClient(moto().endpoint)), h.tableName, id);
  }

  /** An earlier action of the disk rule on INSTANCE, resolved, then hand-edited. */
  async function brokenAction(h: Loaded, id: string): Promise<void> {
    await h.ledger.createRemediation(newRemediation(id, { ruleId: DISK_RULE.id, resourceId: INSTANCE }));
    await h.ledger.transition(id, 'started', 'resolved');
    await breakItem(h, id);
  }

  it('verification handler: counts the items left out of an escalation, and nothing for an event that met none', async () => {
    const h = await load();
    const start = await outputOf(() => h.alarm(alarmEvent('evt-1'), context));
    await brokenAction(h, 'rem-bad');
    await brokenAction(h, 'rem-odd');

    let result: EngineResult | undefined;
    const output = await outputOf(async () => {
      result = await h.verify(automationEvent('ssm-1', 'Failed'), context);
    });

    // Metrics are on: the start was counted, and it met no unreadable item.
    expect(emitted(start, 'RemediationsStarted').map((m) => m.value)).toEqual([1]);
    expect(emitted(start, UNREADABLE)).toEqual([]);
    expect(result).toMatchObject({ outcome: 'verificationFailed' });
    expect(result?.unreadableLedgerItems).toHaveLength(2);
    expect(emitted(output, UNREADABLE)).toEqual(counted(SERVICE_NAMES.verify, 2));
    expect(unreadableLines(output)).toMatchObject([
      { level: 'ERROR', key: 'pk=REM#rem-bad sk=REM', problem: PROBLEM, eventId: 'evt-1' },
      { level: 'ERROR', key: 'pk=REM#rem-odd sk=REM', problem: PROBLEM, eventId: 'evt-1' },
    ]);
  });

  it('sweeper: counts each item once per run, a lock holder met by two re-drives and an item its listing left out', async () => {
    const h = await load();
    const nowSec = Math.floor(Date.now() / 1000);
    // A remediation of the instance closed from `started` without an execution keeps its lock; its
    // item then broken. Two alarms on the instance are blocked by it.
    await h.ledger.createRemediation(
      newRemediation('rem-holder', {
        ruleId: DISK_RULE.id,
        resourceId: INSTANCE,
        alarmName: 'disk-full-web-1',
        deadlineSec: nowSec + 600,
      }),
    );
    expect(await h.ledger.acquireResourceLock(INSTANCE, 'rem-holder', nowSec + 1500)).toBe(true);
    await h.ledger.transition('rem-holder', 'started', 'resolved');
    await breakItem(h, 'rem-holder');
    await outputOf(async () => {
      await h.alarm(alarmEvent('evt-2'), context);
      await h.alarm(alarmEvent('evt-3', 'ALARM', 'disk-full-web-1-root'), context);
    });
    // A blocked remediation of another instance whose item lost a field (not open: the re-drives'
    // guardrail snapshots do not read it).
    await h.ledger.createRemediation(newRemediation('rem-bad', { resourceId: 'i-00000000000000009' }));
    await h.ledger.transition('rem-bad', 'started', 'blocked', { blockedBy: 'resourceLock' });
    await breakItem(h, 'rem-bad');
    alarmIs('ALARM');
    advance(61);
    const event = sweepEvent();

    let failure: unknown;
    const output = await outputOf(async () => {
      failure = await h.sweep(event, context).catch((error: unknown) => error);
    });

    expect(failure).toMatchObject({
      name: 'SweepIncompleteError',
      message: 'sweep incomplete: 1 error (re-drive blocked remediations: 1)',
    });
    for (const id of ['rem-evt-2', 'rem-evt-3']) {
      expect(await h.ledger.getRemediation(id)).toMatchObject({
        state: 'blocked',
        blockedBy: 'resourceLock',
      });
    }
    expect(emitted(output, UNREADABLE)).toEqual(counted(SERVICE_NAMES.sweep, 2));
    expect(unreadableLines(output)).toMatchObject([
      { level: 'ERROR', key: 'pk=REM#rem-bad sk=REM', problem: PROBLEM, eventId: event.id },
      { level: 'ERROR', key: 'pk=REM#rem-holder sk=REM', problem: PROBLEM, eventId: event.id },
    ]);
  });
});
