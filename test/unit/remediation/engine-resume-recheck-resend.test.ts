/**
 * A resumed start its recheck closed as `escalated` (the error budget froze the rule meanwhile)
 * keeps its holds until they expire and counts as a remediation (counted by the closing write):
 * its starter died inside StartAutomationExecution, so an automation may be running. When that
 * escalation is left half done (SNS refused it, or the closing sweep died right after its closing
 * write), the re-send that finishes it must keep the holds, not give them back as it does for a
 * record whose automation ended, and the remediation stays counted once.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { LOCK_GRACE_SEC } from '../../../lambdas/core/remediation/engine-ports';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, type TestDeps } from './engine-deps';
import { DISK_RULE } from './helpers';
import { ALARM, INSTANCE, REMEDIATION, startDied } from './start-died';

/** The stalled start of ./start-died, the rule frozen meanwhile, its lease over. */
async function frozenWhileStalled(): Promise<TestDeps> {
  const deps = await startDied();
  await deps.ledger.freezeRule(DISK_RULE.id, 'budget spent by another remediation');
  deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
  return deps;
}

/** The lock and global slot still held for REMEDIATION, and the remediation counted once. */
async function expectHeldAndCounted(deps: TestDeps): Promise<void> {
  expect(await deps.ledger.activeGlobalSlots()).toBe(1);
  expect(await deps.ledger.acquireResourceLock(INSTANCE, 'rem-probe', deps.clock.nowSec() + 60)).toBe(false);
  expect(await deps.ledger.countRemediations(DISK_RULE.id, INSTANCE, 0)).toBe(1);
}

describe('a resumed start closed by its recheck, its escalation left half done', () => {
  it('keeps its lock and slot when the sweeper re-sends the escalation SNS refused', async () => {
    const deps = await frozenWhileStalled();
    deps.escalator.snsFails = true;
    expect((await sweepDeadlines(deps, 'sweep-1')).errors).toHaveLength(1);
    expect(await deps.ledger.getRemediation(REMEDIATION)).toMatchObject({ state: 'escalated' });
    deps.escalator.snsFails = false;
    deps.clock.advance(61);

    const sweep = await sweepDeadlines(deps, 'sweep-2');

    expect(sweep.resentEscalations).toBe(1);
    await expectHeldAndCounted(deps);
    expect(deps.automation.requests).toEqual([]);
  });

  it('keeps it counted when the sweep that closed it died right after the closing write', async () => {
    const deps = await frozenWhileStalled();
    const transition = deps.ledger.transition.bind(deps.ledger);
    deps.ledger.transition = async (...args) => {
      deps.ledger.transition = transition;
      await transition(...args);
      throw Object.assign(new Error('Task timed out'), { name: 'TimeoutError' });
    };
    expect((await sweepDeadlines(deps, 'sweep-1')).errors).toHaveLength(1);
    expect(deps.escalator.notifications).toEqual([]);
    deps.clock.advance(61);

    const sweep = await sweepDeadlines(deps, 'sweep-2');

    expect(sweep.resentEscalations).toBe(1);
    await expectHeldAndCounted(deps);
  });

  it('keeps them too when the escalation is re-sent by a redelivery of its own event', async () => {
    const deps = await startDied();
    await deps.ledger.freezeRule(DISK_RULE.id, 'budget spent by another remediation');
    deps.escalator.snsFails = true;
    deps.clock.advance(60);
    await expect(
      handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' }),
    ).rejects.toThrow('not delivered');
    deps.escalator.snsFails = false;

    const retried = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' });

    expect(retried).toMatchObject({ outcome: 'escalated', escalation: { kind: 'errorBudget' } });
    await expectHeldAndCounted(deps);
  });
});

describe('a resume that lost its start to a recheck closing the record', () => {
  it('escalates the execution it got as untracked, saying the closed record still holds the lock and slots', async () => {
    const deps = await startDied();
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    // While the sweep resumes it, the alarm goes back to OK and the dead attempt's retry closes it.
    const start = deps.automation.start.bind(deps.automation);
    deps.automation.start = async (request) => {
      deps.automation.start = start;
      deps.alarms.states.set(ALARM, 'OK');
      await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' });
      return start(request);
    };

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    const lost = sweep.results.find((r) => r.outcome === 'untrackedExecution');
    const record = await deps.ledger.getRemediation(REMEDIATION);
    expect(record).toMatchObject({ state: 'skipped' });
    const until = new Date(((record?.deadlineSec ?? 0) + LOCK_GRACE_SEC) * 1000).toISOString();
    expect(lost?.reason).toContain(`its lock and slots stay held until ${until}`);
    expect(lost?.reason).not.toContain('no lock or slot is held');
    await expectHeldAndCounted(deps);
  });
});
