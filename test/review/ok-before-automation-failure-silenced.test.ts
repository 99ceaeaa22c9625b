/**
 * Review (defect): the alarm's OK event resolves a remediation while its automation is still
 * running; when that automation then ends Failed (e.g. restart-service stopped the service, which
 * cleared the alarm, and could not start it again), its status event finds the remediation closed
 * and is ignored: nobody is told the fix failed.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { handleAlarmOk } from '../../lambdas/core/remediation/verification';
import { handleAutomationEvent } from '../../lambdas/core/remediation/verification-automation';
import { alarmOnInstance, automationStatus, testDeps } from '../unit/remediation/engine-deps';

const INSTANCE = 'i-0abc123def4567890';

describe('automation failure after the alarm OK (review)', () => {
  it('escalates an automation that fails after its alarm went back to OK', async () => {
    const deps = testDeps();
    const started = await handleAlarmEvent(alarmOnInstance('evt-alarm', INSTANCE), deps);
    const executionId = started.executionId ?? '';
    expect(started.outcome).toBe('started');
    deps.clock.advance(60);
    // The automation is still InProgress (FakeAutomation) when the alarm goes back to OK.
    expect(await deps.automation.statusOf(executionId)).toBe('InProgress');
    const ok = await handleAlarmOk(alarmOnInstance('evt-ok', INSTANCE, 'OK'), deps);
    expect(ok.outcome).toBe('resolved');

    deps.clock.advance(60);
    deps.automation.statuses.set(executionId, 'Failed');
    const failed = await handleAutomationEvent(automationStatus('evt-failed', 'Failed', executionId), deps);

    expect(failed.outcome).not.toBe('ignored');
    expect(deps.escalator.notifications).toHaveLength(1);
  });
});
