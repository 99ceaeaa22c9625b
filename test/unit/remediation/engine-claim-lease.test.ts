/**
 * An attempt killed after claiming its event (Lambda timeout, out of memory, lost sandbox) runs no
 * error handler, so its claim stays. The retries of the same event id must not be dropped as
 * duplicates forever: Lambda's own retry (same request id) takes the claim over at once, any
 * other once the claim's lease is over; one retry takes the claim over and decides.
 */
import { describe, expect, it } from 'vitest';
import { type AlarmAttempt, handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { EVENT_CLAIM_SEC } from '../../../lambdas/core/remediation/event-claim';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, type TestDeps, testDeps } from './engine-deps';

const INSTANCE = 'i-0abc123def4567890';

/** Resolves once `patch` made a dependency call hang forever: the attempt is then frozen, as killed. */
function hangOn(patch: (hang: () => Promise<never>) => void): Promise<void> {
  return new Promise((reached) => {
    patch(() => {
      reached();
      return new Promise<never>(() => {});
    });
  });
}

/** Runs a first attempt that claims `evt-1` and dies while reading the guardrail snapshot. */
async function killedBeforeRecording(deps: TestDeps, attempt: AlarmAttempt = {}) {
  const groupOf = deps.groups.groupOf.bind(deps.groups);
  let calls = 0;
  const hung = hangOn((hang) => {
    deps.groups.groupOf = (id) => {
      calls += 1;
      return calls === 1 ? hang() : groupOf(id);
    };
  });
  const event = alarmOnInstance('evt-1', INSTANCE);
  void handleAlarmEvent(event, deps, attempt);
  await hung;
  return event;
}

describe('a retry of an event whose attempt died after claiming it', () => {
  it('takes the claim over and starts once the lease is over', async () => {
    const deps = testDeps();
    const event = await killedBeforeRecording(deps);
    const claimedAt = deps.clock.nowSec();
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    const retried = await handleAlarmEvent(event, deps);

    expect(retried).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-1' });
    expect(deps.automation.requests).toHaveLength(1);
    expect(await deps.ledger.getEventClaim('evt-1')).toEqual({
      claimedAtSec: claimedAt + EVENT_CLAIM_LEASE_SEC,
      leaseSec: EVENT_CLAIM_LEASE_SEC,
      expiresAtSec: claimedAt + EVENT_CLAIM_LEASE_SEC + EVENT_CLAIM_SEC,
    });
  });

  it('is a duplicate while the claim is within its lease (the owner may still be running)', async () => {
    const deps = testDeps();
    const event = await killedBeforeRecording(deps);
    const claimedAt = deps.clock.nowSec();
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC - 1);

    const retried = await handleAlarmEvent(event, deps);

    expect(retried.outcome).toBe('duplicate');
    expect(retried.reason).toContain(`lease until ${claimedAt + EVENT_CLAIM_LEASE_SEC}`);
    expect(deps.automation.requests).toHaveLength(0);
    expect(await deps.ledger.getRemediation('rem-evt-1')).toBeUndefined();
    expect((await deps.ledger.getEventClaim('evt-1'))?.claimedAtSec).toBe(claimedAt);
  });

  it('lets exactly one of two concurrent retries take an abandoned claim over', async () => {
    const deps = testDeps();
    const event = await killedBeforeRecording(deps);
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC + 60);

    const outcomes = (await Promise.all([handleAlarmEvent(event, deps), handleAlarmEvent(event, deps)]))
      .map((r) => r.outcome)
      .sort();

    expect(outcomes).toEqual(['duplicate', 'started']);
    expect(deps.automation.requests).toHaveLength(1);
  });

  it('resumes from the record, as before, when the attempt died after recording', async () => {
    const deps = testDeps();
    const start = deps.automation.start.bind(deps.automation);
    let calls = 0;
    const hung = hangOn((hang) => {
      deps.automation.start = (request) => {
        calls += 1;
        return calls === 1 ? hang() : start(request);
      };
    });
    const event = alarmOnInstance('evt-1', INSTANCE);
    void handleAlarmEvent(event, deps);
    await hung;
    expect(await deps.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'started' });
    const claim = await deps.ledger.getEventClaim('evt-1');
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    const retried = await handleAlarmEvent(event, deps);

    expect(retried).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-1' });
    expect(deps.automation.requests).toHaveLength(1);
    expect(await deps.ledger.getEventClaim('evt-1')).toEqual(claim);
  });

  it('dates a claim written before claims carried their time from its expiry', async () => {
    const deps = testDeps();
    const now = deps.clock.nowSec();
    const event = alarmOnInstance('evt-1', INSTANCE);
    // The earlier code wrote only the expiry: claimedAt + EVENT_CLAIM_SEC.
    await deps.ledger.claimEvent('evt-1', { expiresAtSec: now - 10 + EVENT_CLAIM_SEC });
    expect((await handleAlarmEvent(event, deps)).outcome).toBe('duplicate');
    expect(deps.automation.requests).toHaveLength(0);

    deps.clock.set(now - 10 + EVENT_CLAIM_LEASE_SEC);
    const retried = await handleAlarmEvent(event, deps);

    expect(retried.outcome).toBe('started');
    expect(deps.automation.requests).toHaveLength(1);
  });
});

describe('a retry of an event whose attempt died early, by Lambda request id', () => {
  /** Lambda's first retry of a failed asynchronous invocation comes about a minute after it ended. */
  const RETRY_WAIT_SEC = 60;

  it('records the attempt request id on the claim', async () => {
    const deps = testDeps();
    await killedBeforeRecording(deps, { requestId: 'req-1' });

    expect(await deps.ledger.getEventClaim('evt-1')).toEqual({
      claimedAtSec: deps.clock.nowSec(),
      leaseSec: EVENT_CLAIM_LEASE_SEC,
      expiresAtSec: deps.clock.nowSec() + EVENT_CLAIM_SEC,
      ownerRequestId: 'req-1',
    });
  });

  it("starts at once on Lambda's retry of the same request, inside the lease", async () => {
    const deps = testDeps();
    const event = await killedBeforeRecording(deps, { requestId: 'req-1' });
    const claimedAt = deps.clock.nowSec();
    deps.clock.advance(RETRY_WAIT_SEC);
    expect(RETRY_WAIT_SEC).toBeLessThan(EVENT_CLAIM_LEASE_SEC);

    const retried = await handleAlarmEvent(event, deps, { requestId: 'req-1' });

    expect(retried).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-1' });
    expect(retried.reason).toContain("Lambda's retry of request req-1");
    expect(deps.automation.requests).toHaveLength(1);
    expect(await deps.ledger.getEventClaim('evt-1')).toEqual({
      claimedAtSec: claimedAt + RETRY_WAIT_SEC,
      leaseSec: EVENT_CLAIM_LEASE_SEC,
      expiresAtSec: claimedAt + RETRY_WAIT_SEC + EVENT_CLAIM_SEC,
      ownerRequestId: 'req-1',
    });
  });

  it('is a duplicate for another request id within the lease', async () => {
    const deps = testDeps();
    const event = await killedBeforeRecording(deps, { requestId: 'req-1' });
    const claimedAt = deps.clock.nowSec();
    deps.clock.advance(RETRY_WAIT_SEC);

    const retried = await handleAlarmEvent(event, deps, { requestId: 'req-2' });

    expect(retried.outcome).toBe('duplicate');
    expect(retried.reason).toContain('claimed by request req-1');
    expect(retried.reason).toContain(`lease until ${claimedAt + EVENT_CLAIM_LEASE_SEC}`);
    expect(retried.reason).toContain('request req-2 is not its retry');
    expect(deps.automation.requests).toHaveLength(0);
    expect(await deps.ledger.getEventClaim('evt-1')).toMatchObject({
      claimedAtSec: claimedAt,
      ownerRequestId: 'req-1',
    });
  });

  it('takes the claim over for another request id once the lease is over', async () => {
    const deps = testDeps();
    const event = await killedBeforeRecording(deps, { requestId: 'req-1' });
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    const retried = await handleAlarmEvent(event, deps, { requestId: 'req-2' });

    expect(retried.outcome).toBe('started');
    expect(retried.reason).toContain('lease ended');
    expect((await deps.ledger.getEventClaim('evt-1'))?.ownerRequestId).toBe('req-2');
  });

  it('lets exactly one of two concurrent retries of the same request take the claim over', async () => {
    const deps = testDeps();
    const event = await killedBeforeRecording(deps, { requestId: 'req-1' });
    deps.clock.advance(RETRY_WAIT_SEC);

    const results = await Promise.all([
      handleAlarmEvent(event, deps, { requestId: 'req-1' }),
      handleAlarmEvent(event, deps, { requestId: 'req-1' }),
    ]);

    expect(results.map((r) => r.outcome).sort()).toEqual(['duplicate', 'started']);
    expect(results.find((r) => r.outcome === 'duplicate')?.reason).toContain('concurrent retry');
    expect(deps.automation.requests).toHaveLength(1);
  });

  it('judges a claim without a request id (written before claims carried it) by its lease alone', async () => {
    const deps = testDeps();
    const event = await killedBeforeRecording(deps);
    deps.clock.advance(RETRY_WAIT_SEC);

    const retried = await handleAlarmEvent(event, deps, { requestId: 'req-1' });

    expect(retried.outcome).toBe('duplicate');
    expect(retried.reason).not.toContain('not its retry');
    expect(deps.automation.requests).toHaveLength(0);
  });
});
