/**
 * A StartAutomationExecution that failed in transit or on SSM's side (StartUncertainError, or
 * anything but SSM's refusal) may have started the automation. The remediation stays `started`
 * with its resource lock, group slot and global slot, nobody is told, and the start is resumed
 * with the same ClientToken (SSM's answer then names the execution it started, or it starts it)
 * by Lambda's retry of the alarm handler or by the sweeper after the lease. A refusal (SSM
 * answered with an error) still fails the start and gives the holds back. In a 2-instance group at
 * 34 % (one slot), the difference decides whether the other instance's alarm may start.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { StartUncertainError } from '../../../lambdas/core/remediation/engine-ports';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, evidenceOf, type TestDeps, testDeps } from './engine-deps';
import {
  A,
  B,
  groupDeps,
  holdsOf,
  INVOCATION,
  invalidParameters as refused,
  timedOut,
} from './start-uncertain-fixtures';

const serverError = () =>
  new StartUncertainError(
    'InternalServerError: An error occurred on the server side. (attempts: HTTP 500, HTTP 500, HTTP 500)',
  );

/** How the uncertain start went: SSM took the request and the answer was lost, or it never arrived. */
const LOST = [
  ['a timeout after SSM took the request', (deps: TestDeps) => (deps.automation.answerLost = timedOut())],
  ['a timeout before the request arrived', (deps: TestDeps) => (deps.automation.fail = timedOut())],
  ['a server error (HTTP 500)', (deps: TestDeps) => (deps.automation.answerLost = serverError())],
  [
    'an error the runner threw that is not an SSM answer (a bug)',
    (deps: TestDeps) => (deps.automation.fail = new TypeError('x is undefined')),
  ],
] as const;

/** Lets the next starts answer again. */
function ssmAnswers(deps: TestDeps): void {
  deps.automation.fail = undefined;
  deps.automation.answerLost = undefined;
}

describe('an alarm whose start got no certain answer', () => {
  it.each(LOST)(
    'after %s: stays started with its holds, tells nobody, and blocks the group’s other instance',
    async (_what, lose) => {
      const deps = groupDeps();
      lose(deps);

      const first = await handleAlarmEvent(alarmOnInstance('evt-a', A), deps, INVOCATION);

      expect(first).toMatchObject({ outcome: 'startUncertain', remediationId: 'rem-evt-a' });
      expect(first.reason).toMatch(
        /^StartAutomationExecution of SelfHeal-CleanupDirectory on i-00000000000000001 got no certain answer: .+; SSM may have started it, so remediation rem-evt-a stays started with its holds, to be resumed with the same ClientToken$/,
      );
      const record = await deps.ledger.getRemediation('rem-evt-a');
      expect(record).toMatchObject({ state: 'started' });
      expect(record?.executionId).toBeUndefined();
      expect(record?.escalation).toBeUndefined();
      expect(deps.escalator.notifications).toEqual([]);
      expect(deps.escalator.opsItems).toEqual([]);

      ssmAnswers(deps);
      const other = await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);

      expect(other).toMatchObject({ outcome: 'skipped' });
      expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({
        state: 'blocked',
        blockedBy: 'blastRadius',
      });
      expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).not.toContainEqual([B]);
      expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
    },
  );

  it('names the error in its reason', async () => {
    const deps = groupDeps();
    deps.automation.answerLost = serverError();

    const first = await handleAlarmEvent(alarmOnInstance('evt-a', A), deps, INVOCATION);

    expect(first.reason).toContain(
      'got no certain answer: InternalServerError: An error occurred on the server side. (attempts: HTTP 500, HTTP 500, HTTP 500); SSM may have started it',
    );
  });

  it('is failed, escalated and gives its holds back when SSM refused it, so the other instance starts', async () => {
    const deps = groupDeps();
    deps.automation.fail = refused();

    const first = await handleAlarmEvent(alarmOnInstance('evt-a', A), deps, INVOCATION);

    expect(first).toMatchObject({ outcome: 'startFailed', escalation: { kind: 'startFailed' } });
    expect(first.reason).toBe(
      'StartAutomationExecution refused by SSM: InvalidAutomationExecutionParametersException: Parameter "Directory" is invalid (HTTP 400)',
    );
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'failed' });
    expect(deps.escalator.notifications).toHaveLength(1);
    ssmAnswers(deps);
    expect(await handleAlarmEvent(alarmOnInstance('evt-b', B), deps)).toMatchObject({ outcome: 'started' });
  });
});

describe('resuming a start that got no certain answer', () => {
  it("records, on Lambda's retry of the invocation, the execution SSM started though its answer was lost", async () => {
    const deps = groupDeps();
    deps.automation.answerLost = timedOut();
    const event = alarmOnInstance('evt-a', A);
    expect(await handleAlarmEvent(event, deps, INVOCATION)).toMatchObject({ outcome: 'startUncertain' });
    ssmAnswers(deps);
    deps.clock.advance(60);

    const retried = await handleAlarmEvent(event, deps, INVOCATION);

    const [sent, resent] = deps.automation.requests;
    expect(resent?.ClientToken).toBe(sent?.ClientToken);
    const executionId = `exec-${sent?.ClientToken}`;
    expect(retried).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-a', executionId });
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'verifying', executionId });
    expect(await deps.ledger.countRemediations('disk-full-cleanup', A, 0)).toBe(1);
    expect(deps.escalator.notifications).toEqual([]);
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
  });

  it("starts it on Lambda's retry when the first request never reached SSM", async () => {
    const deps = groupDeps();
    deps.automation.fail = timedOut();
    const event = alarmOnInstance('evt-a', A);
    await handleAlarmEvent(event, deps, INVOCATION);
    ssmAnswers(deps);

    const retried = await handleAlarmEvent(event, deps, INVOCATION);

    expect(retried).toMatchObject({ outcome: 'started' });
    expect(deps.automation.requests).toHaveLength(1);
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'verifying' });
  });

  it('is resumed by the sweeper once the lease is over when no retry comes', async () => {
    const deps = groupDeps();
    deps.automation.answerLost = timedOut();
    await handleAlarmEvent(alarmOnInstance('evt-a', A), deps, INVOCATION);
    ssmAnswers(deps);
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep).toMatchObject({ resumed: 1, errors: [] });
    const token = deps.automation.requests[0]?.ClientToken;
    expect(deps.automation.requests.map((r) => r.ClientToken)).toEqual([token, token]);
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({
      state: 'verifying',
      executionId: `exec-${token}`,
    });
  });

  it('stays started with its holds when the resumed start gets no certain answer either, and the sweep reports it', async () => {
    const deps = groupDeps();
    deps.automation.answerLost = timedOut();
    await handleAlarmEvent(alarmOnInstance('evt-a', A), deps, INVOCATION);
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.resumed).toBe(1);
    expect(sweep.results).toMatchObject([{ outcome: 'startUncertain', remediationId: 'rem-evt-a' }]);
    expect(sweep.errors).toEqual([
      {
        step: 'resume stalled starts',
        remediationId: 'rem-evt-a',
        error: expect.stringContaining('got no certain answer: TimeoutError'),
      },
    ]);
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
    expect(deps.escalator.notifications).toEqual([]);
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
  });
});

describe("the sweeper's re-drive of a blocked remediation whose start got no certain answer", () => {
  /** rem-evt-b blocked on B by the global cap (1), held by rem-evt-a on A, which then resolves. */
  async function blockedThenFreed() {
    const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
    await handleAlarmEvent(alarmOnInstance('evt-a', A), deps);
    await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);
    expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({ state: 'blocked' });
    await deps.ledger.transition('rem-evt-a', 'verifying', 'resolved', { reason: 'alarm OK' });
    await deps.ledger.releaseGlobalSlot('rem-evt-a');
    await deps.ledger.releaseResourceLock(A, 'rem-evt-a');
    return deps;
  }

  it('keeps it started with its holds, reports the sweep incomplete, and a later sweep resumes it', async () => {
    const deps = await blockedThenFreed();
    deps.automation.answerLost = serverError();
    deps.clock.advance(60);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.redriven).toBe(1);
    expect(sweep.results).toMatchObject([{ outcome: 'startUncertain', remediationId: 'rem-evt-b' }]);
    expect(sweep.errors).toEqual([
      {
        step: 're-drive blocked remediations',
        remediationId: 'rem-evt-b',
        error: expect.stringContaining('got no certain answer: InternalServerError'),
      },
    ]);
    expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({ state: 'started' });
    expect(await deps.ledger.activeGlobalSlots()).toBe(1);
    expect(await deps.ledger.acquireResourceLock(B, 'rem-probe', deps.clock.nowSec() + 60)).toBe(false);
    expect(deps.escalator.notifications).toEqual([]);

    ssmAnswers(deps);
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    const later = await sweepDeadlines(deps, 'sweep-2');

    expect(later).toMatchObject({ resumed: 1, errors: [] });
    const tokens = deps.automation.requests.slice(1).map((r) => r.ClientToken);
    expect(tokens).toEqual([tokens[0], tokens[0]]);
    expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({
      state: 'verifying',
      executionId: `exec-${tokens[0]}`,
    });
  });
});

describe('a start that never gets a certain answer', () => {
  it('is escalated at its deadline saying no execution was recorded, and keeps its holds until they expire', async () => {
    const deps = groupDeps();
    deps.automation.answerLost = timedOut();
    const event = alarmOnInstance('evt-a', A);
    await handleAlarmEvent(event, deps, INVOCATION);
    // Lambda's two retries, then the sweeper every minute after the lease, all without an answer.
    deps.clock.advance(60);
    expect(await handleAlarmEvent(event, deps, INVOCATION)).toMatchObject({ outcome: 'startUncertain' });
    deps.clock.advance(120);
    expect(await handleAlarmEvent(event, deps, INVOCATION)).toMatchObject({ outcome: 'startUncertain' });
    const { deadlineSec = 0 } = (await deps.ledger.getRemediation('rem-evt-a')) ?? {};
    while (deps.clock.nowSec() < deadlineSec) {
      deps.clock.advance(60);
      await sweepDeadlines(deps, `sweep-${deps.clock.nowSec()}`);
    }

    const record = await deps.ledger.getRemediation('rem-evt-a');
    expect(record).toMatchObject({ state: 'escalated', escalation: { kind: 'verificationFailed' } });
    expect(record?.executionId).toBeUndefined();
    expect(record?.reason).toContain(
      "no automation execution recorded: its StartAutomationExecution never got a certain answer (its starter died, the request failed in transit or on SSM's side, or SSM refused a resume in a way that says nothing about the earlier request) and no resume recorded one, so the start may have reached SSM and its automation may have run or be running",
    );
    expect(deps.escalator.notifications).toHaveLength(1);
    expect(evidenceOf(deps.escalator.notifications[0]).reason).toContain('the start may have reached SSM');
    const tokens = new Set(deps.automation.requests.map((r) => r.ClientToken));
    expect(tokens.size).toBe(1);
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
    ssmAnswers(deps);
    const other = await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);
    expect(other).toMatchObject({ outcome: 'skipped' });
    expect(other.reason).toContain('holds a slot of web-asg');
  });
});

describe('a re-drive of the event under another request id (as from the dead-letter queue)', () => {
  const REDRIVE = { requestId: 'req-2' };

  it('is a duplicate while the lease runs, then resumes the start with the same ClientToken', async () => {
    const deps = groupDeps();
    deps.automation.answerLost = timedOut();
    const event = alarmOnInstance('evt-a', A);
    expect(await handleAlarmEvent(event, deps, INVOCATION)).toMatchObject({ outcome: 'startUncertain' });
    ssmAnswers(deps);
    deps.clock.advance(60);

    const early = await handleAlarmEvent(event, deps, REDRIVE);

    expect(early).toMatchObject({ outcome: 'duplicate' });
    expect(early.reason).toContain('remediation rem-evt-a is being started');
    expect(deps.automation.requests).toHaveLength(1);

    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    const late = await handleAlarmEvent(event, deps, REDRIVE);

    const [sent, resent] = deps.automation.requests;
    expect(resent?.ClientToken).toBe(sent?.ClientToken);
    expect(late).toMatchObject({ outcome: 'started', executionId: `exec-${sent?.ClientToken}` });
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'verifying' });
  });

  it('is a duplicate once the execution was recorded, sending nothing and telling nobody', async () => {
    const deps = groupDeps();
    deps.automation.answerLost = timedOut();
    const event = alarmOnInstance('evt-a', A);
    await handleAlarmEvent(event, deps, INVOCATION);
    ssmAnswers(deps);
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    expect(await sweepDeadlines(deps, 'sweep-1')).toMatchObject({ resumed: 1, errors: [] });
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'verifying' });

    const redriven = await handleAlarmEvent(event, deps, REDRIVE);

    expect(redriven).toMatchObject({ outcome: 'duplicate', remediationId: 'rem-evt-a' });
    expect(deps.automation.requests).toHaveLength(2);
    expect(deps.escalator.notifications).toEqual([]);
  });
});
