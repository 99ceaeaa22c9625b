/**
 * Two attempts on one start, through the real alarm handler: the first is held inside
 * StartAutomationExecution, a redelivery after the lease resumes it and SSM refuses that start
 * (recorded failed, escalated), then the first's start returns an execution. That automation runs
 * with no ledger record and no holds: the late attempt escalates it naming the execution, logs its
 * decision at error level and emits UntrackedExecutions.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { ListDocumentVersionsCommand, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import type { EngineResult } from '../../lambdas/core/remediation/engine-result';
import { claimLeaseSec } from '../../lambdas/core/remediation/event-claim';
import { emitted, outputOf, stdoutOf } from './emf-capture';
import { mockRemediationAws, useMotoSuite } from './remediation-mocks';
import {
  advance,
  alarmEvent,
  context,
  DISK_RULE,
  EXECUTION_ID,
  INSTANCE,
  loadHandlers,
  NOW_MS,
  requireMoto,
  withRules,
} from './remediation-setup';
import { invalidParameters } from './ssm-errors';

const aws = mockRemediationAws();
const { ssm, sns } = aws;

const run = requireMoto();

describe.runIf(run)('remediation alarm handler losing a start race', () => {
  const moto = useMotoSuite(aws);

  it('escalates an execution it started on a remediation a concurrent attempt closed as a failed start', async () => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE), {
      env: { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false' },
    });
    let answer!: () => void;
    let reached!: () => void;
    const inStart = new Promise<void>((r) => {
      reached = r;
    });
    ssm.on(StartAutomationExecutionCommand).callsFake(async () => {
      reached();
      await new Promise<void>((r) => {
        answer = r;
      });
      return { AutomationExecutionId: EXECUTION_ID };
    });
    let first: Promise<EngineResult> | undefined;
    await stdoutOf(async () => {
      first = h.alarm(alarmEvent('evt-1'), context);
      await inStart;
    });
    // A refusal of the request itself, its document deployed a day before: a throttled or
    // access-denied resume would keep the start uncertain instead.
    ssm.on(StartAutomationExecutionCommand).rejects(invalidParameters());
    aws.documentDeployed(new Date(NOW_MS - 86_400_000));
    advance(claimLeaseSec(60));
    // The resume checks the alarm again before starting: still in ALARM.
    aws.alarmIs('ALARM');
    const resumed = await outputOf(async () =>
      expect(await h.alarm(alarmEvent('evt-1'), { ...context, awsRequestId: 'req-2' })).toMatchObject({
        outcome: 'startFailed',
      }),
    );
    expect(resumed).not.toContain('"level":"ERROR"');
    expect(ssm.commandCalls(ListDocumentVersionsCommand).map((c) => c.args[0].input)).toEqual([
      { Name: 'SelfHeal-CleanupDirectory', MaxResults: 50 },
    ]);

    let late: EngineResult | undefined;
    const stdout = await outputOf(async () => {
      answer();
      late = await first;
    });

    expect(late).toMatchObject({ outcome: 'untrackedExecution', executionId: EXECUTION_ID });
    const publishes = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(publishes).toHaveLength(2);
    expect(publishes[1]?.Subject).toBe(
      `selfheal: disk-full-cleanup on ${INSTANCE}: untracked automation running`,
    );
    expect(publishes[1]?.Message).toContain(`automation execution ${EXECUTION_ID} is running untracked`);
    const decision = stdout
      .split('\n')
      .filter((line) => line.includes('"message":"decision"'))
      .map((line) => JSON.parse(line) as { level: string; decision: EngineResult });
    expect(decision).toMatchObject([{ level: 'ERROR', decision: { outcome: 'untrackedExecution' } }]);
    expect(emitted(stdout, 'UntrackedExecutions').map((m) => m.value)).toEqual([1]);
    expect(await h.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'failed' });
  });
});
