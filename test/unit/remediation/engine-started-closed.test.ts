/**
 * A remediation closed while still `started`, no execution recorded: its starter is inside
 * StartAutomationExecution, or died there, most likely after SSM took the request, so an
 * automation may be running that no record tracks. Whichever path closes it (the alarm's OK event,
 * the deadline sweep resolving or escalating it, a resumed start's recheck: ./engine-resume-recheck),
 * the record keeps its resource lock and slots until they expire (its deadline plus the lock
 * grace) and counts as a remediation for the frequency limit and the cooldown. Here: two instances
 * of one group at 34 %, so one slot; A's starter is in SSM; B's alarm must not start beside it.
 */
import { describe, expect, it } from 'vitest';
import type { StartAutomationRequest } from '../../../lambdas/core/remediation/automation-request';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { LOCK_GRACE_SEC } from '../../../lambdas/core/remediation/engine-ports';
import type { EngineResult } from '../../../lambdas/core/remediation/engine-result';
import { STALE_ESCALATION_SEC } from '../../../lambdas/core/remediation/escalation-resend';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, type TestDeps, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const A = 'i-0abc123def4567890';
const B = 'i-0def456abc7890123';
const ALARM_A = `disk-full-${A}`;
const REMEDIATION_A = 'rem-evt-a';

/**
 * A and B in one group at 34 % (one slot). A's alarm handler calls StartAutomationExecution, SSM
 * takes the request (the automation runs), and the answer is held until `answer()` is called:
 * never, for a starter killed inside the call. `a` is the handler's result.
 */
async function aInsideSsm() {
  const deps = testDeps();
  for (const i of [A, B]) deps.groups.groups.set(i, { name: 'web-asg', instancesInService: 2 });
  const start = deps.automation.start.bind(deps.automation);
  let answer: () => void = () => {};
  const reached = new Promise<void>((sent) => {
    deps.automation.start = async (request: StartAutomationRequest) => {
      deps.automation.start = start;
      const executionId = await start(request);
      sent();
      await new Promise<void>((r) => {
        answer = r;
      });
      return executionId;
    };
  });
  const a = handleAlarmEvent(alarmOnInstance('evt-a', A), deps, { requestId: 'req-a' });
  await reached;
  expect(await deps.ledger.getRemediation(REMEDIATION_A)).toMatchObject({ state: 'started' });
  return { deps, a, answer: () => answer() };
}

/** Moves the clock just past A's deadline, with no sweep in between to resume A's start. */
async function pastDeadline(deps: TestDeps): Promise<void> {
  const deadlineSec = (await deps.ledger.getRemediation(REMEDIATION_A))?.deadlineSec ?? 0;
  deps.clock.advance(deadlineSec - deps.clock.nowSec() + 1);
}

/**
 * A keeps its holds: B's alarm starts nothing, A is counted once for the frequency limit and the
 * cooldown, and the holds lapse at A's deadline plus the lock grace.
 */
async function expectAHoldsUntilExpiry(deps: TestDeps): Promise<void> {
  const b = await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);
  expect(b.outcome).not.toBe('started');
  expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([[A]]);
  const record = await deps.ledger.getRemediation(REMEDIATION_A);
  expect(await deps.ledger.activeGroupSlots('web-asg')).toBe(1);
  expect(await deps.ledger.acquireResourceLock(A, 'rem-probe', deps.clock.nowSec() + 60)).toBe(false);
  expect(await deps.ledger.countRemediations(DISK_RULE.id, A, 0)).toBe(1);
  expect(await deps.ledger.lastRemediationAt(DISK_RULE.id, A)).toBe(record?.createdAtSec);
  deps.clock.advance((record?.deadlineSec ?? 0) + LOCK_GRACE_SEC - deps.clock.nowSec());
  expect(await deps.ledger.acquireResourceLock(A, 'rem-probe', deps.clock.nowSec() + 60)).toBe(true);
  expect(await deps.ledger.activeGroupSlots('web-asg')).toBe(0);
}

describe('a remediation closed from started without an execution', () => {
  it("keeps its holds when the alarm's OK event resolves it", async () => {
    const { deps } = await aInsideSsm();

    const ok = await handleAlarmEvent(alarmOnInstance('evt-a-ok', A, 'OK'), deps);

    expect(ok).toMatchObject({ outcome: 'resolved', remediationId: REMEDIATION_A });
    await expectAHoldsUntilExpiry(deps);
  });

  it('keeps its holds when the deadline sweep escalates it', async () => {
    const { deps } = await aInsideSsm();
    await pastDeadline(deps);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.results).toMatchObject([{ outcome: 'verificationFailed', remediationId: REMEDIATION_A }]);
    expect(await deps.ledger.getRemediation(REMEDIATION_A)).toMatchObject({ state: 'escalated' });
    await expectAHoldsUntilExpiry(deps);
  });

  it('keeps its holds when the deadline sweep finds the alarm OK and resolves it', async () => {
    const { deps } = await aInsideSsm();
    deps.alarms.states.set(ALARM_A, 'OK');
    await pastDeadline(deps);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.results).toMatchObject([{ outcome: 'resolved', remediationId: REMEDIATION_A }]);
    await expectAHoldsUntilExpiry(deps);
  });

  it("keeps its holds when the sweeper re-sends the deadline sweep's escalation SNS refused", async () => {
    const { deps } = await aInsideSsm();
    await pastDeadline(deps);
    deps.escalator.snsFails = true;
    expect((await sweepDeadlines(deps, 'sweep-1')).errors).toHaveLength(1);
    deps.escalator.snsFails = false;
    deps.clock.advance(STALE_ESCALATION_SEC + 1);

    const sweep = await sweepDeadlines(deps, 'sweep-2');

    expect(sweep.resentEscalations).toBe(1);
    expect(await deps.ledger.getRemediation(REMEDIATION_A)).toMatchObject({
      state: 'escalated',
      escalation: { kind: 'verificationFailed', snsMessageId: expect.any(String) },
    });
    await expectAHoldsUntilExpiry(deps);
  });

  it('lets a live starter whose closing write lost escalate its execution as untracked, naming the holds kept', async () => {
    const { deps, a, answer } = await aInsideSsm();
    await handleAlarmEvent(alarmOnInstance('evt-a-ok', A, 'OK'), deps);
    const resolved = await deps.ledger.getRemediation(REMEDIATION_A);

    answer();
    const late: EngineResult = await a;

    const executionId = `exec-${resolved?.clientToken}`;
    expect(late).toMatchObject({ outcome: 'untrackedExecution', remediationId: REMEDIATION_A, executionId });
    expect(late.reason).toContain('left it resolved with no execution');
    const until = new Date(((resolved?.deadlineSec ?? 0) + LOCK_GRACE_SEC) * 1000).toISOString();
    expect(late.reason).toContain(`its lock and slots stay held until ${until}`);
    expect(await deps.ledger.getRemediation(REMEDIATION_A)).toEqual(resolved);
    // Counted once: by the close, not again by the losing starter.
    await expectAHoldsUntilExpiry(deps);
  });
});
