import { describe, expect, it } from 'vitest';
import {
  CLAIM_LEASE_MARGIN_SEC,
  claimLeaseSec,
  EVENT_CLAIM_SEC,
  judgeClaim,
  newClaim,
} from '../../../lambdas/core/remediation/event-claim';

const T = 1_000_000;

describe('event claims', () => {
  it('lease the function timeout plus a margin shorter than the first retry wait (60 s)', () => {
    expect(claimLeaseSec(60)).toBe(60 + CLAIM_LEASE_MARGIN_SEC);
    expect(CLAIM_LEASE_MARGIN_SEC).toBeGreaterThan(0);
    expect(CLAIM_LEASE_MARGIN_SEC).toBeLessThan(60);
  });

  it('keep a new claim (the TTL, epoch seconds) far longer than its lease', () => {
    expect(newClaim(T, 90)).toEqual({ claimedAtSec: T, leaseSec: 90, expiresAtSec: T + EVENT_CLAIM_SEC });
    expect(EVENT_CLAIM_SEC).toBeGreaterThan(86_400 + 900 + CLAIM_LEASE_MARGIN_SEC);
  });

  it.each([
    [
      'held just before its own lease ends',
      { claimedAtSec: T, leaseSec: 90, expiresAtSec: T + 1 },
      T + 89,
      'held',
      T + 90,
    ],
    [
      'abandoned when its own lease ends',
      { claimedAtSec: T, leaseSec: 90, expiresAtSec: T + 1 },
      T + 90,
      'abandoned',
      T + 90,
    ],
    [
      'judged by its own lease, not the current one',
      { claimedAtSec: T, leaseSec: 300, expiresAtSec: T + 1 },
      T + 200,
      'held',
      T + 300,
    ],
    ['without a lease: the current one', { claimedAtSec: T, expiresAtSec: T + 1 }, T + 119, 'held', T + 120],
    [
      'without its time: dated from its expiry, held',
      { expiresAtSec: T + EVENT_CLAIM_SEC },
      T + 119,
      'held',
      T + 120,
    ],
    [
      'without its time: dated from its expiry, abandoned',
      { expiresAtSec: T + EVENT_CLAIM_SEC },
      T + 120,
      'abandoned',
      T + 120,
    ],
  ] as const)('a claim is %s', (_, claim, now, kind, leaseEndsAtSec) => {
    expect(judgeClaim(claim, now, 120)).toEqual({ kind, leaseEndsAtSec });
  });
});
