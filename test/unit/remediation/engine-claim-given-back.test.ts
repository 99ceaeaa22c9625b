/**
 * A delivery whose claim fails because another attempt holds the event, which then fails before
 * recording anything and gives its claim back (perhaps on its last retry): the delivery finds
 * neither a claim nor a record, and must decide the event rather than drop it as a duplicate.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { type EventClaim, newClaim } from '../../../lambdas/core/remediation/event-claim';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, type TestDeps, testDeps } from './engine-deps';

const INSTANCE = 'i-0abc123def4567890';

/**
 * The owner `req-owner` holds `evt-1`; after the next delivery's claim failed, the owner gives the
 * claim back just before that delivery reads it, and `meanwhile` runs right after the read.
 */
async function ownerGivesBackAfterFailedClaim(deps: TestDeps, meanwhile = async () => {}) {
  const owner: EventClaim = newClaim(deps.clock.nowSec(), EVENT_CLAIM_LEASE_SEC, 'req-owner');
  await deps.ledger.claimEvent('evt-1', owner);
  const getEventClaim = deps.ledger.getEventClaim.bind(deps.ledger);
  let calls = 0;
  deps.ledger.getEventClaim = async (id) => {
    calls += 1;
    if (calls > 1) return getEventClaim(id);
    expect(await deps.ledger.releaseEvent('evt-1', owner)).toBe(true);
    const seen = await getEventClaim(id);
    await meanwhile();
    return seen;
  };
}

describe('a delivery that finds the claim given back after its own claim failed', () => {
  it('claims the event again and decides it', async () => {
    const deps = testDeps();
    await ownerGivesBackAfterFailedClaim(deps);

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-2' });

    expect(result).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-1' });
    expect(result.reason).toContain('claimed the event again');
    expect(deps.automation.requests).toHaveLength(1);
    expect((await deps.ledger.getEventClaim('evt-1'))?.ownerRequestId).toBe('req-2');
  });

  it('is a duplicate when a concurrent delivery claimed the event first', async () => {
    const deps = testDeps();
    const other = newClaim(deps.clock.nowSec(), EVENT_CLAIM_LEASE_SEC, 'req-3');
    await ownerGivesBackAfterFailedClaim(deps, async () => {
      await deps.ledger.claimEvent('evt-1', other);
    });

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-2' });

    expect(result.outcome).toBe('duplicate');
    expect(result.reason).toContain('claimed again by a concurrent delivery');
    expect(deps.automation.requests).toEqual([]);
    expect(await deps.ledger.getEventClaim('evt-1')).toEqual(other);
  });
});
