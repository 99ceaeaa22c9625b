/**
 * A first start SSM refuses only for the moment: throttled (ThrottlingException, HTTP 429), or the
 * account's quota of concurrently running automations reached
 * (AutomationExecutionLimitExceededException: "The number of simultaneously running Automation
 * executions exceeded the allowable limit",
 * https://docs.aws.amazon.com/botocore/latest/reference/services/ssm/client/exceptions/AutomationExecutionLimitExceededException.html).
 * The alarm stays in ALARM and CloudWatch sends no new event, so the remediation waits `blocked`,
 * its holds given back, and the sweeper starts it again every sweep until the rule's verification
 * timeout (600 s here) since it was recorded; a start still refused then fails and escalates. No
 * earlier request reached SSM with its ClientToken, so a retry refused again is not taken for a
 * resume of an uncertain start. Any other refusal of a first start fails it at once.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { StartRefusedError } from '../../../lambdas/core/remediation/engine-ports';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, type TestDeps, testDeps } from './engine-deps';
import { NOW_SEC } from './helpers';
import { A, B, groupDeps, holdsOf, INVOCATION, invalidParameters } from './start-uncertain-fixtures';

const throttled = () =>
  new StartRefusedError('ThrottlingException: Rate exceeded (attempts: HTTP 400, HTTP 400, HTTP 400)', {
    kind: 'throttling',
  });
const limitReached = () =>
  new StartRefusedError('AutomationExecutionLimitExceededException: limit exceeded (HTTP 400)', {
    kind: 'automationLimit',
  });

/** A's first start, refused by `refusal`. */
async function firstStartRefused(deps: TestDeps, refusal: StartRefusedError) {
  deps.automation.fail = refusal;
  return handleAlarmEvent(alarmOnInstance('evt-a', A), deps, INVOCATION);
}

const UNTIL = new Date((NOW_SEC + 600) * 1000).toISOString();

describe('a first start SSM refuses for the moment', () => {
  it.each([
    ['throttled', throttled, 'ssmThrottled', 'ThrottlingException: Rate exceeded'],
    [
      'at the concurrent-automations quota',
      limitReached,
      'automationLimit',
      'AutomationExecutionLimitExceededException',
    ],
  ] as const)(
    'waits blocked when %s, its holds given back, nobody paged',
    async (_, refusal, blockedBy, error) => {
      const deps = groupDeps();

      const first = await firstStartRefused(deps, refusal());

      expect(first).toMatchObject({ outcome: 'skipped', remediationId: 'rem-evt-a' });
      expect(first.reason).toContain(`${blockedBy}: StartAutomationExecution refused by SSM: ${error}`);
      expect(first.reason).toContain(`blocked: the sweeper starts it again once SSM accepts, until ${UNTIL}`);
      const record = await deps.ledger.getRemediation('rem-evt-a');
      expect(record).toMatchObject({ state: 'blocked', blockedBy, deadlineSec: NOW_SEC + 600 });
      expect(record?.reason).toContain(error);
      expect(record?.escalation).toBeUndefined();
      expect(deps.escalator.notifications).toEqual([]);
      expect(await holdsOf(deps)).toEqual({ global: 0, group: 0, lockFree: true });
    },
  );

  it('is started by the sweep a minute later once SSM accepts: one automation request', async () => {
    const deps = groupDeps();
    await firstStartRefused(deps, throttled());
    deps.automation.fail = undefined;
    deps.clock.advance(60);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.results).toMatchObject([{ outcome: 'started', remediationId: 'rem-evt-a' }]);
    expect(deps.automation.requests).toHaveLength(1);
    expect(deps.automation.requests[0]?.Parameters.InstanceId).toEqual([A]);
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'verifying' });
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
    expect(deps.escalator.notifications).toEqual([]);
  });

  it('waits again when the re-drive is refused again, as a first start, not an uncertain resume', async () => {
    const deps = groupDeps();
    await firstStartRefused(deps, throttled());
    deps.clock.advance(60);
    deps.automation.fail = limitReached();

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.results).toMatchObject([{ outcome: 'skipped', remediationId: 'rem-evt-a' }]);
    // The wait is counted from when the remediation was recorded, not from each retry.
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({
      state: 'blocked',
      blockedBy: 'automationLimit',
      deadlineSec: NOW_SEC + 600,
    });
    expect(deps.automation.versionReads).toEqual([]);
    expect(await holdsOf(deps)).toEqual({ global: 0, group: 0, lockFree: true });
  });

  it('leaves the slot to another instance while it waits', async () => {
    const deps = groupDeps();
    await firstStartRefused(deps, throttled());
    deps.automation.fail = undefined;

    const other = await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);

    expect(other).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-b' });
  });

  it('fails and escalates, naming the refusal, when SSM still refuses it at the deadline', async () => {
    const deps = groupDeps();
    await firstStartRefused(deps, throttled());
    for (let minute = 1; minute < 10; minute += 1) {
      deps.clock.advance(60);
      await sweepDeadlines(deps, `sweep-${minute}`);
    }
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'blocked' });
    expect(deps.escalator.notifications).toEqual([]);
    deps.clock.advance(60);

    const sweep = await sweepDeadlines(deps, 'sweep-10');

    expect(sweep.results).toMatchObject([
      { outcome: 'startFailed', remediationId: 'rem-evt-a', escalation: { kind: 'startFailed' } },
    ]);
    const reason = sweep.results[0]?.reason;
    expect(reason).toBe(
      'StartAutomationExecution refused by SSM: ThrottlingException: Rate exceeded (attempts: HTTP 400, HTTP 400, HTTP 400); still ssmThrottled after 600 s, at the deadline',
    );
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'failed' });
    expect(deps.escalator.notifications).toHaveLength(1);
    expect(deps.escalator.notifications[0]?.message).toContain('ssmThrottled');
    expect(await holdsOf(deps)).toEqual({ global: 0, group: 0, lockFree: true });
  });

  it('waits likewise on the re-drive of a remediation blocked at its first decision', async () => {
    const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
    await handleAlarmEvent(alarmOnInstance('evt-a', A), deps);
    await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);
    expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({ state: 'blocked' });
    await deps.ledger.transition('rem-evt-a', 'verifying', 'resolved', { reason: 'alarm OK' });
    await deps.ledger.releaseGlobalSlot('rem-evt-a');
    await deps.ledger.releaseResourceLock(A, 'rem-evt-a');
    deps.automation.fail = throttled();
    deps.clock.advance(60);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.results).toMatchObject([{ outcome: 'skipped', remediationId: 'rem-evt-b' }]);
    expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({
      state: 'blocked',
      blockedBy: 'ssmThrottled',
      deadlineSec: NOW_SEC + 600,
    });
    expect(await deps.ledger.activeGlobalSlots()).toBe(0);
  });
});

describe('a first start SSM refuses for good', () => {
  it.each([
    ['the request itself (InvalidAutomationExecutionParametersException)', invalidParameters],
    [
      "the function's permission (AccessDeniedException)",
      () => new StartRefusedError('AccessDeniedException: not authorized (HTTP 400)', { kind: 'permission' }),
    ],
    [
      'an expired credential (ExpiredTokenException)',
      () => new StartRefusedError('ExpiredTokenException: expired (HTTP 400)', { kind: 'transient' }),
    ],
  ] as const)('fails at once and escalates for a refusal of %s', async (_, refusal) => {
    const deps = groupDeps();

    const first = await firstStartRefused(deps, refusal());

    expect(first).toMatchObject({ outcome: 'startFailed', escalation: { kind: 'startFailed' } });
    expect(first.reason).toBe(`StartAutomationExecution refused by SSM: ${refusal().message}`);
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'failed' });
    expect(deps.escalator.notifications).toHaveLength(1);
    expect(await holdsOf(deps)).toEqual({ global: 0, group: 0, lockFree: true });
  });
});
