import { Metrics } from '@aws-lambda-powertools/metrics';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateOpsItemCommand,
  GetAutomationExecutionCommand,
  StartAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockRemediationAws, OPS_ITEM_ID, useMotoSuite } from './remediation-mocks';
import {
  ALARM,
  advance,
  alarmEvent,
  automationEvent,
  context,
  DISK_RULE,
  EXECUTION_ID,
  type Loaded,
  loadHandlers,
  requireMoto,
  sweepEvent,
  withRules,
} from './remediation-setup';

const aws = mockRemediationAws();
const { ssm, sns, cw, alarmIs } = aws;

const run = requireMoto();

describe.runIf(run)('remediation verification handler and sweeper', () => {
  const moto = useMotoSuite(aws);
  let h: Loaded;
  beforeEach(async () => {
    h = await loadHandlers(moto(), withRules(DISK_RULE));
    await h.alarm(alarmEvent('evt-1'), context);
  });

  it('resolves on automation success when DescribeAlarms says OK, recording the time to recover', async () => {
    alarmIs('OK');
    advance(120);
    const result = await h.verify(automationEvent('ssm-1', 'Success'), context);
    expect(result).toMatchObject({ outcome: 'resolved', timeToRecoverSec: 120, executionId: EXECUTION_ID });
    expect(cw.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input).toEqual({
      AlarmNames: [ALARM],
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
    expect(await h.ledger.getRemediation('rem-evt-1')).toMatchObject({
      state: 'resolved',
      timeToRecoverSec: 120,
    });
    expect(await h.ledger.activeGlobalSlots()).toBe(0);
  });

  it('keeps verifying on success while the alarm is still in ALARM before the deadline', async () => {
    alarmIs('ALARM');
    const result = await h.verify(automationEvent('ssm-1', 'Success'), context);
    expect(result.outcome).toBe('verifying');
    expect(sns.calls()).toHaveLength(0);
  });

  it.each(['Failed', 'TimedOut', 'Cancelled'])('escalates an execution that ended %s', async (status) => {
    const result = await h.verify(automationEvent('ssm-1', status), context);
    expect(result).toMatchObject({
      outcome: 'verificationFailed',
      escalation: { opsItemId: OPS_ITEM_ID, snsMessageId: 'msg-1' },
    });
    expect(
      ssm.commandCalls(CreateOpsItemCommand)[0]?.args[0].input.OperationalData?.['selfheal:actions']?.Value,
    ).toContain(EXECUTION_ID);
    expect(await h.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'failed' });
  });

  it('freezes the rule when its second failed verification spends the error budget', async () => {
    await h.verify(automationEvent('ssm-1', 'Failed'), context);
    advance(1000);
    ssm.on(StartAutomationExecutionCommand).resolves({ AutomationExecutionId: 'exec-2' });
    expect((await h.alarm(alarmEvent('evt-2'), context)).outcome).toBe('started');
    const second = await h.verify(automationEvent('ssm-2', 'Failed', 'exec-2'), context);
    expect(second.froze).toBe('disk-full-cleanup');
    advance(1000);
    const third = await h.alarm(alarmEvent('evt-3'), context);
    expect(third).toMatchObject({ outcome: 'escalated' });
    expect(third.reason).toMatch(/frozen/);
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(2);
  });

  it('resolves an open remediation on the alarm OK event once GetAutomationExecution says it ended', async () => {
    ssm.on(GetAutomationExecutionCommand).resolves({
      AutomationExecution: { AutomationExecutionId: EXECUTION_ID, AutomationExecutionStatus: 'Success' },
    });
    advance(90);
    const result = await h.verify(alarmEvent('evt-ok', 'OK'), context);
    expect(result).toMatchObject({ outcome: 'resolved', timeToRecoverSec: 90 });
    expect(await h.ledger.activeGlobalSlots()).toBe(0);
  });

  it('keeps verifying, holds kept, on the alarm OK event while the automation is InProgress', async () => {
    advance(90);
    const result = await h.verify(alarmEvent('evt-ok', 'OK'), context);
    expect(result).toMatchObject({ outcome: 'verifying' });
    expect(ssm.commandCalls(GetAutomationExecutionCommand).at(-1)?.args[0].input).toEqual({
      AutomationExecutionId: EXECUTION_ID,
    });
    expect(await h.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'verifying' });
    expect(await h.ledger.activeGlobalSlots()).toBe(1);
  });

  it('ignores a status change of an execution selfheal did not start', async () => {
    const result = await h.verify(automationEvent('ssm-x', 'Failed', 'someone-elses'), context);
    expect(result.outcome).toBe('ignored');
    expect(sns.calls()).toHaveLength(0);
  });

  /** The automation ended with `status`, its status event lost: the sweep reads it. */
  const automationEnded = (status: 'Success') =>
    ssm.on(GetAutomationExecutionCommand).resolves({
      AutomationExecution: { AutomationExecutionId: EXECUTION_ID, AutomationExecutionStatus: status },
    });

  it('sweeper: escalates past the deadline with the alarm in ALARM, and frees the slot', async () => {
    automationEnded('Success');
    alarmIs('ALARM');
    advance(601);
    const summary = await h.sweep(sweepEvent(), context);
    expect(summary).toMatchObject({ checked: 1, escalated: 1, resolved: 0 });
    expect(await h.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'escalated' });
    expect(ssm.commandCalls(CreateOpsItemCommand)[0]?.args[0].input.Title).toContain(
      'alarm still in ALARM after the fix',
    );
    expect(await h.ledger.activeGlobalSlots()).toBe(0);
  });

  it('sweeper: reports reclaimed slots and re-sent escalations as metrics', async () => {
    // EMF output is disabled in tests (POWERTOOLS_METRICS_DISABLED); the metrics are still added.
    const added = vi.spyOn(Metrics.prototype, 'addMetric');
    try {
      await h.sweep(sweepEvent(), context);
      const names = added.mock.calls.map(([name, , value]) => [name, value]);
      expect(names).toEqual(
        expect.arrayContaining([
          ['SlotsReclaimed', 0],
          ['EscalationsResent', 0],
        ]),
      );
    } finally {
      added.mockRestore();
    }
  });

  it('sweeper: resolves an overdue remediation whose alarm is OK (its OK event was lost)', async () => {
    automationEnded('Success');
    alarmIs('OK');
    advance(601);
    expect(await h.sweep(sweepEvent(), context)).toMatchObject({ checked: 1, resolved: 1 });
  });

  it('sweeper: keeps an overdue remediation whose automation is still InProgress open, slot kept', async () => {
    alarmIs('OK');
    advance(601);
    expect(await h.sweep(sweepEvent(), context)).toMatchObject({ checked: 1, resolved: 0, escalated: 0 });
    expect(await h.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'verifying' });
    expect(await h.ledger.activeGlobalSlots()).toBe(1);
    expect(sns.calls()).toHaveLength(0);
  });
});
