/**
 * The sweeper handler when some of its work fails: every step still runs, each failure is logged
 * with the record it concerns, and the run then fails (so the Errors alarm fires) with a message
 * naming the steps that had errors.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { motoDynamoDbClient, removeCreatedAt } from '../emulator/ledger-table';
import { newRemediation } from '../unit/remediation/ledger-fixtures';
import { outputOf } from './emf-capture';
import { mockRemediationAws, useMotoSuite } from './remediation-mocks';
import {
  advance,
  alarmEvent,
  context,
  DISK_RULE,
  type Loaded,
  loadHandlers,
  requireMoto,
  sweepEvent,
  withRules,
} from './remediation-setup';
import { accessDenied } from './ssm-errors';

const aws = mockRemediationAws();
const { ssm, sns } = aws;

const run = requireMoto();

describe.runIf(run)('remediation sweeper with failing steps', () => {
  const moto = useMotoSuite(aws);

  /** `rem-evt-1` failed to start and its escalation is still pending: SNS refuses. */
  async function pendingEscalation(): Promise<Loaded> {
    const h = await loadHandlers(moto(), withRules(DISK_RULE), { env: { POWERTOOLS_LOG_LEVEL: 'INFO' } });
    ssm.on(StartAutomationExecutionCommand).rejects(accessDenied());
    sns.on(PublishCommand).rejects(new Error('SNS down'));
    await outputOf(() => expect(h.alarm(alarmEvent('evt-1'), context)).rejects.toThrow());
    return h;
  }

  /** An overdue remediation whose stored item lost its `createdAtSec` (a hand edit). */
  async function malformedOverdue(h: Loaded): Promise<void> {
    await h.ledger.createRemediation(newRemediation('rem-bad', { resourceId: 'i-00000000000000009' }));
    await h.ledger.transition('rem-bad', 'started', 'verifying', { executionId: 'exec-bad' });
    await removeCreatedAt(ledgerDocumentClient(motoDynamoDbClient(moto().endpoint)), h.tableName, 'rem-bad');
  }

  it('names the step whose record failed, not the overdue count', async () => {
    const h = await pendingEscalation();
    advance(61);

    await outputOf(() =>
      expect(h.sweep(sweepEvent(), context)).rejects.toThrow(
        'sweep incomplete: 1 error (re-send escalations: 1)',
      ),
    );
  });

  it('runs every step past a malformed overdue item, logs its key, then names each step with errors', async () => {
    const h = await pendingEscalation();
    await malformedOverdue(h);
    advance(61);

    let failure: unknown;
    const logs = await outputOf(async () => {
      failure = await h.sweep(sweepEvent(), context).catch((error: unknown) => error);
    });

    expect(failure).toMatchObject({
      name: 'SweepIncompleteError',
      message: 'sweep incomplete: 2 errors (handle overdue remediations: 1, re-send escalations: 1)',
    });
    const errorLines = logs.split('\n').filter((l) => l.includes('"message":"sweep step failed"'));
    expect(errorLines).toHaveLength(2);
    expect(errorLines[0]).toContain('"step":"handle overdue remediations"');
    expect(errorLines[0]).toContain('"key":"pk=REM#rem-bad sk=REM"');
    expect(errorLines[0]).toContain('createdAtSec: missing; required (number)');
    expect(errorLines[0]).toContain('"level":"ERROR"');
    // The re-send step still ran after the overdue listing met the malformed item.
    expect(errorLines[1]).toContain('"step":"re-send escalations"');
    expect(errorLines[1]).toContain('"remediationId":"rem-evt-1"');
  });
});
