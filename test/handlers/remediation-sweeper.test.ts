/**
 * The sweeper resuming a start whose starter died inside StartAutomationExecution and which no
 * redelivery resumed: the same ClientToken again (SSM runs at most one execution), once the lease
 * since the record entered `started` is over; and calling CreateOpsItem again for an escalation
 * SNS took without its OpsItem, publishing nothing again.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { CreateOpsItemCommand, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { claimLeaseSec } from '../../lambdas/core/remediation/event-claim';
import { emitted, outputOf } from './emf-capture';
import { mockRemediationAws, OPS_ITEM_ID, useMotoSuite } from './remediation-mocks';
import {
  advance,
  alarmEvent,
  context,
  DISK_RULE,
  EXECUTION_ID,
  INSTANCE,
  loadHandlers,
  requireMoto,
  SERVICE_NAMES,
  sweepEvent,
  withRules,
} from './remediation-setup';
import { invalidParameters, throttled } from './ssm-errors';

const aws = mockRemediationAws();
const { ssm, sns } = aws;

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

  it('creates the OpsItem CreateOpsItem refused at the escalation, publishing nothing again, and counts the refusal in OpsItemsFailed', async () => {
    ssm.on(StartAutomationExecutionCommand).rejects(invalidParameters());
    ssm.on(CreateOpsItemCommand).rejectsOnce(throttled()).resolves({ OpsItemId: OPS_ITEM_ID });
    const h = await loadHandlers(moto(), withRules(DISK_RULE), {
      env: { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false' },
    });
    const alarmOut = await outputOf(async () => {
      expect(await h.alarm(alarmEvent('evt-1'), context)).toMatchObject({
        outcome: 'startFailed',
        escalation: { snsMessageId: 'msg-1', opsItemError: 'ThrottlingException: Rate exceeded' },
      });
    });
    advance(61);

    const sweepOut = await outputOf(async () => {
      expect(await h.sweep(sweepEvent(), context)).toMatchObject({ opsItemsFailed: 0, errors: [] });
    });

    expect(ssm.commandCalls(CreateOpsItemCommand)).toHaveLength(2);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect((await h.ledger.getRemediation('rem-evt-1'))?.escalation).toMatchObject({
      snsMessageId: 'msg-1',
      opsItemId: OPS_ITEM_ID,
      opsItemFailures: 1,
    });
    expect((await h.ledger.listPendingEscalations(Math.floor(Date.now() / 1000) + 3600)).records).toEqual([]);
    const metric = (service: string, value: number) => ({
      namespace: 'SelfHeal/Remediation',
      metricName: 'OpsItemsFailed',
      dimensions: { service },
      value,
    });
    expect(emitted(alarmOut, 'OpsItemsFailed')).toEqual([metric(SERVICE_NAMES.alarm, 1)]);
    expect(emitted(sweepOut, 'OpsItemsFailed')).toEqual([metric(SERVICE_NAMES.sweep, 0)]);
    const retried = sweepOut
      .split('\n')
      .filter((line) => line.includes('"message":"OpsItem retried"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(retried).toMatchObject([
      { level: 'INFO', retry: { remediationId: 'rem-evt-1', opsItemId: OPS_ITEM_ID, retriedAgain: false } },
    ]);
  });
});
