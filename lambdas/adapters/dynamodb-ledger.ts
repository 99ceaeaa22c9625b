/**
 * The remediation `Ledger` on one DynamoDB table (single-table design, no GSI).
 *
 * Table: partition key `pk` (S), sort key `sk` (S), TTL attribute `expiresAt` (N, epoch seconds),
 * on-demand. Items:
 *
 * | pk                          | sk                     | holds                                    |
 * |-----------------------------|------------------------|------------------------------------------|
 * | `EVENT#<eventId>`           | `CLAIM`                | claim: `claimedAt`, `leaseSec`, owner id, `writeId` |
 * | `LOCK#<resourceId>`         | `LOCK`                 | `holder`; free once `expiresAt` passed   |
 * | `SLOTS`                     | `SLOTS`                | `active` count, `slot:<id>` = expiry     |
 * | `GROUP#<asgName>`           | `SLOTS`                | the same, for one group's blast radius   |
 * | `WINDOW#<rule>#<resource>`  | `<at:10>#<id>`         | one remediation (frequency, cooldown)    |
 * | `FAILED#<rule>`             | `<at:10>#<id>`         | one failed verification (error budget)   |
 * | `RULE#<rule>`               | `FREEZE`               | freeze and last human reset              |
 * | `REM#<id>`                  | `REM`                  | the remediation record                   |
 * | `OPEN`                      | `<deadline:10>#<id>`   | index of open records (sweeper Query)    |
 * | `BLOCKED`                   | `<deadline:10>#<id>`   | index of blocked records (re-drive)      |
 * | `STARTED`                   | `<started:10>#<id>`    | index of started records (resume)        |
 * | `HISTORY`                   | `<createdAt:10>#<id>`  | index of all records (history Query)     |
 * | `EXEC#<executionId>`        | `EXEC`                 | execution id → record id                 |
 * | `PENDING_ESC`               | `<since:10>#<id>`      | escalations SNS has not taken (sweeper)  |
 * | `DEFECT#<rule>#<resource>`  | `<createdAt:10>#<id>`  | rule-defect escalations (repeat check)   |
 * | `ACTION#<rule>#<resource>`  | `<createdAt:10>#<id>`  | the rule's actions on the resource       |
 *
 * Expiry decisions compare `expiresAt` with the injected clock in the condition itself, because
 * TTL deletion lags by up to days. An active freeze has no TTL: only a human lifts it.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AlarmRef, isSameAlarm } from '../core/remediation/alarm-identity';
import {
  type Clock,
  type EventClaim,
  type Ledger,
  type LedgerOptions,
  OVERDUE_LIMIT,
} from '../core/remediation/ledger';
import { EventClaimItems } from './dynamodb-ledger-claims';
import { keys } from './dynamodb-ledger-keys';
import { RemediationListings } from './dynamodb-ledger-listings';
import { ResourceLocks } from './dynamodb-ledger-lock';
import { RemediationItems } from './dynamodb-ledger-records';
import { RuleItems } from './dynamodb-ledger-rules';
import { SlotPool } from './dynamodb-ledger-slots';

/** The document client the ledger needs: optional record fields left unset are not written. */
export function ledgerDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Where the ledger lives and how long it keeps things. */
export interface DynamoDbLedgerProps extends LedgerOptions {
  /** A document client built with `removeUndefinedValues: true` (see `ledgerDocumentClient`). */
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}

/** `Ledger` on DynamoDB conditional writes and transactions. */
export class DynamoDbLedger implements Ledger {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly clock: Clock;
  private readonly claims: EventClaimItems;
  private readonly locks: ResourceLocks;
  private readonly records: RemediationItems;
  private readonly listings: RemediationListings;
  private readonly slots: SlotPool;
  private readonly rules: RuleItems;

  constructor(props: DynamoDbLedgerProps) {
    this.doc = props.client;
    this.table = props.tableName;
    this.clock = props.clock;
    this.claims = new EventClaimItems(this.doc, this.table, this.clock);
    this.locks = new ResourceLocks(this.doc, this.table, this.clock);
    this.records = new RemediationItems(this.doc, this.table, this.clock, props);
    this.listings = new RemediationListings(this.doc, this.table);
    this.slots = new SlotPool(this.doc, this.table, this.clock, keys.slots());
    this.rules = new RuleItems(this.doc, this.table, this.clock, props);
  }

  claimEvent(eventId: string, claim: EventClaim) {
    return this.claims.claim(eventId, claim);
  }

  getEventClaim(eventId: string) {
    return this.claims.get(eventId);
  }

  takeOverEvent(eventId: string, seen: EventClaim, claim: EventClaim) {
    return this.claims.takeOver(eventId, seen, claim);
  }

  releaseEvent(eventId: string, claim: EventClaim) {
    return this.claims.release(eventId, claim);
  }

  acquireResourceLock(resourceId: string, remediationId: string, expiresAtSec: number) {
    return this.locks.acquire(resourceId, remediationId, expiresAtSec);
  }

  releaseResourceLock(resourceId: string, remediationId: string) {
    return this.locks.release(resourceId, remediationId);
  }

  resourceLockHolder(resourceId: string) {
    return this.locks.holder(resourceId);
  }

  acquireGlobalSlot(remediationId: string, cap: number, expiresAtSec: number) {
    return this.slots.acquire(remediationId, cap, expiresAtSec);
  }

  releaseGlobalSlot(remediationId: string) {
    return this.slots.release(remediationId);
  }

  acquireGroupSlot(groupName: string, remediationId: string, cap: number, expiresAtSec: number) {
    return this.groupSlots(groupName).acquire(remediationId, cap, expiresAtSec);
  }

  releaseGroupSlot(groupName: string, remediationId: string) {
    return this.groupSlots(groupName).release(remediationId);
  }

  activeGroupSlots(groupName: string) {
    return this.groupSlots(groupName).active();
  }

  groupSlotHolders(groupName: string) {
    return this.groupSlots(groupName).liveHolders();
  }

  activeGlobalSlots() {
    return this.slots.active();
  }

  globalSlotHolders() {
    return this.slots.liveHolders();
  }

  reclaimExpiredSlots() {
    return this.slots.reclaimExpired();
  }

  recordRemediation(ruleId: string, resourceId: string, atSec: number, remediationId?: string) {
    return this.rules.mark(keys.window(ruleId, resourceId), atSec, remediationId);
  }

  countRemediations(ruleId: string, resourceId: string, sinceSec: number) {
    return this.rules.countSince(keys.window(ruleId, resourceId), sinceSec);
  }

  lastRemediationAt(ruleId: string, resourceId: string) {
    return this.rules.latest(keys.window(ruleId, resourceId));
  }

  recordFailedVerification(ruleId: string, atSec: number, remediationId?: string) {
    return this.rules.mark(keys.failed(ruleId), atSec, remediationId);
  }

  countFailedVerifications(ruleId: string, sinceSec: number) {
    return this.rules.countSince(keys.failed(ruleId), sinceSec);
  }

  freezeRule(ruleId: string, reason: string) {
    return this.rules.freeze(ruleId, reason);
  }

  async isRuleFrozen(ruleId: string): Promise<boolean> {
    return (await this.rules.getFreeze(ruleId))?.frozen === true;
  }

  getRuleFreeze(ruleId: string) {
    return this.rules.getFreeze(ruleId);
  }

  resetRule(ruleId: string, by: string, expected?: { readonly frozenAtSec: number }) {
    return this.rules.reset(ruleId, by, expected);
  }

  createRemediation: Ledger['createRemediation'] = (record) => this.records.create(record);
  transition: Ledger['transition'] = (id, from, to, patch = {}, effects = {}) =>
    this.records.transition(id, from, to, patch, effects);
  recordEscalation: Ledger['recordEscalation'] = (id, escalation) =>
    this.records.recordEscalation(id, escalation);
  recordAutomationSucceeded: Ledger['recordAutomationSucceeded'] = (id, atSec) =>
    this.records.recordAutomationSucceeded(id, atSec);
  getRemediation: Ledger['getRemediation'] = (id) => this.records.get(id);
  findByExecutionId: Ledger['findByExecutionId'] = (id) => this.records.byExecutionId(id);
  listOpen: Ledger['listOpen'] = () => this.listings.open();
  listOverdue: Ledger['listOverdue'] = (nowSec, limit = OVERDUE_LIMIT) =>
    this.listings.overdue(nowSec, limit);
  listBlocked: Ledger['listBlocked'] = (limit = OVERDUE_LIMIT) => this.listings.blocked(limit);
  listStalledStarts: Ledger['listStalledStarts'] = (startedAtOrBeforeSec, limit = OVERDUE_LIMIT) =>
    this.listings.stalledStarts(startedAtOrBeforeSec, limit);
  listPendingEscalations: Ledger['listPendingEscalations'] = (olderThanSec, limit = OVERDUE_LIMIT) =>
    this.listings.pendingEscalations(olderThanSec, limit);
  readHistory: Ledger['readHistory'] = (limit) => this.listings.history(limit);
  listDefectEscalations: Ledger['listDefectEscalations'] = (ruleId, resourceId, sinceSec) =>
    this.listings.defectEscalations(ruleId, resourceId, sinceSec);
  listActions: Ledger['listActions'] = (ruleId, resourceId, limit) =>
    this.listings.actions(ruleId, resourceId, limit);

  async findOpenByResource(resourceId: string) {
    return (await this.listings.open()).filter((r) => r.resourceId === resourceId);
  }

  async findOpenByAlarm(alarm: AlarmRef) {
    return (await this.listings.open()).filter((r) => isSameAlarm(r, alarm));
  }

  private groupSlots(groupName: string): SlotPool {
    return new SlotPool(this.doc, this.table, this.clock, keys.groupSlots(groupName));
  }
}
