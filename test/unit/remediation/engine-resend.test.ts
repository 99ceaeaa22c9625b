import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { EscalationNotDeliveredError } from '../../../lambdas/core/remediation/escalation-send';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, automationStatus, testDeps, throttled } from './engine-deps';
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

  it('re-sends the escalation of an error-budget refusal under its own title', async () => {
    const deps = testDeps();
    await deps.ledger.freezeRule(DISK_RULE.id, 'budget spent');
    deps.escalator.snsFails = true;
    const event = alarmOnInstance('evt-1', INSTANCE);
    await expect(handleAlarmEvent(event, deps)).rejects.toBeInstanceOf(EscalationNotDeliveredError);
    deps.escalator.snsFails = false;

    const retried = await handleAlarmEvent(event, deps);

    expect(retried.outcome).toBe('escalated');
    expect(deps.escalator.notifications.map((n) => n.subject)).toEqual([
      `selfheal: ${DISK_RULE.id} on ${INSTANCE}: rule frozen by its error budget; not remediated`,
    ]);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation?.kind).toBe('errorBudget');
  });

  it('re-sends the escalation of a remediation blocked past its deadline as "could not remediate"', async () => {
    const B = 'i-00000000000000002';
    const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
    await handleAlarmEvent(alarmOnInstance('evt-a', INSTANCE), deps);
    await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);
    deps.clock.advance(300);
    await sweepDeadlines(deps, 'sweep-1');
    deps.clock.advance(300);
    deps.escalator.snsFails = true;
    await sweepDeadlines(deps, 'sweep-2');
    expect((await deps.ledger.getRemediation('rem-evt-b'))?.state).toBe('escalated');
    deps.escalator.snsFails = false;
    deps.clock.advance(61);

    const sweep = await sweepDeadlines(deps, 'sweep-3');

    expect(sweep.resentEscalations).toBeGreaterThanOrEqual(1);
    const subjects = deps.escalator.notifications.map((n) => n.subject);
    expect(subjects).toContain(
      `selfheal: ${DISK_RULE.id} on ${B}: could not remediate: blocked by a guardrail`,
    );
    expect(subjects.filter((s) => s.includes(B) && s.includes('keeps recurring'))).toEqual([]);
  });

  it('keeps naming the OpsItem its first attempt created when the re-send cannot reach OpsCenter', async () => {
    const deps = testDeps({ rules: [{ ...DISK_RULE, limits: { maxPerResource: 1 } }] });
    await deps.ledger.recordRemediation(DISK_RULE.id, INSTANCE, deps.clock.nowSec() - 60, 'old');
    const event = alarmOnInstance('evt-1', INSTANCE);
    deps.escalator.snsFails = true;
    await expect(handleAlarmEvent(event, deps)).rejects.toBeInstanceOf(EscalationNotDeliveredError);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation?.opsItemId).toBe('oi-1');
    deps.escalator.snsFails = false;
    deps.escalator.opsItemFails = throttled();

    await handleAlarmEvent(event, deps);

    const stored = (await deps.ledger.getRemediation('rem-evt-1'))?.escalation;
    expect(stored).toMatchObject({ snsMessageId: 'msg-1', opsItemId: 'oi-1' });
    expect(stored?.opsItemError).toBeUndefined();
    // The only message the on-call engineer gets names the OpsItem that is open.
    expect(deps.escalator.notifications[0]?.message).toContain('OpsItem: oi-1');
    // Named again, not asked for a second time.
    expect(deps.escalator.opsItemRequests).toHaveLength(1);
  });
});
