/**
 * A `started` record whose write reported failure: the first attempt gave its holds back (resource
 * lock, group slot, global slot), yet the record exists, so the event's retry resumes the start.
 * The resume must take the holds again, and when another remediation took one in between, leave
 * the remediation blocked for the sweeper instead of starting past the limit.
 *
 * A resumed start verifies until a new deadline (now plus the rule's current timeout), which may
 * lie past the holds its first start took: the resume moves them to that deadline plus the grace.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { LOCK_GRACE_SEC } from '../../../lambdas/core/remediation/engine-ports';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, type TestDeps, testDeps } from './engine-deps';
import { configWith, DISK_RULE } from './helpers';
import { INSTANCE, nextStartsDie, REMEDIATION } from './start-died';

const A = 'i-00000000000000001';
/** The failed attempt's and Lambda's retry's request id: the retry knows the attempt ended. */
const LAMBDA_REQUEST = { requestId: 'req-1' };
const GROUP = { name: 'web-asg', instancesInService: 2 };

/** createRemediation stores the record, then reports a failure (once). */
function writeThenFail(deps: TestDeps): void {
  const create = deps.ledger.createRemediation.bind(deps.ledger);
  let calls = 0;
  deps.ledger.createRemediation = async (record) => {
    calls += 1;
    const stored = await create(record);
    if (calls === 1) throw Object.assign(new Error('request timed out'), { name: 'TimeoutError' });
    return stored;
  };
}

/** What another remediation (`rem-other`) holds while the retry comes. */
const takers = {
  resourceLock: (deps: TestDeps, until: number) => deps.ledger.acquireResourceLock(A, 'rem-other', until),
  blastRadius: (deps: TestDeps, until: number) =>
    deps.ledger.acquireGroupSlot(GROUP.name, 'rem-other', 1, until),
  globalCap: (deps: TestDeps, until: number) => deps.ledger.acquireGlobalSlot('rem-other', 1, until),
} as const;

async function retryAfterLostHolds(guardrail: keyof typeof takers) {
  const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
  deps.groups.groups.set(A, GROUP);
  writeThenFail(deps);
  const event = alarmOnInstance('evt-a', A);
  await expect(handleAlarmEvent(event, deps, LAMBDA_REQUEST)).rejects.toThrow('request timed out');
  expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
  expect(await deps.ledger.activeGlobalSlots()).toBe(0);
  const until = deps.clock.nowSec() + 3600;
  expect(await takers[guardrail](deps, until)).toBe(true);
  const retried = await handleAlarmEvent(event, deps, LAMBDA_REQUEST);
  return { deps, retried };
}

/**
 * What each refused write says: it knows only that another remediation holds what it wanted
 * (here `rem-other`, which has no record: a concurrent start, or holds never given back).
 */
const HELD = '(a concurrent start, or holds not yet released)';
const REFUSED = {
  resourceLock: `the ledger refused the lock on ${A}: another remediation holds it ${HELD}`,
  blastRadius: `the ledger refused a slot of group web-asg (at most 1: 34 % of 2 in service): other remediations hold them all ${HELD}`,
  globalCap: `the ledger refused a global slot (at most 1): other remediations hold them all ${HELD}`,
} as const;

describe('resuming a start whose holds were given back', () => {
  it.each(Object.keys(takers) as (keyof typeof takers)[])(
    'does not start, and leaves it blocked, when another remediation took the %s hold',
    async (guardrail) => {
      const { deps, retried } = await retryAfterLostHolds(guardrail);

      expect(deps.automation.requests).toHaveLength(0);
      expect(retried).toMatchObject({ outcome: 'skipped', remediationId: 'rem-evt-a' });
      const refused = `${guardrail}: resuming the start, ${REFUSED[guardrail]}`;
      expect(retried.reason).toContain(`${refused}; blocked: the sweeper starts it`);
      const record = await deps.ledger.getRemediation('rem-evt-a');
      expect(record).toMatchObject({ state: 'blocked', blockedBy: guardrail });
      expect(record?.verdicts.find((v) => v.guardrail === guardrail)).toEqual({
        guardrail,
        outcome: 'block',
        reason: refused,
      });
      expect(await deps.ledger.listOpen()).toEqual([]);
      expect((await deps.ledger.listBlocked()).records.map((r) => r.id)).toEqual(['rem-evt-a']);
    },
  );

  it('keeps nothing it took before the refusal (the global cap stays with the other holder)', async () => {
    const { deps } = await retryAfterLostHolds('globalCap');

    expect(await deps.ledger.activeGlobalSlots()).toBe(1);
    expect(await deps.ledger.activeGroupSlots(GROUP.name)).toBe(0);
    expect(await deps.ledger.acquireResourceLock(A, 'rem-probe', deps.clock.nowSec() + 60)).toBe(true);
  });

  it('is started by the sweeper once the other remediation gave the hold back', async () => {
    const { deps } = await retryAfterLostHolds('globalCap');
    await deps.ledger.releaseGlobalSlot('rem-other');
    deps.clock.advance(60);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.redriven).toBe(1);
    expect(deps.automation.requests).toHaveLength(1);
    expect((await deps.ledger.getRemediation('rem-evt-a'))?.state).toBe('verifying');
  });

  it('resumes the start when the holds are free again (the retry retakes them)', async () => {
    const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
    writeThenFail(deps);
    const event = alarmOnInstance('evt-a', A);
    await expect(handleAlarmEvent(event, deps, LAMBDA_REQUEST)).rejects.toThrow('request timed out');

    const retried = await handleAlarmEvent(event, deps, LAMBDA_REQUEST);

    expect(retried.outcome).toBe('started');
    expect(deps.automation.requests).toHaveLength(1);
    expect(await deps.ledger.activeGlobalSlots()).toBe(1);
  });
});

/** How a stalled start comes to be resumed with a deadline past the holds its first start took. */
const LATE_RESUMES = [
  {
    how: 'a redeploy raised verificationTimeoutSec from 600 to 7200 while it was stalled',
    timeoutSec: 600,
    resumedTimeoutSec: 7200,
    resumeAfterSec: EVENT_CLAIM_LEASE_SEC,
  },
  {
    how: 'it was resumed 20 minutes after its decision (timeout 3600, unchanged)',
    timeoutSec: 3600,
    resumedTimeoutSec: 3600,
    resumeAfterSec: 1200,
  },
] as const;

describe('resuming a stalled start whose new deadline lies past its holds', () => {
  it.each(LATE_RESUMES)(
    'holds its lock and slots until its new deadline plus the grace, so the global cap still blocks a second start, when $how',
    async ({ timeoutSec, resumedTimeoutSec, resumeAfterSec }) => {
      const extra = { maxConcurrentRemediations: 1 };
      const rule = { ...DISK_RULE, verificationTimeoutSec: timeoutSec };
      const first = testDeps({ rules: [rule], extra });
      first.groups.groups.set(INSTANCE, GROUP);
      // The alarm handler is killed inside StartAutomationExecution: `started`, no execution.
      const died = nextStartsDie(first);
      void handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), first, { requestId: 'req-1' });
      await died;
      const deps = {
        ...first,
        config: configWith([{ ...rule, verificationTimeoutSec: resumedTimeoutSec }], extra),
      };
      deps.clock.advance(resumeAfterSec);

      const sweep = await sweepDeadlines(deps, 'sweep-1');

      expect(sweep.resumed).toBe(1);
      const verifying = await deps.ledger.getRemediation(REMEDIATION);
      const deadlineSec = deps.clock.nowSec() + resumedTimeoutSec;
      expect(verifying).toMatchObject({ state: 'verifying', deadlineSec });
      const holdUntil = deadlineSec + LOCK_GRACE_SEC;
      // Past the first start's deadline plus the grace (when its holds would have lapsed).
      const createdAtSec = verifying?.createdAtSec ?? 0;
      deps.clock.advance(createdAtSec + timeoutSec + LOCK_GRACE_SEC + 60 - deps.clock.nowSec());
      expect(deps.clock.nowSec()).toBeLessThan(deadlineSec);
      expect(await deps.ledger.activeGlobalSlots()).toBe(1);
      expect(await deps.ledger.resourceLockHolder(INSTANCE)).toEqual({
        remediationId: REMEDIATION,
        expiresAtSec: holdUntil,
      });
      expect(await deps.ledger.groupSlotHolders(GROUP.name)).toEqual([
        { remediationId: REMEDIATION, expiresAtSec: holdUntil },
      ]);
      const second = await handleAlarmEvent(alarmOnInstance('evt-2', A), deps);
      expect(second.outcome).not.toBe('started');
      expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([[INSTANCE]]);
      // Its holds lapse once its new deadline plus the grace has passed.
      deps.clock.advance(holdUntil - deps.clock.nowSec());
      expect(await deps.ledger.activeGlobalSlots()).toBe(0);
    },
  );
});
