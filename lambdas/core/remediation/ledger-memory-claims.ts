/**
 * Event claims of the in-memory ledger (./ledger-memory), with the DynamoDB claim item's
 * semantics: one live claim per event id, swapped or deleted only as the caller saw it.
 */
import type { EventClaim } from './event-claim';
import type { Clock } from './ledger';

/** Claims by event id; part of `InMemoryLedger`. */
export class MemoryClaims {
  private readonly claims = new Map<string, EventClaim>();

  constructor(private readonly clock: Clock) {}

  claim(eventId: string, claim: EventClaim): boolean {
    const held = this.claims.get(eventId);
    if (held !== undefined && held.expiresAtSec > this.clock.nowSec()) return false;
    this.claims.set(eventId, { ...claim });
    return true;
  }

  get(eventId: string): EventClaim | undefined {
    const held = this.claims.get(eventId);
    return held === undefined ? undefined : { ...held };
  }

  takeOver(eventId: string, seen: EventClaim, claim: EventClaim): boolean {
    if (!this.holds(eventId, seen)) return false;
    this.claims.set(eventId, { ...claim });
    return true;
  }

  release(eventId: string, claim: EventClaim): boolean {
    if (!this.holds(eventId, claim)) return false;
    return this.claims.delete(eventId);
  }

  /** Whether the stored claim is still `claim` (same time, owner and expiry). */
  private holds(eventId: string, claim: EventClaim): boolean {
    const held = this.claims.get(eventId);
    return (
      held !== undefined &&
      held.claimedAtSec === claim.claimedAtSec &&
      held.expiresAtSec === claim.expiresAtSec &&
      held.ownerRequestId === claim.ownerRequestId
    );
  }
}
