/**
 * The `Ledger` contract for event claims: claiming, releasing, reading back and taking over a
 * claim (see ./ledger-contract).
 */
import { expect, it } from 'vitest';
import type { LedgerSubject } from './ledger-contract-subject';
import { NOW } from './ledger-fixtures';

/** A claim taken at `claimedAtSec` with a 90 s lease. */
const claim = (expiresAtSec: number, claimedAtSec = NOW) => ({
  claimedAtSec,
  leaseSec: 90,
  expiresAtSec,
});

/** Event claims: one owner per event id, and safe release and takeover. */
export function eventClaimContract(subject: LedgerSubject): void {
  it('claimEvent is true once per id until it expires', async () => {
    const { ledger, clock } = subject();
    expect(await ledger.claimEvent('e-1', claim(NOW + 60))).toBe(true);
    expect(await ledger.claimEvent('e-1', claim(NOW + 60))).toBe(false);
    expect(await ledger.claimEvent('e-2', claim(NOW + 60))).toBe(true);
    clock.set(NOW + 60);
    expect(await ledger.claimEvent('e-1', claim(NOW + 120))).toBe(true);
    expect(await ledger.claimEvent('e-1', claim(NOW + 120))).toBe(false);
  });

  it('lets an event be claimed again once its claim was released', async () => {
    const { ledger } = subject();
    expect(await ledger.claimEvent('e-1', claim(NOW + 60))).toBe(true);
    expect(await ledger.releaseEvent('e-1', claim(NOW + 60))).toBe(true);
    expect(await ledger.releaseEvent('e-never-claimed', claim(NOW + 60))).toBe(false);
    expect(await ledger.claimEvent('e-1', claim(NOW + 60))).toBe(true);
    expect(await ledger.claimEvent('e-1', claim(NOW + 60))).toBe(false);
  });

  it('releases only the claim the caller wrote, never one a retry took over', async () => {
    const { ledger, clock } = subject();
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
    const { ledger } = subject();
    expect(await ledger.getEventClaim('e-1')).toBeUndefined();
    await ledger.claimEvent('e-1', claim(NOW + 3600));
    expect(await ledger.getEventClaim('e-1')).toEqual(claim(NOW + 3600));
    await ledger.claimEvent('e-old', { expiresAtSec: NOW + 3600 });
    expect(await ledger.getEventClaim('e-old')).toEqual({ expiresAtSec: NOW + 3600 });
  });

  it('takes an event claim over only while it is still the claim seen', async () => {
    const { ledger, clock } = subject();
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
    const { ledger } = subject();
    const seen = { expiresAtSec: NOW + 3600 };
    await ledger.claimEvent('e-old', seen);
    const next = claim(NOW + 3700, NOW + 100);
    expect(await ledger.takeOverEvent('e-old', { expiresAtSec: NOW + 3599 }, next)).toBe(false);
    expect(await ledger.takeOverEvent('e-old', seen, next)).toBe(true);
    expect(await ledger.takeOverEvent('e-old', seen, next)).toBe(false);
    expect(await ledger.getEventClaim('e-old')).toEqual(next);
  });

  it("stores and reads back the owner attempt's request id", async () => {
    const { ledger } = subject();
    const owned = { ...claim(NOW + 3600), ownerRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678' };
    await ledger.claimEvent('e-1', owned);
    expect(await ledger.getEventClaim('e-1')).toEqual(owned);
    await ledger.claimEvent('e-2', claim(NOW + 3600));
    expect(await ledger.getEventClaim('e-2')).not.toHaveProperty('ownerRequestId');
  });

  it('takes an event claim over only while it still has the owner request id seen', async () => {
    const { ledger, clock } = subject();
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
    const { ledger, clock } = subject();
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
}
