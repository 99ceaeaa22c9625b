/**
 * A failed automation whose handler closed the remediation and then failed (DynamoDB throttled
 * past the SDK retries, or the function timed out while SNS was slow): the retry that re-sends the
 * escalation must also give back the lock and slots and count the failed verification, once.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, automationStatus, type TestDeps, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const INSTANCE = 'i-0abc123def4567890';
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

/** Makes the next call of ledger method `name` throw (later calls go through). */
function failNextCall(deps: TestDeps, name: string): void {
  const ledger = deps.ledger as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = ledger[name]?.bind(deps.ledger);
  if (original === undefined) throw new Error(`no ledger method ${name}`);
  let calls = 0;
  ledger[name] = async (...args: unknown[]) => {
    calls += 1;
    if (calls === 1) throw throttled();
    return original(...args);
  };
}

/** Starts a remediation, then fails its automation with `failOnce` making one ledger call throw. */
async function failedOnce(deps: TestDeps, failOnce: 'recordFailedVerification' | 'listActions') {
  const started = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
  const failed = automationStatus('auto-1', 'Failed', started.executionId ?? '');
  failNextCall(deps, failOnce);
  await expect(handleAutomationEvent(failed, deps)).rejects.toThrow('Rate exceeded');
  return failed;
}

describe('a failed automation whose escalation was left half done', () => {
  it('frees the lock and slots and counts the failure when its event is retried', async () => {
    const deps = testDeps();
    const failed = await failedOnce(deps, 'recordFailedVerification');

    const retried = await handleAutomationEvent(failed, deps);

    expect(retried.outcome).toBe('escalated');
    expect(deps.escalator.notifications).toHaveLength(1);
    expect(await deps.ledger.activeGlobalSlots()).toBe(0);
    expect(await deps.ledger.acquireResourceLock(INSTANCE, 'rem-other', deps.clock.nowSec() + 60)).toBe(true);
    expect(await deps.ledger.countFailedVerifications(DISK_RULE.id, 0)).toBe(1);
  });

  it('frees the lock and slots when the sweeper re-sends it, and counts the failure once', async () => {
    const deps = testDeps();
    await failedOnce(deps, 'listActions');
    deps.clock.advance(61);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.resentEscalations).toBe(1);
    expect(await deps.ledger.activeGlobalSlots()).toBe(0);
    expect(await deps.ledger.acquireResourceLock(INSTANCE, 'rem-other', deps.clock.nowSec() + 60)).toBe(true);
    expect(await deps.ledger.countFailedVerifications(DISK_RULE.id, 0)).toBe(1);
  });

  it('re-sends the escalation of a remediation the sweeper closed from started as the failed verification it was, counted once', async () => {
    const deps = testDeps();
    // The automation started, but its verifying write failed and the event's retries ran out.
    failNextCall(deps, 'transition');
    await expect(handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps)).rejects.toThrow('Rate exceeded');
    deps.clock.advance(601);
    // The sweep that closes it dies before counting the failure and sending the escalation.
    failNextCall(deps, 'recordFailedVerification');
    expect((await sweepDeadlines(deps, 'sweep-1')).errors).toHaveLength(1);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.state).toBe('escalated');
    deps.clock.advance(61);

    const sweep = await sweepDeadlines(deps, 'sweep-2');

    expect(sweep.resentEscalations).toBe(1);
    expect(deps.escalator.notifications.map((n) => n.subject)).toEqual([
      `selfheal: ${DISK_RULE.id} on ${INSTANCE}: alarm still in ALARM after the fix`,
    ]);
    expect(await deps.ledger.countFailedVerifications(DISK_RULE.id, 0)).toBe(1);
  });
});
