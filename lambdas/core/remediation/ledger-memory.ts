/**
 * In-memory `Ledger` with the DynamoDB ledger's semantics, for pure decision and handler tests.
 * Single-process only: each method completes without awaiting in between, which makes it atomic
 * on Node's event loop the way conditional writes are atomic in DynamoDB.
 */
import { type AlarmRef, isSameAlarm } from './alarm-identity';
import type { EventClaim } from './event-claim';
import type {
  Clock,
  Hold,
  Ledger,
  LedgerOptions,
  MalformedRecordError,
  SweepListing,
  TransitionEffects,
} from './ledger';
import { OVERDUE_LIMIT } from './ledger';
import { MemoryClaims } from './ledger-memory-claims';
import { MemoryRecords } from './ledger-memory-records';
import { MemoryRuleItems } from './ledger-memory-rules';
import { MemorySlotPools } from './ledger-memory-slots';
import type {
  EscalationRecord,
  NewRemediation,
  RemediationPatch,
  RemediationRecord,
  RemediationState,
  RuleFreeze,
} from './ledger-records';

interface Held {
  readonly holder: string;
  readonly expiresAt: number;
}

/** A `Ledger` kept in maps; create one per test. */
export class InMemoryLedger implements Ledger {
  private readonly claims: MemoryClaims;
  private readonly locks = new Map<string, Held>();
  /** Slot pools: `global`, or `group#<name>`. */
  private readonly slots: MemorySlotPools;
  private readonly records: MemoryRecords;
  private readonly rules: MemoryRuleItems;

  constructor(
    private readonly clock: Clock,
    options: LedgerOptions,
  ) {
    this.claims = new MemoryClaims(clock);
    this.slots = new MemorySlotPools(clock);
    this.records = new MemoryRecords(clock, options);
    this.rules = new MemoryRuleItems(clock);
  }

  async claimEvent(eventId: string, claim: EventClaim): Promise<boolean> {
    return this.claims.claim(eventId, claim);
  }

  async getEventClaim(eventId: string): Promise<EventClaim | undefined> {
    return this.claims.get(eventId);
  }

  async takeOverEvent(eventId: string, seen: EventClaim, claim: EventClaim): Promise<boolean> {
    return this.claims.takeOver(eventId, seen, claim);
  }

  async releaseEvent(eventId: string, claim: EventClaim): Promise<boolean> {
    return this.claims.release(eventId, claim);
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

  async resourceLockHolder(resourceId: string): Promise<Hold | undefined> {
    const held = this.locks.get(resourceId);
    if (held === undefined || held.expiresAt <= this.now()) return undefined;
    return { remediationId: held.holder, expiresAtSec: held.expiresAt };
  }

  async acquireGlobalSlot(remediationId: string, cap: number, expiresAtSec: number): Promise<boolean> {
    return this.slots.acquire('global', remediationId, cap, expiresAtSec);
  }

  async releaseGlobalSlot(remediationId: string): Promise<boolean> {
    return this.slots.release('global', remediationId);
  }

  async activeGlobalSlots(): Promise<number> {
    return this.slots.active('global');
  }

  async globalSlotHolders(): Promise<Hold[]> {
    return this.slots.holders('global');
  }

  async acquireGroupSlot(groupName: string, remediationId: string, cap: number, expiresAtSec: number) {
    return this.slots.acquire(`group#${groupName}`, remediationId, cap, expiresAtSec);
  }

  async releaseGroupSlot(groupName: string, remediationId: string): Promise<boolean> {
    return this.slots.release(`group#${groupName}`, remediationId);
  }

  async activeGroupSlots(groupName: string): Promise<number> {
    return this.slots.active(`group#${groupName}`);
  }

  async groupSlotHolders(groupName: string): Promise<Hold[]> {
    return this.slots.holders(`group#${groupName}`);
  }

  async reclaimExpiredSlots(): Promise<number> {
    return this.slots.reclaim('global');
  }

  async recordRemediation(ruleId: string, resourceId: string, atSec: number, remediationId?: string) {
    this.rules.mark(windowKey(ruleId, resourceId), atSec, remediationId);
  }

  async countRemediations(ruleId: string, resourceId: string, sinceSec: number): Promise<number> {
    return this.rules.countSince(windowKey(ruleId, resourceId), sinceSec);
  }

  async lastRemediationAt(ruleId: string, resourceId: string): Promise<number | undefined> {
    return this.rules.latest(windowKey(ruleId, resourceId));
  }

  async recordFailedVerification(ruleId: string, atSec: number, remediationId?: string) {
    this.rules.mark(failedKey(ruleId), atSec, remediationId);
  }

  async countFailedVerifications(ruleId: string, sinceSec: number): Promise<number> {
    return this.rules.countSince(failedKey(ruleId), sinceSec);
  }

  async freezeRule(ruleId: string, reason: string): Promise<void> {
    this.rules.freeze(ruleId, reason);
  }

  async isRuleFrozen(ruleId: string): Promise<boolean> {
    return this.rules.getFreeze(ruleId)?.frozen === true;
  }

  async getRuleFreeze(ruleId: string): Promise<RuleFreeze | undefined> {
    return this.rules.getFreeze(ruleId);
  }

  async resetRule(ruleId: string, by: string, expected?: { readonly frozenAtSec: number }): Promise<boolean> {
    return this.rules.reset(ruleId, by, expected);
  }

  async createRemediation(input: NewRemediation): Promise<RemediationRecord> {
    return this.records.create(input);
  }

  async transition(
    id: string,
    from: RemediationState,
    to: RemediationState,
    patch: RemediationPatch = {},
    effects: TransitionEffects = {},
  ) {
    // No await between the two writes: on the event loop they happen together or not at all.
    const moved = this.records.transition(id, from, to, patch);
    const countAtSec = effects.remediationCountAtSec?.(moved);
    if (countAtSec !== undefined) this.rules.mark(windowKey(moved.ruleId, moved.resourceId), countAtSec, id);
    return moved;
  }

  async recordEscalation(id: string, escalation: EscalationRecord): Promise<RemediationRecord> {
    return this.records.recordEscalation(id, escalation);
  }

  async recordAutomationSucceeded(id: string, atSec: number): Promise<RemediationRecord> {
    return this.records.recordAutomationSucceeded(id, atSec);
  }

  async getRemediation(id: string): Promise<RemediationRecord | undefined> {
    return this.records.get(id);
  }

  async findOpenByResource(resourceId: string): Promise<RemediationRecord[]> {
    return this.records.open().filter((r) => r.resourceId === resourceId);
  }

  async findOpenByAlarm(alarm: AlarmRef): Promise<RemediationRecord[]> {
    return this.records.open().filter((r) => isSameAlarm(r, alarm));
  }

  async listOpen(): Promise<RemediationRecord[]> {
    return this.records.open();
  }

  async findByExecutionId(executionId: string): Promise<RemediationRecord | undefined> {
    return this.records.byExecutionId(executionId);
  }

  async listOverdue(nowSec: number, limit = OVERDUE_LIMIT): Promise<SweepListing> {
    return this.records.overdue(nowSec, limit);
  }

  async listBlocked(limit = OVERDUE_LIMIT): Promise<SweepListing> {
    return this.records.blocked(limit);
  }

  async listStalledStarts(startedAtOrBeforeSec: number, limit = OVERDUE_LIMIT): Promise<SweepListing> {
    return this.records.stalledStarts(startedAtOrBeforeSec, limit);
  }

  async listPendingEscalations(olderThanSec: number, limit = OVERDUE_LIMIT): Promise<SweepListing> {
    return this.records.pendingEscalations(olderThanSec, limit);
  }

  async readHistory(limit: number): Promise<(RemediationRecord | MalformedRecordError)[]> {
    return this.records.history(limit);
  }

  async listDefectEscalations(ruleId: string, resourceId: string, sinceSec: number) {
    return this.records.defectEscalations(ruleId, resourceId, sinceSec);
  }

  async listActions(
    ruleId: string,
    resourceId: string,
    limit: number,
  ): Promise<(RemediationRecord | MalformedRecordError)[]> {
    return this.records.actions(ruleId, resourceId, limit);
  }

  private now(): number {
    return this.clock.nowSec();
  }
}

/** The marks of `ruleId`'s remediations of `resourceId` (frequency, cooldown). */
const windowKey = (ruleId: string, resourceId: string) => `window#${ruleId}#${resourceId}`;
/** The marks of `ruleId`'s failed verifications (error budget). */
const failedKey = (ruleId: string) => `failed#${ruleId}`;
