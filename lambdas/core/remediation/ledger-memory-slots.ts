/**
 * Slot pools of the in-memory ledger (./ledger-memory): the global cap and each Auto Scaling
 * group's blast radius, with the DynamoDB slot items' semantics (never more than `cap` holders,
 * expired slots reclaimed when the cap is reached, re-entrant per holder, whose expiry a repeated
 * acquire moves to the one it asks for).
 */
import type { Clock, Hold } from './ledger';

/** Named pools of holder → expiry; part of `InMemoryLedger`. */
export class MemorySlotPools {
  private readonly pools = new Map<string, Map<string, number>>();

  constructor(private readonly clock: Clock) {}

  acquire(name: string, id: string, cap: number, expiresAtSec: number): boolean {
    const pool = this.pool(name);
    if (pool.has(id)) {
      pool.set(id, expiresAtSec);
      return true;
    }
    if (pool.size >= cap) this.reclaim(name);
    if (pool.size >= cap) return false;
    pool.set(id, expiresAtSec);
    return true;
  }

  release(name: string, id: string): boolean {
    return this.pool(name).delete(id);
  }

  /** Slots of pool `name` held and not expired. */
  active(name: string): number {
    const now = this.clock.nowSec();
    return [...this.pool(name).values()].filter((expiresAt) => expiresAt > now).length;
  }

  /** The holders of pool `name`'s slots that have not expired, and when each lapses. */
  holders(name: string): Hold[] {
    const now = this.clock.nowSec();
    return [...this.pool(name)]
      .filter(([, expiresAt]) => expiresAt > now)
      .map(([remediationId, expiresAtSec]) => ({ remediationId, expiresAtSec }));
  }

  /** Frees the expired slots of pool `name`; returns how many. */
  reclaim(name: string): number {
    const pool = this.pool(name);
    const now = this.clock.nowSec();
    const expired = [...pool].filter(([, expiresAt]) => expiresAt <= now).map(([id]) => id);
    for (const id of expired) pool.delete(id);
    return expired.length;
  }

  private pool(name: string): Map<string, number> {
    const pool = this.pools.get(name) ?? new Map<string, number>();
    this.pools.set(name, pool);
    return pool;
  }
}
