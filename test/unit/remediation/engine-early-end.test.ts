/**
 * An execution that ends before the start records its id: its status event finds no remediation
 * (an unknown execution id cannot be told from a foreign one) and is ignored. The start reads the
 * execution's status right after recording the id, so the end is handled at once, as what it is,
 * not at the verification deadline as a failed verification.
 */
import { describe, expect, it } from 'vitest';
import type { AutomationStatus } from '../../../lambdas/core/remediation/automation-event';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import type { EngineResult } from '../../../lambdas/core/remediation/engine-result';
import { EscalationNotDeliveredError } from '../../../lambdas/core/remediation/escalation-send';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, automationStatus, type TestDeps, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const INSTANCE = 'i-0abc123def4567890';
const ALARM = `disk-full-${INSTANCE}`;

/**
 * Makes the execution end with `status` as soon as SSM starts it, and delivers its status event
 * before StartAutomationExecution returns to the engine, i.e. before the id is recorded. Returns
 * what the event's handler answered.
 */
function endsBeforeRecorded(deps: TestDeps, status: AutomationStatus): () => EngineResult | undefined {
  let early: EngineResult | undefined;
  const start = deps.automation.start.bind(deps.automation);
  deps.automation.start = async (request) => {
    const id = await start(request);
    deps.automation.statuses.set(id, status);
    early = await handleAutomationEvent(automationStatus('ssm-early', status, id), deps);
    return id;
  };
  return () => early;
}

const record = (deps: TestDeps) => deps.ledger.getRemediation('rem-evt-1');

describe('an execution that ends before its id is recorded', () => {
  it.each(['Failed', 'TimedOut', 'Cancelled'] as const)(
    'escalates an automation %s at once as a failed automation',
    async (status) => {
      const deps = testDeps();
      const early = endsBeforeRecorded(deps, status);

      const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);

      expect(early()).toMatchObject({ outcome: 'ignored' });
      expect(early()?.reason).toContain('its start not recorded yet');
      expect(result).toMatchObject({
        outcome: 'verificationFailed',
        escalation: { kind: 'automationFailed', byEventId: 'evt-1', snsMessageId: 'msg-1' },
      });
      expect(result.reason).toContain(`it had already ended: automation exec-`);
      expect(result.reason).toContain(`ended ${status}`);
      expect(await record(deps)).toMatchObject({ state: 'failed', executionId: result.executionId });
      expect(deps.escalator.notifications).toHaveLength(1);
      expect(deps.escalator.notifications[0]?.subject).toContain('automation did not succeed');
      expect(await deps.ledger.countFailedVerifications(DISK_RULE.id, 0)).toBe(1);
      expect(await deps.ledger.activeGlobalSlots()).toBe(0);
      expect(await deps.ledger.findOpenByResource(INSTANCE)).toEqual([]);
    },
  );

  it('resolves a succeeded automation at once when the alarm is already OK', async () => {
    const deps = testDeps();
    endsBeforeRecorded(deps, 'Success');
    deps.alarms.states.set(ALARM, 'OK');

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);

    expect(result).toMatchObject({ outcome: 'resolved', recoveredState: 'OK' });
    expect((await record(deps))?.state).toBe('resolved');
    expect(deps.escalator.notifications).toHaveLength(0);
  });

  it('records a success whose alarm has not recovered, so a later INSUFFICIENT_DATA counts', async () => {
    const deps = testDeps();
    endsBeforeRecorded(deps, 'Success');

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);

    expect(result.outcome).toBe('started');
    expect(result.reason).toContain('automation succeeded; alarm');
    expect(await record(deps)).toMatchObject({
      state: 'verifying',
      automationSucceededAtSec: deps.clock.nowSec(),
    });
  });

  it('sends one escalation when the status event and the status read both see the failure', async () => {
    const deps = testDeps();
    const transition = deps.ledger.transition.bind(deps.ledger);
    let event: EngineResult | undefined;
    // The event arrives after the id is recorded, just before the start reads the status.
    deps.ledger.transition = async (...args) => {
      const moved = await transition(...args);
      if (moved.state !== 'verifying') return moved;
      const id = moved.executionId ?? '';
      deps.automation.statuses.set(id, 'Failed');
      event = await handleAutomationEvent(automationStatus('ssm-1', 'Failed', id), deps);
      return moved;
    };

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);

    expect(event?.outcome).toBe('verificationFailed');
    expect(result.outcome).toBe('started');
    expect(result.reason).toContain('another writer escalates');
    expect(deps.escalator.notifications).toHaveLength(1);
    expect(await deps.ledger.countFailedVerifications(DISK_RULE.id, 0)).toBe(1);
  });

  it('re-sends the escalation on the alarm event’s redelivery when SNS did not take it', async () => {
    const deps = testDeps();
    endsBeforeRecorded(deps, 'Failed');
    deps.escalator.snsFails = true;

    await expect(handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps)).rejects.toBeInstanceOf(
      EscalationNotDeliveredError,
    );
    deps.escalator.snsFails = false;
    deps.clock.advance(60);
    const retry = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);

    expect(retry).toMatchObject({ outcome: 'escalated', escalation: { kind: 'automationFailed' } });
    expect(deps.escalator.notifications).toHaveLength(1);
    expect(deps.automation.requests).toHaveLength(1);
  });

  it('leaves a running execution started, reading its status once', async () => {
    const deps = testDeps();

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);

    expect(result.outcome).toBe('started');
    expect(deps.automation.statusReads).toEqual([result.executionId]);
    expect((await record(deps))?.state).toBe('verifying');
  });

  it('leaves it to the status event and the sweep when the status cannot be read, saying why', async () => {
    const deps = testDeps();
    deps.automation.statusFails = new Error('ThrottlingException: Rate exceeded');

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);

    expect(result.outcome).toBe('started');
    expect(result.reason).toContain(
      'its status could not be read (Error: ThrottlingException: Rate exceeded): its status event or the deadline sweep decides',
    );
    expect((await record(deps))?.state).toBe('verifying');
    expect(deps.escalator.notifications).toHaveLength(0);
  });

  it('settles a start the sweeper re-drives the same way, still counting it re-driven', async () => {
    const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
    const first = await handleAlarmEvent(alarmOnInstance('evt-0', 'i-0fff000000000000a'), deps);
    // The first automation ended, so the OK resolves it and frees the global slot.
    deps.automation.statuses.set(first.executionId ?? '', 'Success');
    const blocked = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
    expect((await record(deps))?.state).toBe('blocked');
    expect(blocked.outcome).toBe('skipped');
    await handleAlarmEvent(alarmOnInstance('evt-0-ok', 'i-0fff000000000000a', 'OK'), deps);
    endsBeforeRecorded(deps, 'Failed');

    const summary = await sweepDeadlines(deps, 'sweep-1');

    expect(summary.results.map((r) => r.outcome)).toEqual(['verificationFailed']);
    expect(summary).toMatchObject({ blocked: 1, redriven: 1, escalated: 1 });
    expect(await record(deps)).toMatchObject({ state: 'failed' });
  });
});

describe('the deadline sweep, when the ledger does not know how the automation ended', () => {
  /** A remediation started while its status could not be read, with its execution then `status`. */
  async function overdueWith(status: AutomationStatus, rule: object = DISK_RULE) {
    const deps = testDeps({ rules: [rule] });
    deps.automation.statusFails = new Error('ThrottlingException: Rate exceeded');
    const start = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
    const executionId = start.executionId ?? '';
    deps.automation.statusFails = undefined;
    deps.automation.statuses.set(executionId, status);
    deps.clock.advance(601);
    return { deps, executionId };
  }

  it('escalates an execution that ended failed as a failed automation, not a failed verification', async () => {
    const { deps, executionId } = await overdueWith('Failed');

    const summary = await sweepDeadlines(deps, 'sweep-1');

    expect(summary).toMatchObject({ checked: 1, escalated: 1 });
    expect(summary.results[0]).toMatchObject({
      outcome: 'verificationFailed',
      escalation: { kind: 'automationFailed', byEventId: 'sweep-1' },
    });
    expect(summary.results[0]?.reason).toBe(
      `automation ${executionId} ended Failed, read by the deadline sweep (its status event was not handled)`,
    );
    expect((await record(deps))?.state).toBe('failed');
    expect(deps.escalator.notifications[0]?.subject).toContain('automation did not succeed');
  });

  it('counts a success it reads for the recovered state (INSUFFICIENT_DATA accepted)', async () => {
    const rule = { ...DISK_RULE, verificationRecoveredStates: ['OK', 'INSUFFICIENT_DATA'] };
    const { deps } = await overdueWith('Success', rule);
    deps.alarms.states.set(ALARM, 'INSUFFICIENT_DATA');

    const summary = await sweepDeadlines(deps, 'sweep-1');

    expect(summary).toMatchObject({ resolved: 1, escalated: 0 });
    expect(summary.results[0]).toMatchObject({ recoveredState: 'INSUFFICIENT_DATA' });
    expect(deps.escalator.notifications).toHaveLength(0);
  });

  it('keeps a still running automation open, saying it still runs (./engine-sweep-overrun.test.ts)', async () => {
    const { deps, executionId } = await overdueWith('InProgress');

    const summary = await sweepDeadlines(deps, 'sweep-1');

    expect(summary.results[0]?.outcome).toBe('verifying');
    expect(summary.results[0]?.reason).toContain(
      `verification deadline passed 1 s ago with automation ${executionId} still InProgress: kept open with its holds`,
    );
    expect(deps.escalator.notifications).toEqual([]);
  });

  it('still escalates at the deadline when the status cannot be read, saying so', async () => {
    const { deps } = await overdueWith('Failed');
    deps.automation.statusFails = new Error('AccessDeniedException');

    const summary = await sweepDeadlines(deps, 'sweep-1');

    expect(summary.errors).toEqual([]);
    expect(summary.results[0]).toMatchObject({ escalation: { kind: 'verificationFailed' } });
    expect(summary.results[0]?.reason).toContain('(automation status unknown: Error: AccessDeniedException)');
  });

  it('does not read the status of an automation whose success is recorded', async () => {
    const deps = testDeps();
    const start = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
    await handleAutomationEvent(automationStatus('ssm-1', 'Success', start.executionId ?? ''), deps);
    deps.clock.advance(601);
    const reads = deps.automation.statusReads.length;

    const summary = await sweepDeadlines(deps, 'sweep-1');

    expect(summary.results[0]?.reason).toBe(`verification deadline passed 1 s ago with alarm ${ALARM} ALARM`);
    expect(deps.automation.statusReads).toHaveLength(reads);
  });
});
