import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, automationStatus, type TestDeps, testDeps } from './engine-deps';

const INSTANCE = 'i-0abc123def4567890';

/** A remediation started and now past its deadline, with its execution id. */
async function overdue(deps: TestDeps): Promise<string> {
  const started = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
  deps.clock.advance(3600);
  return started.executionId ?? '';
}

describe('double escalation race (sweeper vs automation failure)', () => {
  it('sends one escalation when both handle the remediation at once', async () => {
    const deps = testDeps();
    const failed = automationStatus('auto-1', 'Failed', await overdue(deps));

    const [sweep, event] = await Promise.all([
      sweepDeadlines(deps, 'sweep-1'),
      handleAutomationEvent(failed, deps),
    ]);

    expect(deps.escalator.notifications).toHaveLength(1);
    expect(deps.escalator.opsItems).toHaveLength(1);
    const outcomes = [sweep.results[0]?.outcome, event.outcome].sort();
    expect(outcomes).toEqual(['ignored', 'verificationFailed']);
    expect(await deps.ledger.countFailedVerifications('disk-full-cleanup', 0)).toBe(1);
  });

  it('does nothing for the loser that arrives while the winner is still sending', async () => {
    const deps = testDeps();
    const failed = automationStatus('auto-1', 'Failed', await overdue(deps));
    let open = () => {};
    deps.escalator.gate = new Promise((resolve) => {
      open = resolve;
    });
    const sweeping = sweepDeadlines(deps, 'sweep-1');
    await new Promise((resolve) => setTimeout(resolve, 10));

    const late = await handleAutomationEvent(failed, deps);
    open();
    const sweep = await sweeping;

    expect(late.outcome).toBe('ignored');
    expect(sweep.escalated).toBe(1);
    expect(deps.escalator.notifications).toHaveLength(1);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation).toMatchObject({
      snsMessageId: 'msg-1',
      byEventId: 'sweep-1',
    });
  });
});
