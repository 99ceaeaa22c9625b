/**
 * The deadline sweep and an automation still running (./verification-overrun): the remediation
 * stays `verifying` with its holds, whatever the alarm says, so the guardrails admit no second
 * automation beside it; its end decides; one still running 10 min past the deadline is escalated
 * as overrun and keeps its holds until they lapse, a re-send of its escalation included.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { LOCK_GRACE_SEC } from '../../../lambdas/core/remediation/engine-ports';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { OVERRUN_LIMIT_SEC } from '../../../lambdas/core/remediation/verification-overrun';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, automationStatus, type TestDeps, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const FIRST = 'i-0abc123def4567890';
const SECOND = 'i-0fedcba9876543210';
const ALARM = `disk-full-${FIRST}`;
/** The disk rule's verificationTimeoutSec (the default). */
const TIMEOUT_SEC = 600;

/**
 * One remediation of FIRST started, its automation still running, the global cap 1; the clock
 * `pastDeadlineSec` past its deadline. Its OK event, if any, was lost.
 */
async function overdueRunning(pastDeadlineSec: number, alarm: 'OK' | 'ALARM' = 'OK') {
  const deps = testDeps({ rules: [DISK_RULE], extra: { maxConcurrentRemediations: 1 } });
  const started = await handleAlarmEvent(alarmOnInstance('evt-1', FIRST), deps);
  const executionId = started.executionId ?? '';
  const id = started.remediationId ?? '';
  deps.alarms.states.set(ALARM, alarm);
  deps.clock.advance(TIMEOUT_SEC + pastDeadlineSec);
  return { deps, executionId, id, startedAtSec: deps.clock.nowSec() - TIMEOUT_SEC - pastDeadlineSec };
}

/** Whether `id` still holds the lock on FIRST and the global slot. */
async function holds(deps: TestDeps, id: string) {
  return {
    lock: (await deps.ledger.resourceLockHolder(FIRST))?.remediationId === id,
    globalSlots: await deps.ledger.activeGlobalSlots(),
  };
}

describe('the deadline sweep with the automation still running', () => {
  it.each(['OK', 'ALARM'] as const)(
    'keeps the remediation verifying with its holds, the alarm %s',
    async (alarm) => {
      const { deps, executionId, id } = await overdueRunning(1, alarm);

      const summary = await sweepDeadlines(deps, 'sweep-1');

      expect(summary).toMatchObject({ checked: 1, resolved: 0, escalated: 0 });
      expect(summary.results[0]?.outcome).toBe('verifying');
      expect(summary.results[0]?.reason).toBe(
        `verification deadline passed 1 s ago with automation ${executionId} still InProgress: kept open with its holds until it ends (its status event, or a later sweep, decides); escalated as overrun if still running at ${new Date((deps.clock.nowSec() - 1 + OVERRUN_LIMIT_SEC) * 1000).toISOString()}`,
      );
      expect((await deps.ledger.getRemediation(id))?.state).toBe('verifying');
      expect(await holds(deps, id)).toEqual({ lock: true, globalSlots: 1 });
      expect(deps.escalator.notifications).toEqual([]);
    },
  );

  it('admits no second automation beside it (the global cap still counts it)', async () => {
    const { deps } = await overdueRunning(1);
    await sweepDeadlines(deps, 'sweep-1');

    const second = await handleAlarmEvent(alarmOnInstance('evt-2', SECOND), deps);

    expect(second.outcome).not.toBe('started');
    expect(deps.automation.requests).toHaveLength(1);
  });

  it('resolves it when its success event comes and the alarm is OK, timing the recovery then', async () => {
    const { deps, executionId, id, startedAtSec } = await overdueRunning(1);
    await sweepDeadlines(deps, 'sweep-1');
    deps.clock.advance(120);
    deps.automation.statuses.set(executionId, 'Success');

    const done = await handleAutomationEvent(automationStatus('ssm-1', 'Success', executionId), deps);

    expect(done).toMatchObject({ outcome: 'resolved', recoveredState: 'OK' });
    expect(done.timeToRecoverSec).toBe(deps.clock.nowSec() - startedAtSec);
    expect(await holds(deps, id)).toEqual({ lock: false, globalSlots: 0 });
  });

  it('escalates a failure a later sweep reads as a failed automation, giving the holds back', async () => {
    const { deps, executionId, id } = await overdueRunning(1);
    await sweepDeadlines(deps, 'sweep-1');
    deps.clock.advance(60);
    deps.automation.statuses.set(executionId, 'Failed');

    const summary = await sweepDeadlines(deps, 'sweep-2');

    expect(summary.results[0]).toMatchObject({ escalation: { kind: 'automationFailed' } });
    expect((await deps.ledger.getRemediation(id))?.state).toBe('failed');
    expect(await holds(deps, id)).toEqual({ lock: false, globalSlots: 0 });
  });

  it('escalates it as overrun at the limit, keeping its holds until they lapse', async () => {
    const { deps, executionId, id } = await overdueRunning(OVERRUN_LIMIT_SEC, 'OK');

    const summary = await sweepDeadlines(deps, 'sweep-1');

    expect(summary).toMatchObject({ escalated: 1, resolved: 0 });
    expect(summary.results[0]).toMatchObject({
      outcome: 'verificationFailed',
      escalation: { kind: 'automationOverran', byEventId: 'sweep-1', snsMessageId: 'msg-1' },
    });
    const lapse = new Date((deps.clock.nowSec() - OVERRUN_LIMIT_SEC + LOCK_GRACE_SEC) * 1000).toISOString();
    expect(summary.results[0]?.reason).toBe(
      `automation ${executionId} still InProgress ${OVERRUN_LIMIT_SEC} s after its verification deadline (the sweep waits ${OVERRUN_LIMIT_SEC} s past it for the end), alarm ${ALARM} OK; its resource lock and slots are kept until they lapse at ${lapse}, then another remediation may start on ${FIRST} while it may still run: stop it, or watch it end`,
    );
    expect(deps.escalator.notifications[0]?.subject).toContain(
      'automation overran its verification deadline',
    );
    expect((await deps.ledger.getRemediation(id))?.state).toBe('escalated');
    expect(await deps.ledger.countFailedVerifications(DISK_RULE.id, 0)).toBe(1);
    expect(await holds(deps, id)).toEqual({ lock: true, globalSlots: 1 });

    deps.clock.advance(LOCK_GRACE_SEC - OVERRUN_LIMIT_SEC);
    expect(await holds(deps, id)).toEqual({ lock: false, globalSlots: 0 });
  });

  it('keeps the holds when the sweeper re-sends its undelivered overrun escalation', async () => {
    const { deps, id } = await overdueRunning(OVERRUN_LIMIT_SEC);
    deps.escalator.snsFails = true;
    const refused = await sweepDeadlines(deps, 'sweep-1');
    expect(refused.errors).toHaveLength(1);
    deps.escalator.snsFails = false;
    deps.clock.advance(61);

    const resent = await sweepDeadlines(deps, 'sweep-2');

    expect(resent.resentEscalations).toBe(1);
    expect(deps.escalator.notifications[0]?.subject).toContain(
      'automation overran its verification deadline',
    );
    expect(await holds(deps, id)).toEqual({ lock: true, globalSlots: 1 });
  });
});
