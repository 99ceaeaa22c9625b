/**
 * A redeploy between a start's uncertain request and its resume can make SSM refuse the identical
 * resumed request although the earlier one started the automation: the function's permission was
 * taken away (AccessDeniedException), or a shipped document was changed in place and SSM judges
 * the request, which pins no version, against the new default version. Either refusal proves
 * nothing about the earlier request, so the start stays `started` with its holds (the other
 * instance of the 2-instance group at 34 % stays blocked) and a later resume records the
 * execution. SSM is asked for the document's versions only for a resume's refusal of the request
 * sent first, never on a first start.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { StartRefusedError } from '../../../lambdas/core/remediation/engine-ports';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, type TestDeps, testDeps } from './engine-deps';
import {
  A,
  expectBBlocked,
  groupDeps,
  holdsOf,
  INVOCATION,
  invalidParameters as invalid,
  uncertainOnA,
} from './start-uncertain-fixtures';

const DOCUMENT = 'SelfHeal-CleanupDirectory';

/** What the adapter hands the engine for SSM's AccessDeniedException. */
const denied = () =>
  new StartRefusedError(
    'AccessDeniedException: User is not authorized to perform: ssm:StartAutomationExecution (HTTP 400)',
    { kind: 'permission' },
  );

/** A redeploy made version 2 of the document its default at `createdAtSec`. */
function redeployDocument(deps: TestDeps, createdAtSec: number): void {
  deps.automation.defaultVersions.set(DOCUMENT, { version: '2', createdAtSec });
}

describe("a resumed start SSM refuses the function's permission (a redeploy took it away)", () => {
  it("stays started with its holds on Lambda's retry, and a later retry records the execution", async () => {
    const deps = groupDeps();
    const { event, token } = await uncertainOnA(deps);
    deps.clock.advance(60);
    deps.automation.fail = denied();

    const retried = await handleAlarmEvent(event, deps, INVOCATION);

    expect(retried).toMatchObject({ outcome: 'startUncertain', remediationId: 'rem-evt-a' });
    expect(retried.reason).toBe(
      "StartAutomationExecution of SelfHeal-CleanupDirectory on i-00000000000000001 was refused by SSM on resuming: AccessDeniedException: User is not authorized to perform: ssm:StartAutomationExecution (HTTP 400); but an earlier request with the same ClientToken may have started it: SSM refused this function's permission to start it, which a redeploy may have taken away since the earlier request was let through, so that refusal says nothing about the earlier request, so remediation rem-evt-a stays started with its holds, to be resumed with the same ClientToken",
    );
    const record = await deps.ledger.getRemediation('rem-evt-a');
    expect(record).toMatchObject({ state: 'started' });
    expect(record?.escalation).toBeUndefined();
    expect(deps.escalator.notifications).toEqual([]);
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
    expect(deps.automation.versionReads).toEqual([]);
    deps.automation.fail = undefined;
    await expectBBlocked(deps);

    deps.clock.advance(120);
    const again = await handleAlarmEvent(event, deps, INVOCATION);

    expect(again).toMatchObject({ outcome: 'started', executionId: `exec-${token}` });
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'verifying' });
  });

  it("stays started with its holds on the sweeper's resume of the stalled start", async () => {
    const deps = groupDeps();
    await uncertainOnA(deps);
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    deps.automation.fail = denied();

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.resumed).toBe(1);
    expect(sweep.results).toMatchObject([{ outcome: 'startUncertain', remediationId: 'rem-evt-a' }]);
    expect(sweep.results[0]?.reason).toContain("SSM refused this function's permission to start it");
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
    expect(deps.escalator.notifications).toEqual([]);
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
  });

  it('fails a first start and gives its holds back, as before: no earlier request had its ClientToken', async () => {
    const deps = groupDeps();
    deps.automation.fail = denied();

    const first = await handleAlarmEvent(alarmOnInstance('evt-a', A), deps, INVOCATION);

    expect(first).toMatchObject({ outcome: 'startFailed', escalation: { kind: 'startFailed' } });
    expect(first.reason).toBe(
      'StartAutomationExecution refused by SSM: AccessDeniedException: User is not authorized to perform: ssm:StartAutomationExecution (HTTP 400)',
    );
    expect(await holdsOf(deps)).toEqual({ global: 0, group: 0, lockFree: true });
    expect(deps.automation.versionReads).toEqual([]);
  });
});

describe('a resumed start SSM refuses for the request itself after a redeploy changed its document in place', () => {
  it("stays started with its holds on Lambda's retry, naming the version, and a later retry records the execution", async () => {
    const deps = groupDeps();
    const { event, token } = await uncertainOnA(deps);
    const recordedSec = deps.clock.nowSec();
    deps.clock.advance(60);
    redeployDocument(deps, deps.clock.nowSec() - 10);
    deps.automation.fail = invalid();

    const retried = await handleAlarmEvent(event, deps, INVOCATION);

    expect(retried).toMatchObject({ outcome: 'startUncertain', remediationId: 'rem-evt-a' });
    expect(retried.reason).toBe(
      `StartAutomationExecution of SelfHeal-CleanupDirectory on i-00000000000000001 was refused by SSM on resuming: InvalidAutomationExecutionParametersException: Parameter "Directory" is invalid (HTTP 400); but an earlier request with the same ClientToken may have started it: document SelfHeal-CleanupDirectory's default version 2 was created at ${new Date((recordedSec + 50) * 1000).toISOString()}, after or less than 5 minutes before the earlier request could have been sent (from ${new Date(recordedSec * 1000).toISOString()}, when remediation rem-evt-a was recorded): a redeploy may have changed the document SSM judged this request against, so its refusal says nothing about the earlier request, so remediation rem-evt-a stays started with its holds, to be resumed with the same ClientToken`,
    );
    expect(deps.automation.versionReads).toEqual([DOCUMENT]);
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
    expect(deps.escalator.notifications).toEqual([]);
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
    deps.automation.fail = undefined;
    await expectBBlocked(deps);

    deps.clock.advance(120);
    const again = await handleAlarmEvent(event, deps, INVOCATION);

    expect(again).toMatchObject({ outcome: 'started', executionId: `exec-${token}` });
  });

  it('stays started with its holds when the versions cannot be read', async () => {
    const deps = groupDeps();
    const { event } = await uncertainOnA(deps);
    deps.clock.advance(60);
    deps.automation.versionsFail = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    deps.automation.fail = invalid();

    const retried = await handleAlarmEvent(event, deps, INVOCATION);

    expect(retried).toMatchObject({ outcome: 'startUncertain' });
    expect(retried.reason).toContain(
      'whether a redeploy changed document SelfHeal-CleanupDirectory since is unknown, as its versions could not be read: ThrottlingException: Rate exceeded; so its refusal says nothing about the earlier request',
    );
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
  });

  it("stays started with its holds on the sweeper's resume of the stalled start", async () => {
    const deps = groupDeps();
    await uncertainOnA(deps);
    redeployDocument(deps, deps.clock.nowSec() + 30);
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    deps.automation.fail = invalid();

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.results).toMatchObject([{ outcome: 'startUncertain', remediationId: 'rem-evt-a' }]);
    expect(sweep.results[0]?.reason).toContain("document SelfHeal-CleanupDirectory's default version 2");
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
  });

  it("stays started on the sweeper's re-drive of a start resumed into blocked, the document changed between", async () => {
    const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
    const { event } = await uncertainOnA(deps);
    const recordedSec = deps.clock.nowSec();
    // Its global slot lost meanwhile (given back after a failed write, then taken by another).
    await deps.ledger.releaseGlobalSlot('rem-evt-a');
    await deps.ledger.acquireGlobalSlot('rem-other', 1, deps.clock.nowSec() + 120);
    deps.clock.advance(60);
    expect(await handleAlarmEvent(event, deps, INVOCATION)).toMatchObject({ outcome: 'skipped' });
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'blocked' });
    await deps.ledger.releaseGlobalSlot('rem-other');
    // Deployed after the first request, and more than the margin before the re-drive enters
    // `started` again (which overwrites stateTimes.started), within the deadline.
    redeployDocument(deps, recordedSec + 70);
    deps.clock.advance(420);
    deps.automation.fail = invalid();

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.redriven).toBe(1);
    expect(sweep.results).toMatchObject([{ outcome: 'startUncertain', remediationId: 'rem-evt-a' }]);
    expect(sweep.results[0]?.reason).toContain(
      `(from ${new Date(recordedSec * 1000).toISOString()}, when remediation rem-evt-a was recorded)`,
    );
    const record = await deps.ledger.getRemediation('rem-evt-a');
    expect(record).toMatchObject({ state: 'started' });
    expect(record?.stateTimes.started).toBe(recordedSec + 480);
    expect(await deps.ledger.activeGlobalSlots()).toBe(1);
  });

  it('asks nothing about the document on a first start SSM refused for the request itself', async () => {
    const deps = groupDeps();
    deps.automation.fail = invalid();

    const first = await handleAlarmEvent(alarmOnInstance('evt-a', A), deps, INVOCATION);

    expect(first).toMatchObject({ outcome: 'startFailed' });
    expect(deps.automation.versionReads).toEqual([]);
  });
});
