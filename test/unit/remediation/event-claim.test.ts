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

  it('record the request id of the attempt that takes them, when it has one', () => {
    expect(newClaim(T, 90, 'req-1')).toEqual({
      claimedAtSec: T,
      leaseSec: 90,
      expiresAtSec: T + EVENT_CLAIM_SEC,
      ownerRequestId: 'req-1',
    });
    expect(newClaim(T, 90, '')).not.toHaveProperty('ownerRequestId');
  });

  const OWNED = { claimedAtSec: T, leaseSec: 90, expiresAtSec: T + 1, ownerRequestId: 'req-1' };

  it.each([
    [
      'held just before its own lease ends',
      { claimedAtSec: T, leaseSec: 90, expiresAtSec: T + 1 },
      T + 89,
      undefined,
      'held',
      'withinLease',
      T + 90,
    ],
    [
      'abandoned when its own lease ends',
      { claimedAtSec: T, leaseSec: 90, expiresAtSec: T + 1 },
      T + 90,
      undefined,
      'abandoned',
      'leaseOver',
      T + 90,
    ],
    [
      'judged by its own lease, not the current one',
      { claimedAtSec: T, leaseSec: 300, expiresAtSec: T + 1 },
      T + 200,
      undefined,
      'held',
      'withinLease',
      T + 300,
    ],
    [
      'without a lease: the current one',
      { claimedAtSec: T, expiresAtSec: T + 1 },
      T + 119,
      undefined,
      'held',
      'withinLease',
      T + 120,
    ],
    [
      'without its time: dated from its expiry, held',
      { expiresAtSec: T + EVENT_CLAIM_SEC },
      T + 119,
      undefined,
      'held',
      'withinLease',
      T + 120,
    ],
    [
      'without its time: dated from its expiry, abandoned',
      { expiresAtSec: T + EVENT_CLAIM_SEC },
      T + 120,
      undefined,
      'abandoned',
      'leaseOver',
      T + 120,
    ],
    [
      'abandoned within its lease to a retry of its owner request',
      OWNED,
      T + 60,
      'req-1',
      'abandoned',
      'ownRetry',
      T + 90,
    ],
    [
      'abandoned to a retry of its owner request even at once',
      OWNED,
      T,
      'req-1',
      'abandoned',
      'ownRetry',
      T + 90,
    ],
    ['held within its lease against another request', OWNED, T + 60, 'req-2', 'held', 'withinLease', T + 90],
    [
      'held within its lease against a caller without a request id',
      OWNED,
      T + 60,
      undefined,
      'held',
      'withinLease',
      T + 90,
    ],
    [
      'abandoned after its lease to another request',
      OWNED,
      T + 90,
      'req-2',
      'abandoned',
      'leaseOver',
      T + 90,
    ],
    [
      'without an owner request id (older claims): held within its lease whatever the request',
      { claimedAtSec: T, leaseSec: 90, expiresAtSec: T + 1 },
      T + 60,
      'req-1',
      'held',
      'withinLease',
      T + 90,
    ],
    [
      'without an owner request id: abandoned after its lease',
      { claimedAtSec: T, leaseSec: 90, expiresAtSec: T + 1 },
      T + 90,
      'req-1',
      'abandoned',
      'leaseOver',
      T + 90,
    ],
  ] as const)('a claim is %s', (_, claim, now, requestId, kind, rule, leaseEndsAtSec) => {
    expect(judgeClaim(claim, now, 120, requestId)).toEqual({ kind, rule, leaseEndsAtSec });
  });
});
