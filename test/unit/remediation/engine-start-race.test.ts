/**
 * Two attempts on one `started` remediation: its first delivery, still between recording `started`
 * and recording the execution id (inside StartAutomationExecution), and a duplicate delivery of the
 * same event. EventBridge delivers at least once, so the duplicate can come while the first is
 * running; the remediation benchmark's storm delivers 20 % of its events twice, concurrently.
 * Only one attempt moves the record; the other must neither throw StateConflictError nor escalate,
 * count or free the holds the winner keeps.
 */
import { describe, expect, it } from 'vitest';
import type { StartAutomationRequest } from '../../../lambdas/core/remediation/automation-request';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { StartRefusedError } from '../../../lambdas/core/remediation/engine-ports';
import type { EngineResult } from '../../../lambdas/core/remediation/engine-result';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, type TestDeps, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';
import { invalidParameters } from './start-uncertain-fixtures';

const INSTANCE = 'i-0abc123def4567890';
const GROUP = { name: 'web-asg', instancesInService: 4 };

/**
 * Holds the first StartAutomationExecution until the returned `release` is called (with an error:
 * SSM refused it); later calls answer at once. `reached` resolves once the first call is held.
 */
function holdFirstStart(deps: TestDeps) {
  const start = deps.automation.start.bind(deps.automation);
  let release: (error?: Error) => void = () => {};
  let calls = 0;
  const reached = new Promise<void>((entered) => {
    deps.automation.start = async (request: StartAutomationRequest) => {
      calls += 1;
      if (calls > 1) return start(request);
      entered();
      const error = await new Promise<Error | undefined>((r) => {
        release = r;
      });
      if (error !== undefined) throw error;
      return start(request);
    };
  });
  return { reached, release: (error?: Error) => release(error) };
}

/** The first delivery of `evt-1`, held inside its start; `result` settles once it is released. */
async function firstDeliveryHeld(deps: TestDeps) {
  deps.groups.groups.set(INSTANCE, GROUP);
  const held = holdFirstStart(deps);
  const event = alarmOnInstance('evt-1', INSTANCE);
  const first = handleAlarmEvent(event, deps).then(
    (r): EngineResult | Error => r,
    (e: Error) => e,
  );
  await held.reached;
  expect(await deps.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'started' });
  return { event, first, release: held.release };
}

async function holdsOf(deps: TestDeps) {
  return {
    global: await deps.ledger.activeGlobalSlots(),
    group: await deps.ledger.activeGroupSlots(GROUP.name),
    lockFree: await deps.ledger.acquireResourceLock(INSTANCE, 'rem-probe', deps.clock.nowSec() + 60),
  };
}

describe('a duplicate delivery while the first is starting the automation', () => {
  it('is a duplicate, sends no second start, and leaves the start to the first', async () => {
    const deps = testDeps();
    const { event, first, release } = await firstDeliveryHeld(deps);

    const duplicate = await handleAlarmEvent(event, deps);
    release();

    expect(duplicate).toMatchObject({ outcome: 'duplicate', remediationId: 'rem-evt-1' });
    expect(duplicate.reason).toContain('is being started');
    expect(await first).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-1' });
    expect(deps.automation.requests).toHaveLength(1);
    expect(await deps.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'verifying' });
    expect(await deps.ledger.countRemediations(DISK_RULE.id, INSTANCE, 0)).toBe(1);
  });

  it("resumes at once on Lambda's retry of the first attempt's request (that attempt has ended)", async () => {
    const deps = testDeps();
    deps.groups.groups.set(INSTANCE, GROUP);
    const held = holdFirstStart(deps);
    const event = alarmOnInstance('evt-1', INSTANCE);
    void handleAlarmEvent(event, deps, { requestId: 'req-1' });
    await held.reached;

    const retried = await handleAlarmEvent(event, deps, { requestId: 'req-1' });

    expect(retried).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-1' });
    expect(deps.automation.requests).toHaveLength(1);
  });
});

describe("a redelivery while the sweeper re-drives the event's blocked remediation", () => {
  it('is a duplicate however old the event is: the lease runs from the re-drive', async () => {
    const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
    await handleAlarmEvent(alarmOnInstance('evt-a', 'i-00000000000000001'), deps);
    const blocked = alarmOnInstance('evt-b', INSTANCE);
    await handleAlarmEvent(blocked, deps);
    expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({ state: 'blocked' });
    await deps.ledger.transition('rem-evt-a', 'verifying', 'resolved', { reason: 'alarm OK' });
    await deps.ledger.releaseGlobalSlot('rem-evt-a');
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC + 60);
    const held = holdFirstStart(deps);
    const sweep = sweepDeadlines(deps, 'sweep-1');
    await held.reached;

    const redelivered = await handleAlarmEvent(blocked, deps);
    held.release();

    expect(redelivered).toMatchObject({ outcome: 'duplicate', remediationId: 'rem-evt-b' });
    expect((await sweep).redriven).toBe(1);
    expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([
      ['i-00000000000000001'],
      [INSTANCE],
    ]);
    expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({ state: 'verifying' });
  });
});

describe('a start outlived by its resume (the starter ran past the lease)', () => {
  /** The first delivery held in its start, and a redelivery after the lease that resumes it. */
  async function resumedUnderneath() {
    const deps = testDeps();
    const { event, first, release } = await firstDeliveryHeld(deps);
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    const resumed = await handleAlarmEvent(event, deps);
    expect(resumed).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-1' });
    return { deps, first, release, resumed };
  }

  it('lets the late starter find the execution recorded, without throwing or counting twice', async () => {
    const { deps, first, release, resumed } = await resumedUnderneath();
    const before = await deps.ledger.getRemediation('rem-evt-1');

    release();
    const late = await first;

    expect(late).toMatchObject({ outcome: 'ignored', remediationId: 'rem-evt-1' });
    expect((late as EngineResult).reason).toContain(`already verifying (execution ${resumed.executionId})`);
    expect(await deps.ledger.getRemediation('rem-evt-1')).toEqual(before);
    expect(await deps.ledger.countRemediations(DISK_RULE.id, INSTANCE, 0)).toBe(1);
    expect(deps.escalator.notifications).toHaveLength(0);
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
  });

  it('does not fail, escalate or free the holds when its own start is refused after the resume started it', async () => {
    const { deps, first, release } = await resumedUnderneath();

    release(new StartRefusedError('ThrottlingException: Rate exceeded (HTTP 400)', { kind: 'throttling' }));
    const late = await first;

    expect(late).toMatchObject({ outcome: 'ignored', remediationId: 'rem-evt-1' });
    expect((late as EngineResult).reason).toContain('already verifying');
    expect(await deps.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'verifying' });
    expect(deps.escalator.notifications).toHaveLength(0);
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
  });

  it('escalates an execution it started on a remediation the resume already closed as a failed start, naming it', async () => {
    const deps = testDeps();
    const { event, first, release } = await firstDeliveryHeld(deps);
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    // A refusal of the request itself, its document unchanged since: a throttled or access-denied
    // resume would keep the start uncertain.
    deps.automation.fail = invalidParameters();
    const resumed = await handleAlarmEvent(event, deps);
    expect(resumed).toMatchObject({ outcome: 'startFailed' });
    deps.automation.fail = undefined;
    const failed = await deps.ledger.getRemediation('rem-evt-1');

    release();
    const late = (await first) as EngineResult;

    const executionId = `exec-${failed?.clientToken}`;
    expect(late).toMatchObject({ outcome: 'untrackedExecution', remediationId: 'rem-evt-1', executionId });
    expect(late.reason).toContain(`automation execution ${executionId} is running`);
    expect(late.reason).toContain('left it failed with no execution');
    expect(late.escalation).toMatchObject({ kind: 'untrackedExecution', snsMessageId: 'msg-2' });
    // The remediation keeps the winner's record and escalation; the holds stay given back.
    expect(await deps.ledger.getRemediation('rem-evt-1')).toEqual(failed);
    expect(await holdsOf(deps)).toEqual({ global: 0, group: 0, lockFree: true });
    expect(deps.escalator.notifications).toHaveLength(2);
    expect(deps.escalator.notifications[1]?.subject).toContain('untracked automation running');
    expect(deps.escalator.notifications[1]?.message).toContain(`execution ${executionId}`);
    expect(deps.escalator.opsItems[1]?.OperationalData['selfheal:kind']?.Value).toBe('untrackedExecution');
  });

  it('does not escalate an execution the remediation still waits to record (blocked, to be started with the same ClientToken)', async () => {
    const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
    const { event, first, release } = await firstDeliveryHeld(deps);
    // Its global slot lost meanwhile (given back after a failed write, then taken by another).
    await deps.ledger.releaseGlobalSlot('rem-evt-1');
    await deps.ledger.acquireGlobalSlot('rem-other', 1, deps.clock.nowSec() + 3600);
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    expect(await handleAlarmEvent(event, deps)).toMatchObject({ outcome: 'skipped' });
    expect(await deps.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'blocked' });

    release();
    const late = (await first) as EngineResult;

    expect(late).toMatchObject({ outcome: 'ignored', remediationId: 'rem-evt-1' });
    expect(late.reason).toContain('already blocked');
    expect(deps.escalator.notifications).toHaveLength(0);
  });
});

describe('a start whose starter died and which no retry resumed', () => {
  it('is escalated by the deadline sweep saying no execution was recorded, not as a verification of an automation that ran', async () => {
    const deps = testDeps();
    // The starter never comes back from StartAutomationExecution (killed), and its retries ran out.
    await firstDeliveryHeld(deps);
    const { deadlineSec = 0 } = (await deps.ledger.getRemediation('rem-evt-1')) ?? {};
    deps.clock.advance(deadlineSec - deps.clock.nowSec() + 1);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.results).toHaveLength(1);
    expect(sweep.results[0]).toMatchObject({ outcome: 'verificationFailed', remediationId: 'rem-evt-1' });
    expect(sweep.results[0]?.reason).toContain(
      "no automation execution recorded: its StartAutomationExecution never got a certain answer (its starter died, the request failed in transit or on SSM's side, or SSM refused a resume in a way that says nothing about the earlier request) and no resume recorded one, so the start may have reached SSM and its automation may have run or be running",
    );
    expect(deps.automation.statusReads).toEqual([]);
    expect(await deps.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'escalated' });
  });
});
