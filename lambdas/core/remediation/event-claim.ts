/**
 * An alarm event's claim and its lease, as pure data and decisions. The alarm handler claims the
 * EventBridge event id before deciding; a claim that carries no remediation record yet belongs to
 * an attempt that is still running or died mid-way (timed out, ran out of memory, lost its
 * sandbox), and nothing in the ledger says which. Two rules settle it. Lambda retries an
 * asynchronous invocation under the same request id, and only after the earlier attempt ended: a
 * retry whose request id is the claim's owner's knows the owner is dead and takes the claim over
 * at once. Otherwise the lease decides: the owner is certainly dead once it has run out, so a
 * retry that finds the claim without a record after that takes it over and decides afresh; within
 * the lease it is a duplicate.
 */

/** An event id's claim as stored in the ledger. */
export interface EventClaim {
  /**
   * When the claim was taken (epoch seconds). Absent on claims written before claims carried it;
   * see {@link claimedAt}.
   */
  readonly claimedAtSec?: number;
  /** Seconds after `claimedAtSec` during which the owner may still be running. */
  readonly leaseSec?: number;
  /** When the claim itself lapses (epoch seconds; the item's TTL): far beyond the lease. */
  readonly expiresAtSec: number;
  /**
   * The Lambda request id (`context.awsRequestId`) of the attempt that took the claim. Absent on
   * claims written before claims carried it, and when the caller had none.
   */
  readonly ownerRequestId?: string;
}

/** How long an event id stays claimed: longer than EventBridge retries an event (24 h). */
export const EVENT_CLAIM_SEC = 2 * 86_400;

/**
 * Added to the function timeout to make the lease: covers clock differences between Lambda hosts,
 * whole-second rounding and a write still in flight when the owner was killed. Kept under the
 * one minute Lambda waits before its first retry of a failed asynchronous invocation, so the
 * first retry after a timeout finds the lease over.
 */
export const CLAIM_LEASE_MARGIN_SEC = 30;

/** The lease of a claim taken by a function with `functionTimeoutSec`. */
export function claimLeaseSec(functionTimeoutSec: number): number {
  return functionTimeoutSec + CLAIM_LEASE_MARGIN_SEC;
}

/**
 * The claim an attempt starting at `nowSec` writes (a first claim or a takeover); `requestId` is
 * the attempt's Lambda request id, recorded as the owner's.
 */
export function newClaim(nowSec: number, leaseSec: number, requestId?: string): EventClaim {
  return {
    claimedAtSec: nowSec,
    leaseSec,
    expiresAtSec: nowSec + EVENT_CLAIM_SEC,
    ...(requestId === undefined || requestId === '' ? {} : { ownerRequestId: requestId }),
  };
}

/**
 * When the claim was taken. A claim written before claims carried the time is dated from its
 * expiry: that code always wrote `claimedAt + EVENT_CLAIM_SEC` (2 days) as the expiry.
 */
function claimedAt(claim: EventClaim): number {
  return claim.claimedAtSec ?? claim.expiresAtSec - EVENT_CLAIM_SEC;
}

/**
 * The end of the claim's lease; a claim without its own lease gets `leaseSec` (the current
 * function's: the earlier code ran with the same timeout).
 */
function leaseEndsAt(claim: EventClaim, leaseSec: number): number {
  return claimedAt(claim) + (claim.leaseSec ?? leaseSec);
}

/**
 * What a retry that found `claim` and no remediation record does, and which rule judged it:
 * `ownRetry`, the retry carries the owner's request id (Lambda retries only after the attempt
 * ended); `leaseOver`, the lease has run out; `withinLease`, neither, so the owner may still be
 * running.
 */
export type ClaimVerdict =
  | { readonly kind: 'held'; readonly rule: 'withinLease'; readonly leaseEndsAtSec: number }
  | {
      readonly kind: 'abandoned';
      readonly rule: 'ownRetry' | 'leaseOver';
      readonly leaseEndsAtSec: number;
    };

/**
 * `abandoned` (take it over) when `requestId`, the retry's Lambda request id, is the claim's
 * owner's, or once the lease is over; `held` while the owner may still be running. A claim without
 * an owner request id (written before claims carried it) is judged by its lease alone.
 */
export function judgeClaim(
  claim: EventClaim,
  nowSec: number,
  leaseSec: number,
  requestId?: string,
): ClaimVerdict {
  const leaseEndsAtSec = leaseEndsAt(claim, leaseSec);
  if (claim.ownerRequestId !== undefined && claim.ownerRequestId === requestId) {
    return { kind: 'abandoned', rule: 'ownRetry', leaseEndsAtSec };
  }
  return nowSec >= leaseEndsAtSec
    ? { kind: 'abandoned', rule: 'leaseOver', leaseEndsAtSec }
    : { kind: 'held', rule: 'withinLease', leaseEndsAtSec };
}
