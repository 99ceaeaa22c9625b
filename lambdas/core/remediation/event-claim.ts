/**
 * An alarm event's claim and its lease, as pure data and decisions. The alarm handler claims the
 * EventBridge event id before deciding; a claim that carries no remediation record yet belongs to
 * an attempt that is still running or died mid-way (timed out, ran out of memory, lost its
 * sandbox), and nothing in the ledger says which. The lease settles it: the claim's owner is
 * certainly dead once the lease has run out, so a retry that finds the claim without a record
 * after that takes it over and decides afresh; within the lease it is a duplicate.
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

/** The claim an attempt starting at `nowSec` writes (a first claim or a takeover). */
export function newClaim(nowSec: number, leaseSec: number): Required<EventClaim> {
  return { claimedAtSec: nowSec, leaseSec, expiresAtSec: nowSec + EVENT_CLAIM_SEC };
}

/**
 * When the claim was taken. A claim written before claims carried the time is dated from its
 * expiry: that code always wrote `claimedAt + EVENT_CLAIM_SEC` (2 days) as the expiry.
 */
export function claimedAt(claim: EventClaim): number {
  return claim.claimedAtSec ?? claim.expiresAtSec - EVENT_CLAIM_SEC;
}

/**
 * The end of the claim's lease; a claim without its own lease gets `leaseSec` (the current
 * function's: the earlier code ran with the same timeout).
 */
export function leaseEndsAt(claim: EventClaim, leaseSec: number): number {
  return claimedAt(claim) + (claim.leaseSec ?? leaseSec);
}

/** What a retry that found `claim` and no remediation record does. */
export type ClaimVerdict =
  | { readonly kind: 'held'; readonly leaseEndsAtSec: number }
  | { readonly kind: 'abandoned'; readonly leaseEndsAtSec: number };

/** `held` while the owner may still be running, `abandoned` once the lease is over (take it over). */
export function judgeClaim(claim: EventClaim, nowSec: number, leaseSec: number): ClaimVerdict {
  const leaseEndsAtSec = leaseEndsAt(claim, leaseSec);
  return nowSec >= leaseEndsAtSec ? { kind: 'abandoned', leaseEndsAtSec } : { kind: 'held', leaseEndsAtSec };
}
