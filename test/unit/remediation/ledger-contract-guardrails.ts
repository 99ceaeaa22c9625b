/**
 * The `Ledger` contract for what the guardrails read and hold: resource locks, global and group
 * slots, remediation and failed-verification counts, and rule freezes (see ./ledger-contract).
 */
import { expect, it } from 'vitest';
import type { LedgerSubject } from './ledger-contract-subject';
import { NOW } from './ledger-fixtures';

/** Locks, slots, counts and freezes. */
export function guardrailContract(subject: LedgerSubject): void {
  it('keeps a resource lock exclusive, re-entrant for its holder, and free once expired', async () => {
    const { ledger, clock } = subject();
    expect(await ledger.acquireResourceLock('i-1', 'r-1', NOW + 600)).toBe(true);
    expect(await ledger.acquireResourceLock('i-1', 'r-2', NOW + 600)).toBe(false);
    expect(await ledger.acquireResourceLock('i-1', 'r-1', NOW + 600)).toBe(true);
    expect(await ledger.acquireResourceLock('i-2', 'r-2', NOW + 600)).toBe(true);
    clock.set(NOW + 600);
    expect(await ledger.acquireResourceLock('i-1', 'r-3', NOW + 1200)).toBe(true);
    expect(await ledger.acquireResourceLock('i-1', 'r-1', NOW + 1200)).toBe(false);
  });

  it('releases a lock only for its holder', async () => {
    const { ledger } = subject();
    await ledger.acquireResourceLock('i-1', 'r-1', NOW + 600);
    expect(await ledger.releaseResourceLock('i-1', 'r-2')).toBe(false);
    expect(await ledger.acquireResourceLock('i-1', 'r-2', NOW + 600)).toBe(false);
    expect(await ledger.releaseResourceLock('i-1', 'r-1')).toBe(true);
    expect(await ledger.releaseResourceLock('i-1', 'r-1')).toBe(false);
    expect(await ledger.acquireResourceLock('i-1', 'r-2', NOW + 600)).toBe(true);
  });

  it('names the live holder of a resource lock and when it lapses, and none once released or expired', async () => {
    const { ledger, clock } = subject();
    expect(await ledger.resourceLockHolder('i-1')).toBeUndefined();
    await ledger.acquireResourceLock('i-1', 'r-1', NOW + 600);
    await ledger.acquireResourceLock('i-2', 'r-2', NOW + 300);
    expect(await ledger.resourceLockHolder('i-1')).toEqual({ remediationId: 'r-1', expiresAtSec: NOW + 600 });
    await ledger.releaseResourceLock('i-1', 'r-1');
    expect(await ledger.resourceLockHolder('i-1')).toBeUndefined();
    expect(await ledger.resourceLockHolder('i-2')).toEqual({ remediationId: 'r-2', expiresAtSec: NOW + 300 });
    clock.set(NOW + 300);
    expect(await ledger.resourceLockHolder('i-2')).toBeUndefined();
  });

  it("lists a group's live slot holders with their expiry, released and expired ones left out", async () => {
    const { ledger, clock } = subject();
    expect(await ledger.groupSlotHolders('web')).toEqual([]);
    await ledger.acquireGroupSlot('web', 'r-1', 3, NOW + 600);
    await ledger.acquireGroupSlot('web', 'r-2', 3, NOW + 300);
    await ledger.acquireGroupSlot('web', 'r-3', 3, NOW + 900);
    await ledger.acquireGroupSlot('api', 'r-4', 3, NOW + 900);
    await ledger.releaseGroupSlot('web', 'r-3');
    const byId = (a: { remediationId: string }, b: { remediationId: string }) =>
      a.remediationId.localeCompare(b.remediationId);
    expect((await ledger.groupSlotHolders('web')).sort(byId)).toEqual([
      { remediationId: 'r-1', expiresAtSec: NOW + 600 },
      { remediationId: 'r-2', expiresAtSec: NOW + 300 },
    ]);
    clock.set(NOW + 300);
    expect(await ledger.groupSlotHolders('web')).toEqual([{ remediationId: 'r-1', expiresAtSec: NOW + 600 }]);
  });

  it('lists the live global slot holders with their expiry, released and expired ones left out', async () => {
    const { ledger, clock } = subject();
    expect(await ledger.globalSlotHolders()).toEqual([]);
    await ledger.acquireGlobalSlot('r-1', 3, NOW + 600);
    await ledger.acquireGlobalSlot('r-2', 3, NOW + 300);
    await ledger.acquireGlobalSlot('r-3', 3, NOW + 900);
    await ledger.acquireGroupSlot('web', 'r-4', 3, NOW + 900);
    await ledger.releaseGlobalSlot('r-3');
    const byId = (a: { remediationId: string }, b: { remediationId: string }) =>
      a.remediationId.localeCompare(b.remediationId);
    expect((await ledger.globalSlotHolders()).sort(byId)).toEqual([
      { remediationId: 'r-1', expiresAtSec: NOW + 600 },
      { remediationId: 'r-2', expiresAtSec: NOW + 300 },
    ]);
    clock.set(NOW + 300);
    expect(await ledger.globalSlotHolders()).toEqual([{ remediationId: 'r-1', expiresAtSec: NOW + 600 }]);
  });

  it('never hands out more global slots than the cap, and takes back released ones', async () => {
    const { ledger } = subject();
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

  it("moves a holder's lock and slots to the expiry it asks for when it acquires them again", async () => {
    const { ledger, clock } = subject();
    expect(await ledger.acquireResourceLock('i-1', 'r-1', NOW + 600)).toBe(true);
    expect(await ledger.acquireGlobalSlot('r-1', 1, NOW + 600)).toBe(true);
    expect(await ledger.acquireGroupSlot('web', 'r-1', 1, NOW + 600)).toBe(true);
    // A resumed start whose new deadline lies past the first one takes them again.
    expect(await ledger.acquireResourceLock('i-1', 'r-1', NOW + 7_800)).toBe(true);
    expect(await ledger.acquireGlobalSlot('r-1', 1, NOW + 7_800)).toBe(true);
    expect(await ledger.acquireGroupSlot('web', 'r-1', 1, NOW + 7_800)).toBe(true);
    clock.set(NOW + 600);
    expect(await ledger.resourceLockHolder('i-1')).toEqual({
      remediationId: 'r-1',
      expiresAtSec: NOW + 7_800,
    });
    expect(await ledger.activeGlobalSlots()).toBe(1);
    expect(await ledger.groupSlotHolders('web')).toEqual([
      { remediationId: 'r-1', expiresAtSec: NOW + 7_800 },
    ]);
    expect(await ledger.acquireGlobalSlot('r-2', 1, NOW + 7_800)).toBe(false);
    expect(await ledger.acquireGroupSlot('web', 'r-2', 1, NOW + 7_800)).toBe(false);
    expect(await ledger.reclaimExpiredSlots()).toBe(0);
    clock.set(NOW + 7_800);
    expect(await ledger.acquireGlobalSlot('r-2', 1, NOW + 9_000)).toBe(true);
    expect(await ledger.acquireGroupSlot('web', 'r-2', 1, NOW + 9_000)).toBe(true);
  });

  it('keeps each group within its own slot cap, apart from the global slots', async () => {
    const { ledger, clock } = subject();
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
    const { ledger, clock } = subject();
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
    const { ledger } = subject();
    await ledger.recordRemediation('disk', 'i-1', NOW - 7_200, 'r-1');
    await ledger.recordRemediation('disk', 'i-1', NOW - 600, 'r-2');
    await ledger.recordRemediation('disk', 'i-1', NOW, 'r-3');
    await ledger.recordRemediation('disk', 'i-1', NOW, 'r-3');
    await ledger.recordRemediation('disk', 'i-2', NOW);
    await ledger.recordRemediation('cpu', 'i-1', NOW);
    expect(await ledger.countRemediations('disk', 'i-1', since)).toBe(expected);
  });

  it('reports the latest remediation time for the cooldown', async () => {
    const { ledger } = subject();
    expect(await ledger.lastRemediationAt('disk', 'i-1')).toBeUndefined();
    await ledger.recordRemediation('disk', 'i-1', NOW - 600);
    await ledger.recordRemediation('disk', 'i-1', NOW - 60);
    await ledger.recordRemediation('disk', 'i-1', NOW - 900);
    expect(await ledger.lastRemediationAt('disk', 'i-1')).toBe(NOW - 60);
  });

  it('counts failed verifications per rule within the window', async () => {
    const { ledger } = subject();
    await ledger.recordFailedVerification('disk', NOW - 90_000, 'r-1');
    await ledger.recordFailedVerification('disk', NOW - 60, 'r-2');
    await ledger.recordFailedVerification('disk', NOW - 60, 'r-2');
    await ledger.recordFailedVerification('disk', NOW);
    await ledger.recordFailedVerification('cpu', NOW);
    expect(await ledger.countFailedVerifications('disk', NOW - 86_400)).toBe(2);
    expect(await ledger.countFailedVerifications('cpu', NOW - 86_400)).toBe(1);
  });

  it('freezes a rule until a human resets it, keeping the first reason', async () => {
    const { ledger, clock } = subject();
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

  it('lifts only the freeze read before when told which, writing nothing when it changed', async () => {
    const { ledger, clock } = subject();
    await ledger.freezeRule('disk', 'first');
    // Reset by someone else, then frozen again a minute later: not the freeze read at NOW.
    expect(await ledger.resetRule('disk', 'bob', { frozenAtSec: NOW })).toBe(true);
    expect(await ledger.resetRule('disk', 'carol', { frozenAtSec: NOW })).toBe(false);
    clock.advance(60);
    await ledger.freezeRule('disk', 'second');
    expect(await ledger.resetRule('disk', 'alice', { frozenAtSec: NOW })).toBe(false);
    expect(await ledger.getRuleFreeze('disk')).toMatchObject({
      frozen: true,
      reason: 'second',
      frozenAtSec: NOW + 60,
    });
    expect(await ledger.resetRule('disk', 'alice', { frozenAtSec: NOW + 60 })).toBe(true);
    expect(await ledger.getRuleFreeze('disk')).toEqual({
      ruleId: 'disk',
      frozen: false,
      reason: 'second',
      frozenAtSec: NOW + 60,
      resetBy: 'alice',
      resetAtSec: NOW + 60,
    });
    // Never frozen: nothing to lift.
    expect(await ledger.resetRule('cpu', 'alice', { frozenAtSec: NOW })).toBe(false);
    expect(await ledger.getRuleFreeze('cpu')).toBeUndefined();
  });
}
