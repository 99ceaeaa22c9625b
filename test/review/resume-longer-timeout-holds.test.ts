/**
 * Review: a redeploy raises a rule's `verificationTimeoutSec` while one of its starts is stalled
 * (`started`, no execution: its starter died inside StartAutomationExecution). The new sweeper
 * resumes it and records `verifying` with a deadline from the NEW timeout (runStart), but the
 * holds it retakes run only until the OLD deadline plus the lock grace (resumeStart's
 * `holdUntil`). The remediation is then open with its global slot and resource lock lapsed: the
 * global cap (counted from the live slots) lets another remediation start.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { LOCK_GRACE_SEC } from '../../lambdas/core/remediation/engine-ports';
import { sweepDeadlines } from '../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, testDeps } from '../unit/remediation/engine-deps';
import { configWith, DISK_RULE } from '../unit/remediation/helpers';
import { INSTANCE, nextStartsDie, REMEDIATION } from '../unit/remediation/start-died';

const OTHER = 'i-00000000000000001';
const OLD_TIMEOUT_SEC = 600;
const NEW_TIMEOUT_SEC = 7200;

describe('a stalled start resumed after a redeploy raised verificationTimeoutSec', () => {
  it('keeps its global slot while it is still verifying, so the global cap still blocks a second start', async () => {
    const rule = { ...DISK_RULE, verificationTimeoutSec: OLD_TIMEOUT_SEC };
    const old = testDeps({ rules: [rule], extra: { maxConcurrentRemediations: 1 } });
    const died = nextStartsDie(old);
    void handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), old, { requestId: 'req-1' });
    await died;
    // The redeploy: same ledger and world, the rule's verification timeout raised.
    const redeployed = {
      ...old,
      config: configWith([{ ...rule, verificationTimeoutSec: NEW_TIMEOUT_SEC }], {
        maxConcurrentRemediations: 1,
      }),
    };
    redeployed.clock.advance(EVENT_CLAIM_LEASE_SEC);
    const sweep = await sweepDeadlines(redeployed, 'sweep-1');
    expect(sweep.resumed).toBe(1);
    const verifying = await redeployed.ledger.getRemediation(REMEDIATION);
    expect(verifying).toMatchObject({ state: 'verifying' });
    const createdAtSec = verifying?.createdAtSec ?? 0;
    // Past the old deadline plus the lock grace, well before the new deadline.
    redeployed.clock.advance(
      createdAtSec + OLD_TIMEOUT_SEC + LOCK_GRACE_SEC + 60 - redeployed.clock.nowSec(),
    );
    expect(redeployed.clock.nowSec()).toBeLessThan(verifying?.deadlineSec ?? 0);
    expect(await redeployed.ledger.getRemediation(REMEDIATION)).toMatchObject({ state: 'verifying' });
    // Still open: it must still count against maxConcurrentRemediations and hold its lock.
    expect(await redeployed.ledger.activeGlobalSlots()).toBe(1);
    expect(await redeployed.ledger.resourceLockHolder(INSTANCE)).toMatchObject({
      remediationId: REMEDIATION,
    });

    const second = await handleAlarmEvent(alarmOnInstance('evt-2', OTHER), redeployed);

    expect(second.outcome).not.toBe('started');
    expect(redeployed.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([[INSTANCE]]);
  });
});
