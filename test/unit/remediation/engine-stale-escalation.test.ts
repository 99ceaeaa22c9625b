import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, type TestDeps, testDeps } from './engine-deps';

const INSTANCE = 'i-0abc123def4567890';

/** A sweep that closed `rem-evt-1` with a pending escalation, then died before SNS took it. */
async function crashedMidEscalation(): Promise<TestDeps> {
  const deps = testDeps();
  await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
  const escalation = { reason: 'deadline passed', atSec: deps.clock.nowSec(), byEventId: 'sweep-0' };
  await deps.ledger.transition('rem-evt-1', 'verifying', 'escalated', { escalation });
  return deps;
}

describe('sweeper re-sending escalations whose sender died', () => {
  it('re-sends a pending escalation 61 s after it was recorded, and records it sent', async () => {
    const deps = await crashedMidEscalation();
    deps.clock.advance(61);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.resentEscalations).toBe(1);
    expect(sweep.errors).toEqual([]);
    expect(deps.escalator.notifications).toHaveLength(1);
    const stored = await deps.ledger.getRemediation('rem-evt-1');
    expect(stored?.escalation).toMatchObject({ reason: 'deadline passed', snsMessageId: 'msg-1' });
    expect((await deps.ledger.listPendingEscalations(deps.clock.nowSec() + 1)).records).toEqual([]);
  });

  it('leaves an escalation pending for 30 s to its owner', async () => {
    const deps = await crashedMidEscalation();
    deps.clock.advance(30);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.resentEscalations).toBe(0);
    expect(deps.escalator.notifications).toEqual([]);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation?.snsMessageId).toBeUndefined();
  });

  it('sends nothing again once the escalation is recorded sent', async () => {
    const deps = await crashedMidEscalation();
    deps.clock.advance(61);
    await sweepDeadlines(deps, 'sweep-1');
    deps.clock.advance(600);

    const sweep = await sweepDeadlines(deps, 'sweep-2');

    expect(sweep.resentEscalations).toBe(0);
    expect(deps.escalator.notifications).toHaveLength(1);
  });

  it('keeps retrying while SNS refuses, reporting the error', async () => {
    const deps = await crashedMidEscalation();
    deps.clock.advance(61);
    deps.escalator.snsFails = true;

    const refused = await sweepDeadlines(deps, 'sweep-1');
    deps.escalator.snsFails = false;
    deps.clock.advance(60);
    const retried = await sweepDeadlines(deps, 'sweep-2');

    expect(refused.errors.map((e) => e.remediationId)).toEqual(['rem-evt-1']);
    expect(retried.resentEscalations).toBe(1);
    expect(deps.escalator.notifications).toHaveLength(1);
  });
});
