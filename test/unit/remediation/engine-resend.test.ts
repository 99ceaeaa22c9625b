import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { EscalationNotDeliveredError } from '../../../lambdas/core/remediation/escalation-send';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification';
import { alarmOnInstance, automationStatus, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const INSTANCE = 'i-0abc123def4567890';

describe('re-sent escalations', () => {
  it('records the re-sent escalation of a frequency-limit refusal when the redelivery reaches SNS', async () => {
    const deps = testDeps({ rules: [{ ...DISK_RULE, limits: { maxPerResource: 1 } }] });
    await deps.ledger.recordRemediation('disk-full-cleanup', INSTANCE, deps.clock.nowSec() - 60, 'old');
    deps.escalator.snsFails = true;
    const event = alarmOnInstance('evt-1', INSTANCE);
    await expect(handleAlarmEvent(event, deps)).rejects.toBeInstanceOf(EscalationNotDeliveredError);
    deps.escalator.snsFails = false;

    const retried = await handleAlarmEvent(event, deps);

    expect(retried.outcome).toBe('escalated');
    const stored = await deps.ledger.getRemediation('rem-evt-1');
    expect(stored?.state).toBe('escalated');
    expect(stored?.escalation).toMatchObject({ snsMessageId: 'msg-1' });
    expect(stored?.escalation?.snsError).toBeUndefined();
  });

  it('records the re-sent escalation of a failed automation when its event is redelivered', async () => {
    const deps = testDeps();
    const started = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
    const executionId = started.executionId ?? '';
    const failed = automationStatus('auto-1', 'Failed', executionId);
    deps.escalator.snsFails = true;
    await expect(handleAutomationEvent(failed, deps)).rejects.toBeInstanceOf(EscalationNotDeliveredError);
    deps.escalator.snsFails = false;
    deps.clock.advance(30);

    const retried = await handleAutomationEvent(failed, deps);

    expect(retried.outcome).toBe('escalated');
    const stored = await deps.ledger.getRemediation('rem-evt-1');
    expect(stored).toMatchObject({ state: 'failed', escalation: { snsMessageId: 'msg-1' } });
    expect(deps.escalator.notifications).toHaveLength(1);
  });
});
