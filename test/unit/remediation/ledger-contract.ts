/**
 * The `Ledger` contract: one table-driven suite every implementation must pass (in memory here,
 * DynamoDB on moto in test/emulator). Each test gets a fresh, empty ledger on a fake clock.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  IllegalTransitionError,
  InvalidRemediationError,
  type Ledger,
  RemediationExistsError,
  RemediationNotFoundError,
  type RemediationState,
  StateConflictError,
  TRANSITIONS,
} from '../../../lambdas/core/remediation/ledger';
import { FakeClock, NOW, newRemediation } from './ledger-fixtures';

/** Builds a fresh, empty ledger reading time from `clock`. */
export type LedgerFactory = (clock: FakeClock) => Promise<Ledger>;

const STATES = Object.keys(TRANSITIONS) as RemediationState[];
const LEGAL = STATES.flatMap((from) => TRANSITIONS[from].map((to) => [from, to] as const));
const ILLEGAL = STATES.flatMap((from) =>
  STATES.filter((to) => !TRANSITIONS[from].includes(to)).map((to) => [from, to] as const),
);

export function ledgerContract(name: string, factory: LedgerFactory): void {
  describe(`Ledger contract: ${name}`, () => {
    let clock: FakeClock;
    let ledger: Ledger;
    beforeEach(async () => {
      clock = new FakeClock(NOW);
      ledger = await factory(clock);
    });

    /** A claim taken at `claimedAtSec` with a 90 s lease. */
    const claim = (expiresAtSec: number, claimedAtSec = NOW) => ({
      claimedAtSec,
      leaseSec: 90,
      expiresAtSec,
    });

    it('claimEvent is true once per id until it expires', async () => {
      expect(await ledger.claimEvent('e-1', claim(NOW + 60))).toBe(true);
      expect(await ledger.claimEvent('e-1', claim(NOW + 60))).toBe(false);
      expect(await ledger.claimEvent('e-2', claim(NOW + 60))).toBe(true);
      clock.set(NOW + 60);
      expect(await ledger.claimEvent('e-1', claim(NOW + 120))).toBe(true);
      expect(await ledger.claimEvent('e-1', claim(NOW + 120))).toBe(false);
    });

    it('lets an event be claimed again once its claim was released', async () => {
      expect(await ledger.claimEvent('e-1', claim(NOW + 60))).toBe(true);
      expect(await ledger.releaseEvent('e-1', claim(NOW + 60))).toBe(true);
      expect(await ledger.releaseEvent('e-never-claimed', claim(NOW + 60))).toBe(false);
      expect(await ledger.claimEvent('e-1', claim(NOW + 60))).toBe(true);
      expect(await ledger.claimEvent('e-1', claim(NOW + 60))).toBe(false);
    });

    it('releases only the claim the caller wrote, never one a retry took over', async () => {
      const mine = { ...claim(NOW + 3600), ownerRequestId: 'req-1' };
      await ledger.claimEvent('e-1', mine);
      const retry = { ...claim(NOW + 3700, NOW + 100), ownerRequestId: 'req-2' };
      clock.set(NOW + 100);
      expect(await ledger.takeOverEvent('e-1', mine, retry)).toBe(true);

      expect(await ledger.releaseEvent('e-1', mine)).toBe(false);
      expect(await ledger.releaseEvent('e-1', { ...retry, ownerRequestId: 'req-1' })).toBe(false);
      expect(await ledger.releaseEvent('e-1', { ...retry, claimedAtSec: NOW })).toBe(false);
      expect(await ledger.getEventClaim('e-1')).toEqual(retry);
      expect(await ledger.releaseEvent('e-1', retry)).toBe(true);
      expect(await ledger.getEventClaim('e-1')).toBeUndefined();
      await ledger.claimEvent('e-old', { expiresAtSec: NOW + 3600 });
      expect(await ledger.releaseEvent('e-old', { ...claim(NOW + 3600) })).toBe(false);
      expect(await ledger.releaseEvent('e-old', { expiresAtSec: NOW + 3600 })).toBe(true);
    });

    it('reads back an event claim with when it was taken and its lease', async () => {
      expect(await ledger.getEventClaim('e-1')).toBeUndefined();
      await ledger.claimEvent('e-1', claim(NOW + 3600));
      expect(await ledger.getEventClaim('e-1')).toEqual(claim(NOW + 3600));
      await ledger.claimEvent('e-old', { expiresAtSec: NOW + 3600 });
      expect(await ledger.getEventClaim('e-old')).toEqual({ expiresAtSec: NOW + 3600 });
    });

    it('takes an event claim over only while it is still the claim seen', async () => {
      const seen = claim(NOW + 3600);
      await ledger.claimEvent('e-1', seen);
      const next = claim(NOW + 3700, NOW + 100);
      clock.set(NOW + 100);
      expect(await ledger.takeOverEvent('e-1', seen, next)).toBe(true);
      expect(await ledger.getEventClaim('e-1')).toEqual(next);
      expect(await ledger.takeOverEvent('e-1', seen, { ...next, claimedAtSec: NOW + 101 })).toBe(false);
      expect(await ledger.getEventClaim('e-1')).toEqual(next);
      expect(await ledger.takeOverEvent('e-none', seen, next)).toBe(false);
      expect(await ledger.getEventClaim('e-none')).toBeUndefined();
    });

    it('takes over a claim written without its time (before claims carried it) once', async () => {
      const seen = { expiresAtSec: NOW + 3600 };
      await ledger.claimEvent('e-old', seen);
      const next = claim(NOW + 3700, NOW + 100);
      expect(await ledger.takeOverEvent('e-old', { expiresAtSec: NOW + 3599 }, next)).toBe(false);
      expect(await ledger.takeOverEvent('e-old', seen, next)).toBe(true);
      expect(await ledger.takeOverEvent('e-old', seen, next)).toBe(false);
      expect(await ledger.getEventClaim('e-old')).toEqual(next);
    });

    it("stores and reads back the owner attempt's request id", async () => {
      const owned = { ...claim(NOW + 3600), ownerRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678' };
      await ledger.claimEvent('e-1', owned);
      expect(await ledger.getEventClaim('e-1')).toEqual(owned);
      await ledger.claimEvent('e-2', claim(NOW + 3600));
      expect(await ledger.getEventClaim('e-2')).not.toHaveProperty('ownerRequestId');
    });

    it('takes an event claim over only while it still has the owner request id seen', async () => {
      const seen = { ...claim(NOW + 3600), ownerRequestId: 'req-1' };
      await ledger.claimEvent('e-1', seen);
      const next = { ...claim(NOW + 3660, NOW + 60), ownerRequestId: 'req-1' };
      clock.set(NOW + 60);
      expect(await ledger.takeOverEvent('e-1', { ...seen, ownerRequestId: 'req-2' }, next)).toBe(false);
      expect(await ledger.takeOverEvent('e-1', claim(NOW + 3600), next)).toBe(false);
      expect(await ledger.getEventClaim('e-1')).toEqual(seen);
      expect(await ledger.takeOverEvent('e-1', seen, next)).toBe(true);
      expect(await ledger.getEventClaim('e-1')).toEqual(next);
      expect(await ledger.takeOverEvent('e-1', seen, next)).toBe(false);
    });

    it('lets exactly one of two concurrent takeovers of one claim win', async () => {
      const seen = claim(NOW + 3600);
      await ledger.claimEvent('e-1', seen);
      clock.set(NOW + 100);
      const mine = claim(NOW + 3700, NOW + 100);
      const results = await Promise.all([
        ledger.takeOverEvent('e-1', seen, mine),
        ledger.takeOverEvent('e-1', seen, mine),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('keeps a resource lock exclusive, re-entrant for its holder, and free once expired', async () => {
      expect(await ledger.acquireResourceLock('i-1', 'r-1', NOW + 600)).toBe(true);
      expect(await ledger.acquireResourceLock('i-1', 'r-2', NOW + 600)).toBe(false);
      expect(await ledger.acquireResourceLock('i-1', 'r-1', NOW + 600)).toBe(true);
      expect(await ledger.acquireResourceLock('i-2', 'r-2', NOW + 600)).toBe(true);
      clock.set(NOW + 600);
      expect(await ledger.acquireResourceLock('i-1', 'r-3', NOW + 1200)).toBe(true);
      expect(await ledger.acquireResourceLock('i-1', 'r-1', NOW + 1200)).toBe(false);
    });

    it('releases a lock only for its holder', async () => {
      await ledger.acquireResourceLock('i-1', 'r-1', NOW + 600);
      expect(await ledger.releaseResourceLock('i-1', 'r-2')).toBe(false);
      expect(await ledger.acquireResourceLock('i-1', 'r-2', NOW + 600)).toBe(false);
      expect(await ledger.releaseResourceLock('i-1', 'r-1')).toBe(true);
      expect(await ledger.releaseResourceLock('i-1', 'r-1')).toBe(false);
      expect(await ledger.acquireResourceLock('i-1', 'r-2', NOW + 600)).toBe(true);
    });

    it('never hands out more global slots than the cap, and takes back released ones', async () => {
      expect(await ledger.acquireGlobalSlot('r-1', 2, NOW + 600)).toBe(true);
      expect(await ledger.acquireGlobalSlot('r-2', 2, NOW + 600)).toBe(true);
      expect(await ledger.acquireGlobalSlot('r-3', 2, NOW + 600)).toBe(false);
      expect(await ledger.acquireGlobalSlot('r-1', 2, NOW + 600)).toBe(true);
      expect(await ledger.activeGlobalSlots()).toBe(2);
      expect(await ledger.releaseGlobalSlot('r-1')).toBe(true);
      expect(await ledger.releaseGlobalSlot('r-1')).toBe(false);
      expect(await ledger.acquireGlobalSlot('r-3', 2, NOW + 600)).toBe(true);
      expect(await ledger.activeGlobalSlots()).toBe(2);
    });

    it('keeps each group within its own slot cap, apart from the global slots', async () => {
      expect(await ledger.acquireGroupSlot('web', 'r-1', 2, NOW + 600)).toBe(true);
      expect(await ledger.acquireGroupSlot('web', 'r-2', 2, NOW + 600)).toBe(true);
      expect(await ledger.acquireGroupSlot('web', 'r-3', 2, NOW + 600)).toBe(false);
      expect(await ledger.acquireGroupSlot('web', 'r-1', 2, NOW + 600)).toBe(true);
      expect(await ledger.acquireGroupSlot('api', 'r-3', 2, NOW + 600)).toBe(true);
      expect(await ledger.activeGroupSlots('web')).toBe(2);
      expect(await ledger.activeGlobalSlots()).toBe(0);
      expect(await ledger.releaseGroupSlot('web', 'r-1')).toBe(true);
      expect(await ledger.releaseGroupSlot('web', 'r-1')).toBe(false);
      expect(await ledger.acquireGroupSlot('web', 'r-4', 2, NOW + 600)).toBe(true);
      clock.set(NOW + 600);
      expect(await ledger.activeGroupSlots('web')).toBe(0);
      expect(await ledger.acquireGroupSlot('web', 'r-5', 2, NOW + 1200)).toBe(true);
    });

    it('reclaims expired global slots, at the cap or by the sweeper', async () => {
      await ledger.acquireGlobalSlot('r-1', 2, NOW + 100);
      await ledger.acquireGlobalSlot('r-2', 2, NOW + 600);
      clock.set(NOW + 100);
      expect(await ledger.activeGlobalSlots()).toBe(1);
      expect(await ledger.acquireGlobalSlot('r-3', 2, NOW + 700)).toBe(true);
      expect(await ledger.acquireGlobalSlot('r-4', 2, NOW + 700)).toBe(false);
      clock.set(NOW + 700);
      expect(await ledger.reclaimExpiredSlots()).toBe(2);
      expect(await ledger.activeGlobalSlots()).toBe(0);
    });

    it.each([
      [NOW - 86_400, 3],
      [NOW - 3_600, 2],
      [NOW - 60, 1],
      [NOW + 1, 0],
    ])('counts remediations of one rule and resource since %i: %i', async (since, expected) => {
      await ledger.recordRemediation('disk', 'i-1', NOW - 7_200, 'r-1');
      await ledger.recordRemediation('disk', 'i-1', NOW - 600, 'r-2');
      await ledger.recordRemediation('disk', 'i-1', NOW, 'r-3');
      await ledger.recordRemediation('disk', 'i-1', NOW, 'r-3');
      await ledger.recordRemediation('disk', 'i-2', NOW);
      await ledger.recordRemediation('cpu', 'i-1', NOW);
      expect(await ledger.countRemediations('disk', 'i-1', since)).toBe(expected);
    });

    it('reports the latest remediation time for the cooldown', async () => {
      expect(await ledger.lastRemediationAt('disk', 'i-1')).toBeUndefined();
      await ledger.recordRemediation('disk', 'i-1', NOW - 600);
      await ledger.recordRemediation('disk', 'i-1', NOW - 60);
      await ledger.recordRemediation('disk', 'i-1', NOW - 900);
      expect(await ledger.lastRemediationAt('disk', 'i-1')).toBe(NOW - 60);
    });

    it('counts failed verifications per rule within the window', async () => {
      await ledger.recordFailedVerification('disk', NOW - 90_000, 'r-1');
      await ledger.recordFailedVerification('disk', NOW - 60, 'r-2');
      await ledger.recordFailedVerification('disk', NOW - 60, 'r-2');
      await ledger.recordFailedVerification('disk', NOW);
      await ledger.recordFailedVerification('cpu', NOW);
      expect(await ledger.countFailedVerifications('disk', NOW - 86_400)).toBe(2);
      expect(await ledger.countFailedVerifications('cpu', NOW - 86_400)).toBe(1);
    });

    it('freezes a rule until a human resets it, keeping the first reason', async () => {
      expect(await ledger.isRuleFrozen('disk')).toBe(false);
      expect(await ledger.getRuleFreeze('disk')).toBeUndefined();
      await ledger.freezeRule('disk', '2 failed verifications in 24 h');
      clock.advance(60);
      await ledger.freezeRule('disk', 'again');
      expect(await ledger.isRuleFrozen('disk')).toBe(true);
      expect(await ledger.isRuleFrozen('cpu')).toBe(false);
      expect(await ledger.getRuleFreeze('disk')).toMatchObject({
        frozen: true,
        reason: '2 failed verifications in 24 h',
        frozenAtSec: NOW,
      });
      await ledger.resetRule('disk', 'alice');
      expect(await ledger.isRuleFrozen('disk')).toBe(false);
      expect(await ledger.getRuleFreeze('disk')).toMatchObject({ resetBy: 'alice', resetAtSec: NOW + 60 });
    });

    it('creates a record stamped with the clock and a retention TTL', async () => {
      const created = await ledger.createRemediation(newRemediation('r-1'));
      expect(created).toMatchObject({ state: 'started', createdAtSec: NOW, stateTimes: { started: NOW } });
      expect(created.expiresAt).toBe(NOW + 7 * 86_400);
      expect(await ledger.getRemediation('r-1')).toEqual(created);
      expect(await ledger.getRemediation('r-x')).toBeUndefined();
    });

    it.each([
      ['a taken id', newRemediation('r-1'), RemediationExistsError],
      ['a non-initial state', newRemediation('r-2', { state: 'verifying' }), InvalidRemediationError],
      [
        'an open state without deadline',
        newRemediation('r-3', { deadlineSec: undefined }),
        InvalidRemediationError,
      ],
    ])('rejects creating %s', async (_, input, error) => {
      await ledger.createRemediation(newRemediation('r-1'));
      await expect(ledger.createRemediation(input)).rejects.toBeInstanceOf(error);
    });

    it.each(LEGAL)('allows %s → %s', async (from, to) => {
      await ledger.createRemediation(
        newRemediation('r-1', { state: from === 'verifying' ? 'started' : from }),
      );
      if (from === 'verifying') await ledger.transition('r-1', 'started', 'verifying');
      clock.advance(30);
      const moved = await ledger.transition('r-1', from, to, { reason: 'test' });
      expect(moved).toMatchObject({ state: to, reason: 'test', updatedAtSec: NOW + 30 });
      expect(moved.stateTimes[to]).toBe(NOW + 30);
      expect(await ledger.getRemediation('r-1')).toEqual(moved);
    });

    it.each(ILLEGAL)('rejects %s → %s as illegal', async (from, to) => {
      await ledger.createRemediation(newRemediation('r-1'));
      await expect(ledger.transition('r-1', from, to)).rejects.toBeInstanceOf(IllegalTransitionError);
    });

    it('rejects a transition from a state the record has left, and one of an unknown id', async () => {
      await ledger.createRemediation(newRemediation('r-1'));
      await ledger.transition('r-1', 'started', 'verifying');
      await expect(ledger.transition('r-1', 'started', 'resolved')).rejects.toBeInstanceOf(
        StateConflictError,
      );
      await expect(ledger.transition('r-x', 'started', 'resolved')).rejects.toBeInstanceOf(
        RemediationNotFoundError,
      );
      expect((await ledger.getRemediation('r-1'))?.state).toBe('verifying');
    });

    it('finds a remediation by execution id and records time to recover on resolve', async () => {
      await ledger.createRemediation(newRemediation('r-1'));
      await ledger.transition('r-1', 'started', 'verifying', { executionId: 'exec-1' });
      expect((await ledger.findByExecutionId('exec-1'))?.id).toBe('r-1');
      expect(await ledger.findByExecutionId('exec-2')).toBeUndefined();
      clock.advance(240);
      const resolved = await ledger.transition('r-1', 'verifying', 'resolved');
      expect(resolved.timeToRecoverSec).toBe(240);
      expect((await ledger.findByExecutionId('exec-1'))?.state).toBe('resolved');
    });

    it('finds open remediations by resource and alarm, and forgets closed ones', async () => {
      await ledger.createRemediation(newRemediation('r-1', { resourceId: 'i-1', alarmName: 'disk-a' }));
      await ledger.createRemediation(newRemediation('r-2', { resourceId: 'i-2', alarmName: 'disk-a' }));
      await ledger.createRemediation(newRemediation('r-3', { resourceId: 'i-1', state: 'dryRun' }));
      expect((await ledger.findOpenByResource('i-1')).map((r) => r.id)).toEqual(['r-1']);
      expect((await ledger.findOpenByAlarm('disk-a')).map((r) => r.id).sort()).toEqual(['r-1', 'r-2']);
      await ledger.transition('r-1', 'started', 'resolved');
      expect(await ledger.findOpenByResource('i-1')).toEqual([]);
      expect((await ledger.listOpen()).map((r) => r.id)).toEqual(['r-2']);
    });

    it('lists overdue open remediations earliest first, within the limit', async () => {
      await ledger.createRemediation(newRemediation('r-1', { deadlineSec: NOW + 300 }));
      await ledger.createRemediation(newRemediation('r-2', { deadlineSec: NOW + 100 }));
      await ledger.createRemediation(newRemediation('r-3', { deadlineSec: NOW + 900 }));
      await ledger.createRemediation(newRemediation('r-4', { deadlineSec: NOW + 200 }));
      await ledger.transition('r-4', 'started', 'escalated');
      await ledger.transition('r-3', 'started', 'verifying', { deadlineSec: NOW + 50 });
      const overdue = await ledger.listOverdue(NOW + 300);
      expect(overdue.map((r) => r.id)).toEqual(['r-3', 'r-2', 'r-1']);
      expect((await ledger.listOverdue(NOW + 300, 2)).map((r) => r.id)).toEqual(['r-3', 'r-2']);
      expect(await ledger.listOverdue(NOW + 10)).toEqual([]);
    });

    it.each(['escalated', 'failed', 'observed'] as const)(
      'records a re-sent escalation (or an observe notification) on a %s record, changing nothing else',
      async (state) => {
        await ledger.createRemediation(
          newRemediation('r-1', { state, escalation: { reason: 'x', atSec: NOW, snsError: 'Throttled' } }),
        );
        clock.advance(60);
        const sent = { reason: 'x', atSec: NOW + 60, snsMessageId: 'm-2', opsItemId: 'oi-1' };
        const updated = await ledger.recordEscalation('r-1', sent);
        expect(updated).toMatchObject({ state, escalation: sent, updatedAtSec: NOW + 60 });
        expect(await ledger.getRemediation('r-1')).toEqual(updated);
        expect(updated.stateTimes).toEqual({ [state]: NOW });
      },
    );

    it('refuses to record an escalation on an open, other closed or unknown record', async () => {
      await ledger.createRemediation(newRemediation('r-1'));
      await ledger.createRemediation(newRemediation('r-2', { state: 'dryRun' }));
      const sent = { reason: 'x', atSec: NOW, snsMessageId: 'm-1' };
      await expect(ledger.recordEscalation('r-1', sent)).rejects.toBeInstanceOf(StateConflictError);
      await expect(ledger.recordEscalation('r-2', sent)).rejects.toBeInstanceOf(StateConflictError);
      await expect(ledger.recordEscalation('r-x', sent)).rejects.toBeInstanceOf(RemediationNotFoundError);
      expect((await ledger.getRemediation('r-1'))?.escalation).toBeUndefined();
      expect((await ledger.getRemediation('r-2'))?.escalation).toBeUndefined();
    });

    it('lists blocked remediations earliest deadline first and forgets them once moved', async () => {
      await ledger.createRemediation(newRemediation('r-1', { state: 'blocked', deadlineSec: NOW + 300 }));
      await ledger.createRemediation(newRemediation('r-2', { state: 'blocked', deadlineSec: NOW + 100 }));
      await ledger.createRemediation(newRemediation('r-3', { state: 'blocked', deadlineSec: NOW + 200 }));
      await ledger.createRemediation(newRemediation('r-4', { state: 'skipped' }));
      expect((await ledger.listBlocked()).map((r) => r.id)).toEqual(['r-2', 'r-3', 'r-1']);
      expect((await ledger.listBlocked(1)).map((r) => r.id)).toEqual(['r-2']);
      await ledger.transition('r-2', 'blocked', 'started', { deadlineSec: NOW + 900 });
      await ledger.transition('r-3', 'blocked', 'skipped');
      expect((await ledger.listBlocked()).map((r) => r.id)).toEqual(['r-1']);
      expect((await ledger.listOpen()).map((r) => r.id)).toEqual(['r-2']);
    });

    it('moves a started remediation to blocked: out of the open and overdue lists, into the blocked one', async () => {
      await ledger.createRemediation(newRemediation('r-1', { deadlineSec: NOW + 300 }));
      const moved = await ledger.transition('r-1', 'started', 'blocked', { blockedBy: 'globalCap' });
      expect(moved).toMatchObject({ state: 'blocked', blockedBy: 'globalCap', deadlineSec: NOW + 300 });
      expect(await ledger.listOpen()).toEqual([]);
      expect(await ledger.listOverdue(NOW + 300)).toEqual([]);
      expect((await ledger.listBlocked()).map((r) => r.id)).toEqual(['r-1']);
      expect(await ledger.findOpenByResource(moved.resourceId)).toEqual([]);
    });

    it('records an automation success on an open remediation once, and refuses it on a closed one', async () => {
      await ledger.createRemediation(newRemediation('r-1'));
      await ledger.transition('r-1', 'started', 'verifying', { executionId: 'exec-1' });
      clock.advance(10);
      const first = await ledger.recordAutomationSucceeded('r-1', NOW + 10);
      expect(first).toMatchObject({
        state: 'verifying',
        automationSucceededAtSec: NOW + 10,
        updatedAtSec: NOW + 10,
      });
      await ledger.recordAutomationSucceeded('r-1', NOW + 50);
      expect(await ledger.getRemediation('r-1')).toMatchObject({ automationSucceededAtSec: NOW + 10 });
      expect((await ledger.findByExecutionId('exec-1'))?.automationSucceededAtSec).toBe(NOW + 10);
      await ledger.transition('r-1', 'verifying', 'resolved', { recoveredState: 'INSUFFICIENT_DATA' });
      expect(await ledger.getRemediation('r-1')).toMatchObject({ recoveredState: 'INSUFFICIENT_DATA' });
      await expect(ledger.recordAutomationSucceeded('r-1', NOW + 60)).rejects.toBeInstanceOf(
        StateConflictError,
      );
      await expect(ledger.recordAutomationSucceeded('r-x', NOW + 60)).rejects.toBeInstanceOf(
        RemediationNotFoundError,
      );
    });

    it('lists history newest first, within the limit', async () => {
      for (const id of ['r-1', 'r-2', 'r-3']) {
        await ledger.createRemediation(newRemediation(id, { state: 'dryRun' }));
        clock.advance(10);
      }
      expect((await ledger.listHistory(2)).map((r) => r.id)).toEqual(['r-3', 'r-2']);
      expect((await ledger.listHistory(10)).map((r) => r.id)).toEqual(['r-3', 'r-2', 'r-1']);
    });
  });
}
