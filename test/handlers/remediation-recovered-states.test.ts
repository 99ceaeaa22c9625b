/**
 * A rule that counts INSUFFICIENT_DATA as recovered (`verificationRecoveredStates`), through the
 * real handlers on a DynamoDB ledger (moto): the verification handler given the alarm's
 * INSUFFICIENT_DATA state-change event, and the sweeper reading the state with DescribeAlarms.
 */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { mockRemediationAws, useMotoSuite } from './remediation-mocks';
import {
  ALARM,
  advance,
  alarmEvent,
  automationEvent,
  context,
  DISK_RULE,
  type Loaded,
  loadHandlers,
  requireMoto,
  sweepEvent,
  withRules,
} from './remediation-setup';

const aws = mockRemediationAws();
const { sns, cw, alarmIs } = aws;

const run = requireMoto();
const RULE = { ...DISK_RULE, verificationRecoveredStates: ['OK', 'INSUFFICIENT_DATA'] };

/** The alarm's change from ALARM to INSUFFICIENT_DATA, as CloudWatch sends it to EventBridge. */
function insufficientDataEvent(id: string): Record<string, unknown> {
  const e = alarmEvent(id) as { detail: { state: Record<string, unknown> } } & Record<string, unknown>;
  const previous = e.detail.state;
  return {
    ...e,
    detail: {
      ...e.detail,
      previousState: previous,
      state: {
        ...previous,
        value: 'INSUFFICIENT_DATA',
        reason: 'Insufficient Data: 1 datapoint was unknown.',
      },
    },
  };
}

describe.runIf(run)('verificationRecoveredStates through the handlers', () => {
  const moto = useMotoSuite(aws);
  let h: Loaded;

  async function startWith(rule: object): Promise<void> {
    h = await loadHandlers(moto(), withRules(rule));
    expect((await h.alarm(alarmEvent('evt-1'), context)).outcome).toBe('started');
  }

  /**
   * Started under `rule`, its automation succeeded with the alarm still in ALARM, then DescribeAlarms
   * reports INSUFFICIENT_DATA and the verification deadline has passed: what the sweeper finds.
   */
  async function overdueInInsufficientData(rule: object): Promise<void> {
    await startWith(rule);
    alarmIs('ALARM');
    await h.verify(automationEvent('ssm-1', 'Success'), context);
    alarmIs('INSUFFICIENT_DATA');
    advance(601);
  }

  it('resolves on the INSUFFICIENT_DATA event after the automation succeeded with the alarm in ALARM', async () => {
    await startWith(RULE);
    alarmIs('ALARM');
    expect((await h.verify(automationEvent('ssm-1', 'Success'), context)).outcome).toBe('verifying');
    advance(240);

    const result = await h.verify(insufficientDataEvent('cw-2'), context);

    expect(result).toMatchObject({
      outcome: 'resolved',
      recoveredState: 'INSUFFICIENT_DATA',
      timeToRecoverSec: 240,
    });
    expect(await h.ledger.getRemediation('rem-evt-1')).toMatchObject({
      state: 'resolved',
      recoveredState: 'INSUFFICIENT_DATA',
    });
    expect(await h.ledger.activeGlobalSlots()).toBe(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('leaves it verifying on an INSUFFICIENT_DATA event before the automation succeeded', async () => {
    await startWith(RULE);

    const result = await h.verify(insufficientDataEvent('cw-2'), context);

    expect(result.outcome).toBe('verifying');
    expect((await h.ledger.getRemediation('rem-evt-1'))?.state).toBe('verifying');
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });

  it('sweeper: resolves a succeeded replacement whose alarm DescribeAlarms reports INSUFFICIENT_DATA', async () => {
    await overdueInInsufficientData(RULE);

    expect(await h.sweep(sweepEvent(), context)).toMatchObject({ checked: 1, resolved: 1, escalated: 0 });

    expect(cw.commandCalls(DescribeAlarmsCommand).at(-1)?.args[0].input).toEqual({
      AlarmNames: [ALARM],
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
    expect(await h.ledger.getRemediation('rem-evt-1')).toMatchObject({ recoveredState: 'INSUFFICIENT_DATA' });
    expect(await h.ledger.countFailedVerifications(RULE.id, 0)).toBe(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('sweeper: still escalates INSUFFICIENT_DATA for a rule that counts only OK', async () => {
    await overdueInInsufficientData(DISK_RULE);

    expect(await h.sweep(sweepEvent(), context)).toMatchObject({ checked: 1, resolved: 0, escalated: 1 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });
});
