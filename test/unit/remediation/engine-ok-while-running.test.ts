/**
 * The alarm's OK while the remediation's automation still runs (./verification-ok). An automation
 * may clear the alarm on its way (restart-service stops the service, which clears a CPU alarm) and
 * still fail after it; one still running must keep its holds. So the OK leaves the remediation
 * `verifying` with its holds, and the automation's end decides.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { handleAlarmOk } from '../../../lambdas/core/remediation/verification';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, automationStatus, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const FIRST = 'i-0abc123def4567890';
const SECOND = 'i-0fedcba9876543210';

describe('the alarm OK while the automation runs', () => {
  it('escalates an automation that fails after its alarm went back to OK', async () => {
    const deps = testDeps();
    const started = await handleAlarmEvent(alarmOnInstance('evt-alarm', FIRST), deps);
    const executionId = started.executionId ?? '';
    deps.clock.advance(60);
    const ok = await handleAlarmOk(alarmOnInstance('evt-ok', FIRST, 'OK'), deps);
    expect(ok.outcome).toBe('verifying');
    expect(ok.reason).toContain(`automation ${executionId} is still InProgress`);

    deps.clock.advance(60);
    deps.automation.statuses.set(executionId, 'Failed');
    const failed = await handleAutomationEvent(automationStatus('evt-failed', 'Failed', executionId), deps);

    expect(failed).toMatchObject({ outcome: 'verificationFailed', escalation: { kind: 'automationFailed' } });
    expect(deps.escalator.notifications).toHaveLength(1);
    expect((await deps.ledger.getRemediation(started.remediationId ?? ''))?.state).toBe('failed');
  });

  it('keeps the global cap while the automation still runs', async () => {
    const deps = testDeps({ rules: [DISK_RULE], extra: { maxConcurrentRemediations: 1 } });
    const first = await handleAlarmEvent(alarmOnInstance('evt-a', FIRST), deps);
    expect(first.outcome).toBe('started');
    deps.clock.advance(30);
    const ok = await handleAlarmOk(alarmOnInstance('evt-a-ok', FIRST, 'OK'), deps);
    expect(ok.outcome).toBe('verifying');

    deps.clock.advance(30);
    const second = await handleAlarmEvent(alarmOnInstance('evt-b', SECOND), deps);

    expect(second.outcome).not.toBe('started');
    expect(deps.automation.requests).toHaveLength(1);
    expect(await deps.ledger.activeGlobalSlots()).toBe(1);
  });

  it('resolves on the success event once the alarm it reads is OK, giving the holds back', async () => {
    const deps = testDeps();
    const started = await handleAlarmEvent(alarmOnInstance('evt-alarm', FIRST), deps);
    const executionId = started.executionId ?? '';
    await handleAlarmOk(alarmOnInstance('evt-ok', FIRST, 'OK'), deps);
    deps.alarms.states.set(`disk-full-${FIRST}`, 'OK');
    deps.clock.advance(90);

    const done = await handleAutomationEvent(automationStatus('evt-ok-exec', 'Success', executionId), deps);

    expect(done).toMatchObject({ outcome: 'resolved', recoveredState: 'OK' });
    expect(await deps.ledger.activeGlobalSlots()).toBe(0);
  });

  it('keeps verifying when the status cannot be read, saying so', async () => {
    const deps = testDeps();
    await handleAlarmEvent(alarmOnInstance('evt-alarm', FIRST), deps);
    deps.automation.statusFails = new Error('ThrottlingException: Rate exceeded');

    const ok = await handleAlarmOk(alarmOnInstance('evt-ok', FIRST, 'OK'), deps);

    expect(ok.outcome).toBe('verifying');
    expect(ok.reason).toContain('could not be read (Error: ThrottlingException: Rate exceeded)');
    expect(await deps.ledger.activeGlobalSlots()).toBe(1);
  });

  it('leaves it to the deadline sweep when no status event comes', async () => {
    const deps = testDeps();
    const started = await handleAlarmEvent(alarmOnInstance('evt-alarm', FIRST), deps);
    await handleAlarmOk(alarmOnInstance('evt-ok', FIRST, 'OK'), deps);
    deps.automation.statuses.set(started.executionId ?? '', 'TimedOut');
    deps.clock.advance(601);

    const summary = await sweepDeadlines(deps, 'sweep-1');

    expect(summary.results[0]).toMatchObject({
      outcome: 'verificationFailed',
      escalation: { kind: 'automationFailed' },
    });
  });
});
