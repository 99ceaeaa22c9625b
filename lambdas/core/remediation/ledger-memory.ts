/**
 * In-memory `Ledger` with the DynamoDB ledger's semantics, for pure decision and handler tests.
 * Single-process only: each method completes without awaiting in between, which makes it atomic
 * on Node's event loop the way conditional writes are atomic in DynamoDB.
 */
import type { EventClaim } from './event-claim';
import type { Clock, Ledger, LedgerOptions, SweepListing } from './ledger';
import { OVERDUE_LIMIT, RemediationExistsError } from './ledger';
import {
  applyAutomationSucceeded,
  applyEscalation,
  applyTransition,
  assertLegal,
  buildRecord,
  pendingSince,
  startedAtSec,
} from './ledger-apply';
import {
  type EscalationRecord,
  isOpen,
  type NewRemediation,
  type RemediationPatch,
  type RemediationRecord,
  type RemediationState,
  type RuleFreeze,
} from './ledger-records';

interface Held {
  readonly holder: string;
  readonly expiresAt: number;
}

/** A `Ledger` kept in maps; create one per test. */
export class InMemoryLedger implements Ledger {
  private readonly claims = new Map<string, EventClaim>();
  private readonly locks = new Map<string, Held>();
  /** Slot pools: `global`, or `group#<name>`; holder → expiry. */
  private readonly pools = new Map<string, Map<string, number>>();
  private readonly remediations = new Map<string, Map<string, number>>();
  private readonly failures = new Map<string, Map<string, number>>();
  private readonly freezes = new Map<string, RuleFreeze>();
  private readonly records = new Map<string, RemediationRecord>();
  private sequence = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: LedgerOptions,
  ) {}

  async claimEvent(eventId: string, claim: EventClaim): Promise<boolean> {
    const held = this.claims.get(eventId);
    if (held !== undefined && held.expiresAtSec > this.now()) return false;
    this.claims.set(eventId, { ...claim });
    return true;
  }

  async getEventClaim(eventId: string): Promise<EventClaim | undefined> {
    const held = this.claims.get(eventId);
    return held === undefined ? undefined : { ...held };
  }

  async takeOverEvent(eventId: string, seen: EventClaim, claim: EventClaim): Promise<boolean> {
    if (!this.holdsClaim(eventId, seen)) return false;
    this.claims.set(eventId, { ...claim });
    return true;
  }

  async releaseEvent(eventId: string, claim: EventClaim): Promise<boolean> {
    if (!this.holdsClaim(eventId, claim)) return false;
    return this.claims.delete(eventId);
  }

  /** Whether the stored claim is still `claim` (same time, owner and expiry). */
  private holdsClaim(eventId: string, claim: EventClaim): boolean {
    const held = this.claims.get(eventId);
    return (
      held !== undefined &&
      held.claimedAtSec === claim.claimedAtSec &&
      held.expiresAtSec === claim.expiresAtSec &&
      held.ownerRequestId === claim.ownerRequestId
    );
  }

  async acquireResourceLock(
    resourceId: string,
    remediationId: string,
    expiresAtSec: number,
  ): Promise<boolean> {
    const held = this.locks.get(resourceId);
    if (held !== undefined && held.holder !== remediationId && held.expiresAt > this.now()) return false;
    this.locks.set(resourceId, { holder: remediationId, expiresAt: expiresAtSec });
    return true;
  }

  async releaseResourceLock(resourceId: string, remediationId: string): Promise<boolean> {
    if (this.locks.get(resourceId)?.holder !== remediationId) return false;
    return this.locks.delete(resourceId);
  }

  async acquireGlobalSlot(remediationId: string, cap: number, expiresAtSec: number): Promise<boolean> {
    return this.acquire(this.pool('global'), remediationId, cap, expiresAtSec);
  }

  async releaseGlobalSlot(remediationId: string): Promise<boolean> {
    return this.pool('global').delete(remediationId);
  }

  async activeGlobalSlots(): Promise<number> {
    return this.active(this.pool('global'));
  }

  async acquireGroupSlot(groupName: string, remediationId: string, cap: number, expiresAtSec: number) {
    return this.acquire(this.pool(`group#${groupName}`), remediationId, cap, expiresAtSec);
  }

  async releaseGroupSlot(groupName: string, remediationId: string): Promise<boolean> {
    return this.pool(`group#${groupName}`).delete(remediationId);
  }

  async activeGroupSlots(groupName: string): Promise<number> {
    return this.active(this.pool(`group#${groupName}`));
  }

  async reclaimExpiredSlots(): Promise<number> {
    return this.reclaim(this.pool('global'));
  }

  async recordRemediation(ruleId: string, resourceId: string, atSec: number, remediationId?: string) {
    this.record(this.remediations, `${ruleId}#${resourceId}`, atSec, remediationId);
  }

  async countRemediations(ruleId: string, resourceId: string, sinceSec: number): Promise<number> {
    return this.count(this.remediations, `${ruleId}#${resourceId}`, sinceSec);
  }

  async lastRemediationAt(ruleId: string, resourceId: string): Promise<number | undefined> {
    const times = [...(this.remediations.get(`${ruleId}#${resourceId}`)?.values() ?? [])];
    return times.length === 0 ? undefined : Math.max(...times);
  }

  async recordFailedVerification(ruleId: string, atSec: number, remediationId?: string) {
    this.record(this.failures, ruleId, atSec, remediationId);
  }

  async countFailedVerifications(ruleId: string, sinceSec: number): Promise<number> {
    return this.count(this.failures, ruleId, sinceSec);
  }

  async freezeRule(ruleId: string, reason: string): Promise<void> {
    if (this.freezes.get(ruleId)?.frozen === true) return;
    this.freezes.set(ruleId, { ruleId, frozen: true, reason, frozenAtSec: this.now() });
  }

  async isRuleFrozen(ruleId: string): Promise<boolean> {
    return this.freezes.get(ruleId)?.frozen === true;
  }

  async getRuleFreeze(ruleId: string): Promise<RuleFreeze | undefined> {
    return this.freezes.get(ruleId);
  }

  async resetRule(ruleId: string, by: string): Promise<void> {
    const current = this.freezes.get(ruleId);
    const base = current ?? { ruleId, reason: '', frozenAtSec: this.now() };
    this.freezes.set(ruleId, { ...base, frozen: false, resetBy: by, resetAtSec: this.now() });
  }

  async createRemediation(input: NewRemediation): Promise<RemediationRecord> {
    const record = buildRecord(input, this.now(), this.options);
    if (this.records.has(record.id)) throw new RemediationExistsError(record.id);
    this.records.set(record.id, record);
    return record;
  }

  async transition(id: string, from: RemediationState, to: RemediationState, patch: RemediationPatch = {}) {
    assertLegal(from, to);
    const next = applyTransition(id, this.records.get(id), from, to, patch, this.now(), this.options);
    this.records.set(id, next);
    return next;
  }

  async recordEscalation(id: string, escalation: EscalationRecord): Promise<RemediationRecord> {
    const next = applyEscalation(id, this.records.get(id), escalation, this.now());
    this.records.set(id, next);
    return next;
  }

  async recordAutomationSucceeded(id: string, atSec: number): Promise<RemediationRecord> {
    const next = applyAutomationSucceeded(id, this.records.get(id), atSec, this.now());
    this.records.set(id, next);
    return next;
  }

  async getRemediation(id: string): Promise<RemediationRecord | undefined> {
    return this.records.get(id);
  }

  async findOpenByResource(resourceId: string): Promise<RemediationRecord[]> {
    return this.open().filter((r) => r.resourceId === resourceId);
  }

  async findOpenByAlarm(alarmName: string): Promise<RemediationRecord[]> {
    return this.open().filter((r) => r.alarmName === alarmName);
  }

  async listOpen(): Promise<RemediationRecord[]> {
    return this.open();
  }

  async findByExecutionId(executionId: string): Promise<RemediationRecord | undefined> {
    return [...this.records.values()].find((r) => r.executionId === executionId);
  }

  async listOverdue(nowSec: number, limit = OVERDUE_LIMIT): Promise<SweepListing> {
    return listing(
      this.open().filter((r) => (r.deadlineSec ?? 0) <= nowSec),
      limit,
    );
  }

  async listBlocked(limit = OVERDUE_LIMIT): Promise<SweepListing> {
    const blocked = [...this.records.values()].filter((r) => r.state === 'blocked');
    return listing(
      blocked.sort((a, b) => (a.deadlineSec ?? 0) - (b.deadlineSec ?? 0) || byId(a, b)),
      limit,
    );
  }

  async listStalledStarts(startedAtOrBeforeSec: number, limit = OVERDUE_LIMIT): Promise<SweepListing> {
    const stalled = [...this.records.values()].filter(
      (r) => r.state === 'started' && startedAtSec(r) <= startedAtOrBeforeSec,
    );
    return listing(
      stalled.sort((a, b) => startedAtSec(a) - startedAtSec(b) || byId(a, b)),
      limit,
    );
  }

  async listPendingEscalations(olderThanSec: number, limit = OVERDUE_LIMIT): Promise<SweepListing> {
    const since = (r: RemediationRecord) => pendingSince(r) ?? Number.POSITIVE_INFINITY;
    const pending = [...this.records.values()].filter((r) => since(r) < olderThanSec);
    return listing(
      pending.sort((a, b) => since(a) - since(b) || byId(a, b)),
      limit,
    );
  }

  async listHistory(limit: number): Promise<RemediationRecord[]> {
    return [...this.records.values()]
      .sort((a, b) => b.createdAtSec - a.createdAtSec || byId(b, a))
      .slice(0, Math.max(0, limit));
  }

  private now(): number {
    return this.clock.nowSec();
  }

  private pool(name: string): Map<string, number> {
    const pool = this.pools.get(name) ?? new Map<string, number>();
    this.pools.set(name, pool);
    return pool;
  }

  private acquire(pool: Map<string, number>, id: string, cap: number, expiresAtSec: number): boolean {
    if (pool.has(id)) return true;
    if (pool.size >= cap) this.reclaim(pool);
    if (pool.size >= cap) return false;
    pool.set(id, expiresAtSec);
    return true;
  }

  private active(pool: Map<string, number>): number {
    const now = this.now();
    return [...pool.values()].filter((expiresAt) => expiresAt > now).length;
  }

  private reclaim(pool: Map<string, number>): number {
    const now = this.now();
    const expired = [...pool].filter(([, expiresAt]) => expiresAt <= now).map(([id]) => id);
    for (const id of expired) pool.delete(id);
    return expired.length;
  }

  /** Same idempotency as the adapter: one entry per remediation id, or a fresh one without. */
  private record(store: Map<string, Map<string, number>>, key: string, atSec: number, id?: string): void {
    const entries = store.get(key) ?? new Map<string, number>();
    this.sequence += 1;
    entries.set(`${atSec}#${id ?? `anon-${this.sequence}`}`, atSec);
    store.set(key, entries);
  }

  private count(store: Map<string, Map<string, number>>, key: string, sinceSec: number): number {
    return [...(store.get(key)?.values() ?? [])].filter((at) => at >= sinceSec).length;
  }

  /** Open records, earliest deadline first (the DynamoDB `OPEN` partition's sort order). */
  private open(): RemediationRecord[] {
    return [...this.records.values()]
      .filter((r) => isOpen(r.state))
      .sort((a, b) => (a.deadlineSec ?? 0) - (b.deadlineSec ?? 0) || byId(a, b));
  }
}

/** The first `limit` (at most `OVERDUE_LIMIT`) of `sorted`: records kept here are never malformed. */
function listing(sorted: readonly RemediationRecord[], limit: number): SweepListing {
  return { records: sorted.slice(0, Math.min(Math.max(0, limit), OVERDUE_LIMIT)), malformed: [] };
}

/** Code-unit order, as DynamoDB sorts string keys. */
function byId(a: RemediationRecord, b: RemediationRecord): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
