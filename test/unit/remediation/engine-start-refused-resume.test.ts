/**
 * A refusal proves only that its own call started nothing. A resume sends the ClientToken of an
 * earlier request that may have started the automation (it got no certain answer), so a transient
 * refusal of the resume (throttling, the concurrent-executions limit) keeps the start uncertain:
 * the record stays `started` with its holds, and a later resume records the execution. A refusal
 * of the request itself, the one sent first, still fails it and gives the holds back when its
 * document was deployed long before (a redeploy's changes: engine-start-refused-redeploy); a first
 * start SSM refused for the moment waits blocked instead (engine-start-refused-moment). In a 2-instance group at 34 % (one slot), the difference
 * decides whether the other instance's alarm may start a second automation.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { StartRefusedError } from '../../../lambdas/core/remediation/engine-ports';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { EVENT_CLAIM_LEASE_SEC, type TestDeps, testDeps } from './engine-deps';
import {
  expectBBlocked,
  groupDeps,
  holdsOf,
  INVOCATION,
  invalidParameters as invalid,
  uncertainOnA,
} from './start-uncertain-fixtures';

const throttled = () =>
  new StartRefusedError('ThrottlingException: Rate exceeded (attempts: HTTP 400, HTTP 400, HTTP 400)', {
    kind: 'throttling',
  });

describe("a resumed start that SSM refuses for the moment (Lambda's retry)", () => {
  it('stays started with its holds, blocks the other instance, and a later retry records the execution', async () => {
    const deps = groupDeps();
    const { event, token } = await uncertainOnA(deps);
    deps.clock.advance(60);
    deps.automation.fail = throttled();

    const retried = await handleAlarmEvent(event, deps, INVOCATION);

    expect(retried).toMatchObject({ outcome: 'startUncertain', remediationId: 'rem-evt-a' });
    expect(retried.reason).toBe(
      'StartAutomationExecution of SelfHeal-CleanupDirectory on i-00000000000000001 was refused by SSM on resuming: ThrottlingException: Rate exceeded (attempts: HTTP 400, HTTP 400, HTTP 400); but an earlier request with the same ClientToken may have started it: a refusal of that kind says nothing about the earlier request, so remediation rem-evt-a stays started with its holds, to be resumed with the same ClientToken',
    );
    const record = await deps.ledger.getRemediation('rem-evt-a');
    expect(record).toMatchObject({ state: 'started' });
    expect(record?.escalation).toBeUndefined();
    expect(deps.escalator.notifications).toEqual([]);
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
    deps.automation.fail = undefined;
    await expectBBlocked(deps);

    deps.clock.advance(120);
    const again = await handleAlarmEvent(event, deps, INVOCATION);

    expect(again).toMatchObject({ outcome: 'started', executionId: `exec-${token}` });
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({
      state: 'verifying',
      executionId: `exec-${token}`,
    });
  });

  it('stays started the same way when SSM answers AutomationExecutionLimitExceededException', async () => {
    const deps = groupDeps();
    const { event } = await uncertainOnA(deps);
    deps.clock.advance(60);
    deps.automation.fail = new StartRefusedError(
      'AutomationExecutionLimitExceededException: limit exceeded (HTTP 400)',
      { kind: 'automationLimit' },
    );

    expect(await handleAlarmEvent(event, deps, INVOCATION)).toMatchObject({ outcome: 'startUncertain' });
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
  });
});

describe('a stalled start the sweeper resumes and SSM refuses for the moment', () => {
  it('stays started with its holds, the sweep reports it, and a later sweep records the execution', async () => {
    const deps = groupDeps();
    const { token } = await uncertainOnA(deps);
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    deps.automation.fail = throttled();

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.resumed).toBe(1);
    expect(sweep.results).toMatchObject([{ outcome: 'startUncertain', remediationId: 'rem-evt-a' }]);
    expect(sweep.errors).toEqual([
      {
        step: 'resume stalled starts',
        remediationId: 'rem-evt-a',
        error: expect.stringContaining('was refused by SSM on resuming: ThrottlingException'),
      },
    ]);
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
    expect(deps.escalator.notifications).toEqual([]);
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
    deps.automation.fail = undefined;
    await expectBBlocked(deps);

    deps.clock.advance(60);
    const later = await sweepDeadlines(deps, 'sweep-2');

    expect(later).toMatchObject({ resumed: 1, errors: [] });
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({
      state: 'verifying',
      executionId: `exec-${token}`,
    });
  });
});

describe("the sweeper's re-drive of a resumed start that was blocked, which SSM refuses for the moment", () => {
  it('stays started with its holds: the request sent before it was blocked may have started it', async () => {
    const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
    const { event } = await uncertainOnA(deps);
    // Its global slot lost meanwhile (given back after a failed write, then taken by another).
    await deps.ledger.releaseGlobalSlot('rem-evt-a');
    await deps.ledger.acquireGlobalSlot('rem-other', 1, deps.clock.nowSec() + 120);
    deps.clock.advance(60);
    expect(await handleAlarmEvent(event, deps, INVOCATION)).toMatchObject({ outcome: 'skipped' });
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'blocked' });
    await deps.ledger.releaseGlobalSlot('rem-other');
    deps.automation.fail = throttled();

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.redriven).toBe(1);
    expect(sweep.results).toMatchObject([{ outcome: 'startUncertain', remediationId: 'rem-evt-a' }]);
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
    expect(await deps.ledger.activeGlobalSlots()).toBe(1);
  });
});

describe('a resumed start SSM refuses for the request itself', () => {
  it('fails, is escalated and gives its holds back when the request is the one sent first', async () => {
    const deps = groupDeps();
    const { event } = await uncertainOnA(deps);
    deps.clock.advance(60);
    deps.automation.fail = invalid();

    const retried = await handleAlarmEvent(event, deps, INVOCATION);

    expect(retried).toMatchObject({ outcome: 'startFailed', escalation: { kind: 'startFailed' } });
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'failed' });
    expect(await holdsOf(deps)).toEqual({ global: 0, group: 0, lockFree: true });
    // Its document's default version, deployed long before, was the one the first request met.
    expect(deps.automation.versionReads).toEqual(['SelfHeal-CleanupDirectory']);
  });

  it('stays started with its holds when the request differs from the one recorded (a redeploy changed the role)', async () => {
    const deps = groupDeps();
    const { event } = await uncertainOnA(deps);
    deps.clock.advance(60);
    const redeployed: TestDeps = {
      ...deps,
      engine: { ...deps.engine, automationRoleArn: 'arn:aws:iam::123456789012:role/selfheal-automation-v2' },
    };
    deps.automation.fail = invalid();

    const retried = await handleAlarmEvent(event, redeployed, INVOCATION);

    expect(retried).toMatchObject({ outcome: 'startUncertain' });
    expect(retried.reason).toContain('this request differs from the one recorded');
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
  });

  it('stays started with its holds when a redeploy renamed the document since', async () => {
    const deps = groupDeps();
    const { event } = await uncertainOnA(deps);
    deps.clock.advance(60);
    const documentNames = {
      ...deps.engine.documentNames,
      'cleanup-directory': 'SelfHeal-CleanupDirectory-v2',
    };
    const redeployed: TestDeps = { ...deps, engine: { ...deps.engine, documentNames } };
    deps.automation.fail = invalid();

    const retried = await handleAlarmEvent(event, redeployed, INVOCATION);

    expect(retried).toMatchObject({ outcome: 'startUncertain' });
    expect(retried.reason).toContain('this request differs from the one recorded');
    expect(retried.reason).toContain('(document SelfHeal-CleanupDirectory and its parameters;');
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
  });
});
