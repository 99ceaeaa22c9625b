/**
 * The remediation ledger port: idempotency, locks, the global concurrency cap, sliding-window
 * counters, error-budget freezes and each remediation's recorded life. The DynamoDB adapter
 * (lambdas/adapters/dynamodb-ledger.ts) and the in-memory one (./ledger-memory.ts) implement it
 * with the same semantics; one contract test suite runs against both.
 *
 * Times are epoch seconds (UTC). Implementations take a `Clock` so expiry is decided by injected
 * time, and a retention so every item carries a TTL (`expiresAt`).
 */
import type { AlarmRef } from './alarm-identity';
import type { EventClaim } from './event-claim';
import type { MalformedRecordError } from './ledger-errors';
import type {
  EscalationRecord,
  NewRemediation,
  RemediationPatch,
  RemediationRecord,
  RemediationState,
  RuleFreeze,
} from './ledger-records';

export type { Clock } from '../scaler/ports';
export type { EventClaim } from './event-claim';
export * from './ledger-errors';
export * from './ledger-records';

/**
 * One of the sweeper's work lists: the records, in the listing's order, and apart from them each
 * listed item that is not a record ({@link MalformedRecordError}, counted against the limit). The
 * sweeper handles each record on its own (moved only by a conditional write on the state it was
 * listed in; a stalled start is also read again first), so leaving
 * a malformed one out cannot make another's handling unsafe; it reports it and goes on. Reads that
 * decide about other records (`listOpen`: the resource lock, the blast radius) still fail.
 */
export interface SweepListing {
  readonly records: readonly RemediationRecord[];
  readonly malformed: readonly MalformedRecordError[];
}

/** One live hold: a resource lock or a slot, its holder, and when it lapses (epoch seconds). */
export interface Hold {
  readonly remediationId: string;
  readonly expiresAtSec: number;
}

/**
 * What a {@link Ledger.transition} writes in the same atomic operation as the move, so a caller
 * killed right after it cannot leave the move done and the rest undone.
 */
export interface TransitionEffects {
  /**
   * When the moved record (as the transition writes it) counts as one remediation of its rule on
   * its resource: the time to count it at, written as `recordRemediation(ruleId, resourceId, atSec,
   * id)` writes it (the same entry, so writing it again changes nothing); undefined when it does
   * not count. A pure function of the record.
   */
  readonly remediationCountAtSec?: (moved: RemediationRecord) => number | undefined;
}

/** Settings shared by every implementation. */
export interface LedgerOptions {
  /** How long records, counters and claims are kept; from `remediation.ledgerRetentionDays`. */
  readonly retentionDays: number;
}

/** Port to the remediation ledger. Every method is atomic with respect to concurrent callers. */
export interface Ledger {
  /**
   * Stores `claim` for an EventBridge event id: true exactly once per id until the claim's
   * `expiresAtSec`; later calls get false (see {@link takeOverEvent} for a claim whose owner died).
   */
  claimEvent(eventId: string, claim: EventClaim): Promise<boolean>;
  /** The event's claim as stored (with or without the time it was taken); undefined when none. */
  getEventClaim(eventId: string): Promise<EventClaim | undefined>;
  /**
   * Replaces the claim `seen` (as {@link getEventClaim} returned it) by `claim`, only if the stored
   * claim is still `seen` (same `claimedAtSec` and `ownerRequestId`, each or still none, and same
   * `expiresAtSec`): of
   * concurrent takeovers of one claim exactly one gets true. The caller decides that `seen` is
   * abandoned (./event-claim); the ledger only makes the swap atomic.
   */
  takeOverEvent(eventId: string, seen: EventClaim, claim: EventClaim): Promise<boolean>;
  /**
   * Gives an event's claim back, so its retry is handled like a first delivery: for a handler that
   * failed after claiming and before recording anything, whose retry would otherwise be dropped.
   * Deletes only `claim`, the one the caller wrote (same `claimedAtSec`, `ownerRequestId` and
   * `expiresAtSec`, as {@link takeOverEvent} compares them): false, and nothing deleted, when the
   * stored claim is another (a retry took it over) or there is none.
   */
  releaseEvent(eventId: string, claim: EventClaim): Promise<boolean>;

  /**
   * One active remediation per resource: true when the lock was free, expired, or already held by
   * `remediationId` (so a retried handler keeps its own lock); the lock then expires at `expiresAtSec`.
   */
  acquireResourceLock(resourceId: string, remediationId: string, expiresAtSec: number): Promise<boolean>;
  /** Releases the lock if `remediationId` holds it; false when someone else (or no one) does. */
  releaseResourceLock(resourceId: string, remediationId: string): Promise<boolean>;
  /** Who holds the resource's lock and until when; undefined when it is free or expired. */
  resourceLockHolder(resourceId: string): Promise<Hold | undefined>;

  /**
   * Takes one of `cap` global slots until `expiresAtSec`. Concurrent callers never exceed the cap;
   * expired slots are reclaimed when the cap is reached, so a crashed holder cannot leak one.
   * True also when `remediationId` already holds a slot, whose expiry then moves to `expiresAtSec`
   * (as a lock's holder acquiring it again sets its expiry).
   */
  acquireGlobalSlot(remediationId: string, cap: number, expiresAtSec: number): Promise<boolean>;
  /** Gives the slot back; false when `remediationId` held none. */
  releaseGlobalSlot(remediationId: string): Promise<boolean>;
  /** Slots held and not expired at the clock's now. */
  activeGlobalSlots(): Promise<number>;
  /** Who holds the global slots and until when, expired ones left out, in no particular order. */
  globalSlotHolders(): Promise<Hold[]>;
  /**
   * The blast radius, enforced: takes one of `cap` slots of Auto Scaling group `groupName`, with
   * the global slots' semantics (never more than `cap` concurrent holders, expired ones
   * reclaimed, re-entrant with the expiry moved). `cap` comes from {@link groupSlotCap}.
   */
  acquireGroupSlot(
    groupName: string,
    remediationId: string,
    cap: number,
    expiresAtSec: number,
  ): Promise<boolean>;
  /** Gives the group slot back; false when `remediationId` held none. */
  releaseGroupSlot(groupName: string, remediationId: string): Promise<boolean>;
  /** The group's slots held and not expired. */
  activeGroupSlots(groupName: string): Promise<number>;
  /** Who holds the group's slots and until when, expired ones left out, in no particular order. */
  groupSlotHolders(groupName: string): Promise<Hold[]>;
  /** Frees expired slots (for the sweeper); returns how many were freed. */
  reclaimExpiredSlots(): Promise<number>;

  /** Counts one remediation of `resourceId` by `ruleId` at `atSec` (idempotent per `remediationId`). */
  recordRemediation(ruleId: string, resourceId: string, atSec: number, remediationId?: string): Promise<void>;
  /** Remediations recorded with `atSec >= sinceSec`. */
  countRemediations(ruleId: string, resourceId: string, sinceSec: number): Promise<number>;
  /** Time of the latest recorded remediation, for the cooldown; undefined when none is kept. */
  lastRemediationAt(ruleId: string, resourceId: string): Promise<number | undefined>;
  /** Counts one failed verification of `ruleId` (idempotent per `remediationId`). */
  recordFailedVerification(ruleId: string, atSec: number, remediationId?: string): Promise<void>;
  /** Failed verifications recorded with `atSec >= sinceSec`. */
  countFailedVerifications(ruleId: string, sinceSec: number): Promise<number>;

  /** Freezes the rule until a human resets it (a repeated freeze keeps the first reason and time). */
  freezeRule(ruleId: string, reason: string): Promise<void>;
  isRuleFrozen(ruleId: string): Promise<boolean>;
  /** The freeze record, including the last reset; undefined when the rule was never frozen. */
  getRuleFreeze(ruleId: string): Promise<RuleFreeze | undefined>;
  /**
   * Human reset: lifts the freeze and records who did it and when. With `expected`, only the
   * freeze read before (still frozen, since `frozenAtSec`): false, with nothing written, when it
   * changed in between (another operator's reset, and perhaps a new freeze after it), so a reset
   * never lifts a freeze its operator was not shown. True otherwise.
   */
  resetRule(ruleId: string, by: string, expected?: { readonly frozenAtSec: number }): Promise<boolean>;

  /**
   * Records a new remediation in an initial state (see `INITIAL_STATES`); open states need
   * `deadlineSec`. Throws `RemediationExistsError` when the id is taken, so a retried handler
   * that derives the id from the event id cannot record twice.
   */
  createRemediation(record: NewRemediation): Promise<RemediationRecord>;
  /**
   * Moves `id` from `from` to `to` (stamping the time) and applies `patch`, only if the record is
   * still in `from`, and writes `effects` with it: all of it or, when it throws, none of it.
   * Throws `IllegalTransitionError`, `StateConflictError` or `RemediationNotFoundError`.
   */
  transition(
    id: string,
    from: RemediationState,
    to: RemediationState,
    patch?: RemediationPatch,
    effects?: TransitionEffects,
  ): Promise<RemediationRecord>;
  /**
   * Records what a (re-)sent escalation did on a closed `escalated` or `failed` record, or an
   * observe-mode notification on an `observed` one: sets only the escalation (and
   * `updatedAtSec`), so a retry that finally reached SNS is kept. Throws `StateConflictError` for
   * a record in any other state and `RemediationNotFoundError`.
   */
  recordEscalation(id: string, escalation: EscalationRecord): Promise<RemediationRecord>;
  /**
   * Records that the automation of open remediation `id` succeeded at `atSec` (the first time is
   * kept), without changing its state. Throws `StateConflictError` when the record is no longer
   * open and `RemediationNotFoundError`.
   */
  recordAutomationSucceeded(id: string, atSec: number): Promise<RemediationRecord>;
  getRemediation(id: string): Promise<RemediationRecord | undefined>;
  /** Open remediations (started or verifying) of a resource. */
  findOpenByResource(resourceId: string): Promise<RemediationRecord[]>;
  /**
   * Open remediations triggered by `alarm`, for its OK event to resolve: by its ARN, or by its
   * name for records without one (./alarm-identity `isSameAlarm`).
   */
  findOpenByAlarm(alarm: AlarmRef): Promise<RemediationRecord[]>;
  /** All open remediations (bounded by the global cap in practice), e.g. for the blast radius. */
  listOpen(): Promise<RemediationRecord[]>;
  /** The remediation that started an SSM execution, for its status-change events. */
  findByExecutionId(executionId: string): Promise<RemediationRecord | undefined>;
  /**
   * Open remediations whose deadline is at or before `nowSec`, earliest first, at most `limit`.
   * This and the three listings below are the sweeper's work lists: see {@link SweepListing}.
   */
  listOverdue(nowSec: number, limit?: number): Promise<SweepListing>;
  /** `blocked` remediations, earliest `deadlineSec` first, at most `limit` (the sweeper's re-drive). */
  listBlocked(limit?: number): Promise<SweepListing>;
  /**
   * `started` remediations (no execution recorded yet) that entered `started` at or before
   * `startedAtOrBeforeSec` (see `startedAtSec`), earliest first, at most `limit` (≤
   * `OVERDUE_LIMIT`): the sweeper resumes those whose starter evidently died. A key Query, never a
   * Scan.
   */
  listStalledStarts(startedAtOrBeforeSec: number, limit?: number): Promise<SweepListing>;
  /**
   * Closed (`escalated`/`failed`) remediations whose escalation SNS has not taken yet, pending since
   * before `olderThanSec` (see `pendingSince`), oldest first, at most `limit` (≤ `OVERDUE_LIMIT`):
   * the sweeper re-sends those whose owner evidently died. A key Query, never a Scan.
   */
  listPendingEscalations(olderThanSec: number, limit?: number): Promise<SweepListing>;
  /**
   * The most recently created remediations, newest first, at most `limit`, each item that is not a
   * record reported in its place as a {@link MalformedRecordError}. For reads that show what
   * happened (the `history` CLI), which leave such an item out and say so; decisions read the open
   * remediations, which fail on it.
   */
  readHistory(limit: number): Promise<(RemediationRecord | MalformedRecordError)[]>;
  /**
   * The rule-defect escalations (`isDefectEscalation`) of `ruleId` on `resourceId` created at or
   * after `sinceSec`, newest first, each malformed item in its place: for the check whether a
   * defect was escalated already (./engine-defect-repeat). A key Query on the pair's own index,
   * never a Scan, so it does not depend on how many other records the ledger holds.
   */
  listDefectEscalations(
    ruleId: string,
    resourceId: string,
    sinceSec: number,
  ): Promise<(RemediationRecord | MalformedRecordError)[]>;
  /**
   * The actions (`isAction`) of `ruleId` on `resourceId`, newest created first, at most `limit`,
   * each malformed item in its place: an escalation's evidence of what was already run there. A
   * key Query on the pair's own index, never a Scan, so it does not depend on how many other
   * records the ledger holds (DynamoDB also reads the pair's frequency-limit marks, which name
   * the actions that ran before that index existed).
   */
  listActions(
    ruleId: string,
    resourceId: string,
    limit: number,
  ): Promise<(RemediationRecord | MalformedRecordError)[]>;
}

export { groupSlotCap } from './blast-radius';

/** Default and maximum page of `listOverdue`: one sweeper run handles at most this many. */
export const OVERDUE_LIMIT = 100;
