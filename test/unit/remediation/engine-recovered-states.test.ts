/**
 * `verificationRecoveredStates`: a rule that replaces the instance its alarm watches counts
 * INSUFFICIENT_DATA as recovered, but only after its automation succeeded and never for one that
 * failed; a rule without it still needs OK. Paths: the automation's success event (DescribeAlarms),
 * the alarm's INSUFFICIENT_DATA event, and the deadline sweeper.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmStateChange } from '../../../lambdas/core/remediation/alarm-event';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { handleAlarmInsufficientData } from '../../../lambdas/core/remediation/verification-insufficient-data';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, automationStatus, type TestDeps, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const INSTANCE = 'i-0abc123def4567890';
const ALARM = `disk-full-${INSTANCE}`;
const ACCEPTS = { ...DISK_RULE, verificationRecoveredStates: ['OK', 'INSUFFICIENT_DATA'] };

/** A started remediation of `rule` (execution `exec-…`), the alarm still in ALARM. */
async function started(rule: object = ACCEPTS) {
  const deps = testDeps({ rules: [rule] });
  const start = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
  expect(start.outcome).toBe('started');
  return { deps, executionId: start.executionId ?? '' };
}

function insufficientData(id: string): AlarmStateChange {
  const e = alarmOnInstance(id, INSTANCE);
  return { ...e, state: { ...e.state, value: 'INSUFFICIENT_DATA' } };
}

const record = (deps: TestDeps) => deps.ledger.getRemediation('rem-evt-1');

describe('verificationRecoveredStates', () => {
  it('resolves on automation success while the alarm is INSUFFICIENT_DATA, saying so', async () => {
    const { deps, executionId } = await started();
    deps.alarms.states.set(ALARM, 'INSUFFICIENT_DATA');
    deps.clock.advance(120);

    const result = await handleAutomationEvent(automationStatus('ssm-1', 'Success', executionId), deps);

    expect(result).toMatchObject({
      outcome: 'resolved',
      recoveredState: 'INSUFFICIENT_DATA',
      timeToRecoverSec: 120,
    });
    expect(result.reason).toContain('is INSUFFICIENT_DATA, which the rule counts as recovered');
    expect(await record(deps)).toMatchObject({ state: 'resolved', recoveredState: 'INSUFFICIENT_DATA' });
    expect(await deps.ledger.activeGlobalSlots()).toBe(0);
    expect(deps.escalator.notifications).toHaveLength(0);
  });

  it('records OK as the recovered state of an ordinary resolve', async () => {
    const { deps, executionId } = await started();
    deps.alarms.states.set(ALARM, 'OK');

    const result = await handleAutomationEvent(automationStatus('ssm-1', 'Success', executionId), deps);

    expect(result).toMatchObject({ outcome: 'resolved', recoveredState: 'OK' });
    expect(await record(deps)).toMatchObject({ recoveredState: 'OK' });
  });

  it('escalates a failed automation even though the alarm is INSUFFICIENT_DATA', async () => {
    const { deps, executionId } = await started();
    deps.alarms.states.set(ALARM, 'INSUFFICIENT_DATA');

    const result = await handleAutomationEvent(automationStatus('ssm-1', 'Failed', executionId), deps);

    expect(result.outcome).toBe('verificationFailed');
    expect((await record(deps))?.state).toBe('failed');
  });

  it('does not count an INSUFFICIENT_DATA event that comes before the automation succeeded', async () => {
    const { deps } = await started();

    const result = await handleAlarmInsufficientData(insufficientData('cw-2'), deps);

    expect(result.outcome).toBe('verifying');
    expect(result.reason).toContain('only after the automation succeeded');
    expect((await record(deps))?.state).toBe('verifying');
  });

  it('resolves on the INSUFFICIENT_DATA event once the automation succeeded with the alarm still in ALARM', async () => {
    const { deps, executionId } = await started();
    const waiting = await handleAutomationEvent(automationStatus('ssm-1', 'Success', executionId), deps);
    expect(waiting.outcome).toBe('verifying');
    expect((await record(deps))?.automationSucceededAtSec).toBe(deps.clock.nowSec());
    deps.clock.advance(180);

    const result = await handleAlarmInsufficientData(insufficientData('cw-2'), deps);

    expect(result).toMatchObject({
      outcome: 'resolved',
      recoveredState: 'INSUFFICIENT_DATA',
      timeToRecoverSec: 180,
    });
    expect(await record(deps)).toMatchObject({ state: 'resolved', recoveredState: 'INSUFFICIENT_DATA' });
  });

  it('resolves when the INSUFFICIENT_DATA event is handled between the success event reading the alarm and recording the success', async () => {
    const { deps, executionId } = await started();
    // The race: the success handler reads ALARM; the alarm then goes to INSUFFICIENT_DATA and its
    // event is handled (no success recorded yet, so it does not count); then the success is written.
    let raced: Awaited<ReturnType<typeof handleAlarmInsufficientData>> | undefined;
    const write = deps.ledger.recordAutomationSucceeded.bind(deps.ledger);
    deps.ledger.recordAutomationSucceeded = async (id, atSec) => {
      deps.alarms.states.set(ALARM, 'INSUFFICIENT_DATA');
      raced = await handleAlarmInsufficientData(insufficientData('cw-2'), deps);
      return write(id, atSec);
    };

    const result = await handleAutomationEvent(automationStatus('ssm-1', 'Success', executionId), deps);

    expect(raced?.outcome).toBe('verifying');
    expect(result).toMatchObject({ outcome: 'resolved', recoveredState: 'INSUFFICIENT_DATA' });
    expect(result.reason).toContain('is now INSUFFICIENT_DATA, which the rule counts as recovered');
    expect(await record(deps)).toMatchObject({ state: 'resolved', recoveredState: 'INSUFFICIENT_DATA' });
    expect(await deps.ledger.activeGlobalSlots()).toBe(0);
  });

  it('reads the alarm only once on a success for a rule that accepts only OK (no race to close)', async () => {
    const { deps, executionId } = await started(DISK_RULE);
    const reads: string[] = [];
    const stateOf = deps.alarms.stateOf.bind(deps.alarms);
    deps.alarms.stateOf = async (name) => {
      reads.push(name);
      return stateOf(name);
    };

    const result = await handleAutomationEvent(automationStatus('ssm-1', 'Success', executionId), deps);

    expect(result.outcome).toBe('verifying');
    expect(reads).toEqual([ALARM]);
  });

  it('does not count INSUFFICIENT_DATA for a rule that accepts only OK (the default)', async () => {
    const { deps, executionId } = await started(DISK_RULE);
    await handleAutomationEvent(automationStatus('ssm-1', 'Success', executionId), deps);

    const result = await handleAlarmInsufficientData(insufficientData('cw-2'), deps);

    expect(result.outcome).toBe('verifying');
    expect(result.reason).toContain("not in the rule's verificationRecoveredStates");
    expect((await record(deps))?.state).toBe('verifying');
  });

  describe('the deadline sweeper', () => {
    it('resolves a succeeded replacement whose alarm is INSUFFICIENT_DATA, without spending the error budget', async () => {
      const { deps, executionId } = await started();
      await handleAutomationEvent(automationStatus('ssm-1', 'Success', executionId), deps);
      deps.alarms.states.set(ALARM, 'INSUFFICIENT_DATA');
      deps.clock.advance(601);

      const summary = await sweepDeadlines(deps, 'sweep-1');

      expect(summary).toMatchObject({ checked: 1, resolved: 1, escalated: 0 });
      expect(summary.results[0]).toMatchObject({ recoveredState: 'INSUFFICIENT_DATA' });
      expect(summary.results[0]?.reason).toContain('found INSUFFICIENT_DATA');
      expect(await deps.ledger.countFailedVerifications(ACCEPTS.id, 0)).toBe(0);
      expect(deps.escalator.notifications).toHaveLength(0);
    });

    it('escalates INSUFFICIENT_DATA when no success of the automation was recorded', async () => {
      const { deps } = await started();
      deps.alarms.states.set(ALARM, 'INSUFFICIENT_DATA');
      // Its status cannot be read either (one read still running would keep it open).
      deps.automation.statusFails = new Error('ThrottlingException: Rate exceeded');
      deps.clock.advance(601);

      const summary = await sweepDeadlines(deps, 'sweep-1');

      expect(summary).toMatchObject({ resolved: 0, escalated: 1 });
      expect(summary.results[0]?.reason).toContain(
        'INSUFFICIENT_DATA counts only after the automation succeeded',
      );
    });

    it('escalates INSUFFICIENT_DATA for a rule that accepts only OK, naming the setting', async () => {
      const { deps, executionId } = await started(DISK_RULE);
      await handleAutomationEvent(automationStatus('ssm-1', 'Success', executionId), deps);
      deps.alarms.states.set(ALARM, 'INSUFFICIENT_DATA');
      deps.clock.advance(601);

      const summary = await sweepDeadlines(deps, 'sweep-1');

      expect(summary).toMatchObject({ resolved: 0, escalated: 1 });
      expect(summary.results[0]?.reason).toContain("not in the rule's verificationRecoveredStates");
      expect(await deps.ledger.countFailedVerifications(DISK_RULE.id, 0)).toBe(1);
    });
  });
});
