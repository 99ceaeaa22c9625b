/**
 * The sweeper resuming a start whose starter died inside StartAutomationExecution and which no
 * redelivery resumed: the same ClientToken again (SSM runs at most one execution), once the lease
 * since the record entered `started` is over.
 */
import { StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { claimLeaseSec } from '../../lambdas/core/remediation/event-claim';
import { mockRemediationAws, useMotoSuite } from './remediation-mocks';
import {
  advance,
  alarmEvent,
  context,
  DISK_RULE,
  EXECUTION_ID,
  INSTANCE,
  loadHandlers,
  requireMoto,
  sweepEvent,
  withRules,
} from './remediation-setup';

const aws = mockRemediationAws();
const { ssm } = aws;

const run = requireMoto();

/** StartAutomationExecution never answers (its caller is killed inside it); resolves once it is called. */
function startHangs(): Promise<void> {
  return new Promise<void>((called) => {
    ssm.on(StartAutomationExecutionCommand).callsFake(() => {
      called();
      return new Promise(() => {});
    });
  });
}

describe.runIf(run)('remediation sweeper', () => {
  const moto = useMotoSuite(aws);

  it('resumes a start whose alarm handler died in StartAutomationExecution, with the same ClientToken, once the lease is over', async () => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    // The alarm handler is killed inside its start: SSM never answers it.
    const inStart = startHangs();
    void h.alarm(alarmEvent('evt-1'), context);
    await inStart;
    ssm.on(StartAutomationExecutionCommand).resolves({ AutomationExecutionId: EXECUTION_ID });
    // The resume checks the alarm again before starting: still in ALARM.
    aws.alarmIs('ALARM');
    advance(claimLeaseSec(60) - 1);

    expect(await h.sweep(sweepEvent(), context)).toMatchObject({ resumed: 0 });
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(1);

    advance(1);
    expect(await h.sweep(sweepEvent(), context)).toMatchObject({ resumed: 1, errors: [] });

    const starts = ssm.commandCalls(StartAutomationExecutionCommand).map((c) => c.args[0].input);
    expect(starts).toHaveLength(2);
    expect(starts[1]).toEqual(starts[0]);
    expect(await h.ledger.getRemediation('rem-evt-1')).toMatchObject({
      state: 'verifying',
      executionId: EXECUTION_ID,
    });
  });
  it('closes a stalled start as skipped, starting nothing, when its alarm went back to OK, keeping its lock and slot (its start may be running)', async () => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    const inStart = startHangs();
    void h.alarm(alarmEvent('evt-1'), context);
    await inStart;
    aws.alarmIs('OK');
    advance(claimLeaseSec(60));

    expect(await h.sweep(sweepEvent(), context)).toMatchObject({ resumed: 0, errors: [] });

    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(1);
    const record = await h.ledger.getRemediation('rem-evt-1');
    expect(record).toMatchObject({ state: 'skipped' });
    expect(record?.reason).toContain('alarm disk-full-web-1 is OK now: nothing to remediate');
    expect(await h.ledger.listOpen()).toEqual([]);
    expect(await h.ledger.activeGlobalSlots()).toBe(1);
    expect(
      await h.ledger.acquireResourceLock(INSTANCE, 'rem-probe', Math.floor(Date.now() / 1000) + 60),
    ).toBe(false);
    expect(await h.ledger.countRemediations(DISK_RULE.id, INSTANCE, 0)).toBe(1);
  });
});
