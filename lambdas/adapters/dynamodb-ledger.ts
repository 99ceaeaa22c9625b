/**
 * The remediation `Ledger` on one DynamoDB table (single-table design, no GSI).
 *
 * Table: partition key `pk` (S), sort key `sk` (S), TTL attribute `expiresAt` (N, epoch seconds),
 * on-demand. Items:
 *
 * | pk                          | sk                     | holds                                    |
 * |-----------------------------|------------------------|------------------------------------------|
 * | `EVENT#<eventId>`           | `CLAIM`                | event claim until `expiresAt`            |
 * | `TOKEN#<clientToken>`       | `CLAIM`                | SSM ClientToken claim until `expiresAt`  |
 * | `LOCK#<resourceId>`         | `LOCK`                 | `holder`; free once `expiresAt` passed   |
 * | `SLOTS`                     | `SLOTS`                | `active` count, `slot:<id>` = expiry     |
 * | `WINDOW#<rule>#<resource>`  | `<at:10>#<id>`         | one remediation (frequency, cooldown)    |
 * | `FAILED#<rule>`             | `<at:10>#<id>`         | one failed verification (error budget)   |
 * | `RULE#<rule>`               | `FREEZE`               | freeze and last human reset              |
 * | `REM#<id>`                  | `REM`                  | the remediation record                   |
 * | `OPEN`                      | `<deadline:10>#<id>`   | index of open records (sweeper Query)    |
 * | `HISTORY`                   | `<createdAt:10>#<id>`  | index of all records (CLI history Query) |
 * | `EXEC#<executionId>`        | `EXEC`                 | execution id → record id                 |
 *
 * Expiry decisions compare `expiresAt` with the injected clock in the condition itself, because
 * TTL deletion lags by up to days. An active freeze has no TTL: only a human lifts it.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Clock, Ledger, LedgerOptions, RuleFreeze } from '../core/remediation/ledger';
import { retentionExpiry } from '../core/remediation/ledger-apply';
import { type Key, keys, pad } from './dynamodb-ledger-keys';
import { RemediationItems } from './dynamodb-ledger-records';
import { GlobalSlots } from './dynamodb-ledger-slots';

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
  private readonly records: RemediationItems;
  private readonly slots: GlobalSlots;

  constructor(private readonly props: DynamoDbLedgerProps) {
    this.doc = props.client;
    this.table = props.tableName;
    this.clock = props.clock;
    this.records = new RemediationItems(this.doc, this.table, this.clock, props);
    this.slots = new GlobalSlots(this.doc, this.table, this.clock);
  }

  claimEvent(eventId: string, expiresAtSec: number) {
    return this.claim(keys.event(eventId), expiresAtSec);
  }

  claimClientToken(token: string, expiresAtSec: number) {
    return this.claim(keys.token(token), expiresAtSec);
  }

  acquireResourceLock(resourceId: string, remediationId: string, expiresAtSec: number) {
    return this.conditional(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.lock(resourceId), holder: remediationId, expiresAt: expiresAtSec },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now OR holder = :me',
        ExpressionAttributeValues: { ':now': this.clock.nowSec(), ':me': remediationId },
      }),
    );
  }

  releaseResourceLock(resourceId: string, remediationId: string) {
    return this.conditional(
      new DeleteCommand({
        TableName: this.table,
        Key: keys.lock(resourceId),
        ConditionExpression: 'holder = :me',
        ExpressionAttributeValues: { ':me': remediationId },
      }),
    );
  }

  acquireGlobalSlot(remediationId: string, cap: number, expiresAtSec: number) {
    return this.slots.acquire(remediationId, cap, expiresAtSec);
  }

  releaseGlobalSlot(remediationId: string) {
    return this.slots.release(remediationId);
  }

  activeGlobalSlots() {
    return this.slots.active();
  }

  reclaimExpiredSlots() {
    return this.slots.reclaimExpired();
  }

  recordRemediation(ruleId: string, resourceId: string, atSec: number, remediationId?: string) {
    return this.mark(keys.window(ruleId, resourceId), atSec, remediationId);
  }

  countRemediations(ruleId: string, resourceId: string, sinceSec: number) {
    return this.countSince(keys.window(ruleId, resourceId), sinceSec);
  }

  async lastRemediationAt(ruleId: string, resourceId: string): Promise<number | undefined> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.window(ruleId, resourceId) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const at: unknown = res.Items?.[0]?.atSec;
    return typeof at === 'number' ? at : undefined;
  }

  recordFailedVerification(ruleId: string, atSec: number, remediationId?: string) {
    return this.mark(keys.failed(ruleId), atSec, remediationId);
  }

  countFailedVerifications(ruleId: string, sinceSec: number) {
    return this.countSince(keys.failed(ruleId), sinceSec);
  }

  async freezeRule(ruleId: string, reason: string): Promise<void> {
    // Keeps the first freeze's reason and time: the earliest evidence is what a human needs.
    await this.conditional(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.freeze(ruleId), ruleId, frozen: true, reason, frozenAtSec: this.clock.nowSec() },
        ConditionExpression: 'attribute_not_exists(pk) OR frozen = :no',
        ExpressionAttributeValues: { ':no': false },
      }),
    );
  }

  async isRuleFrozen(ruleId: string): Promise<boolean> {
    return (await this.getRuleFreeze(ruleId))?.frozen === true;
  }

  async getRuleFreeze(ruleId: string): Promise<RuleFreeze | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.freeze(ruleId), ConsistentRead: true }),
    );
    if (res.Item === undefined) return undefined;
    const { pk: _pk, sk: _sk, expiresAt: _ttl, ...freeze } = res.Item;
    return freeze as RuleFreeze;
  }

  async resetRule(ruleId: string, by: string): Promise<void> {
    const now = this.clock.nowSec();
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.freeze(ruleId),
        UpdateExpression:
          'SET ruleId = :rule, frozen = :no, resetBy = :by, resetAtSec = :now, expiresAt = :ttl, ' +
          'reason = if_not_exists(reason, :empty), frozenAtSec = if_not_exists(frozenAtSec, :now)',
        ExpressionAttributeValues: {
          ':rule': ruleId,
          ':no': false,
          ':by': by,
          ':now': now,
          ':ttl': retentionExpiry(now, this.props),
          ':empty': '',
        },
      }),
    );
  }

  createRemediation: Ledger['createRemediation'] = (record) => this.records.create(record);
  transition: Ledger['transition'] = (id, from, to, patch = {}) =>
    this.records.transition(id, from, to, patch);
  getRemediation: Ledger['getRemediation'] = (id) => this.records.get(id);
  findByExecutionId: Ledger['findByExecutionId'] = (id) => this.records.byExecutionId(id);
  listOpen: Ledger['listOpen'] = () => this.records.open();
  listOverdue: Ledger['listOverdue'] = (nowSec, limit = 100) => this.records.overdue(nowSec, limit);
  listHistory: Ledger['listHistory'] = (limit) => this.records.history(limit);

  async findOpenByResource(resourceId: string) {
    return (await this.records.open()).filter((r) => r.resourceId === resourceId);
  }

  async findOpenByAlarm(alarmName: string) {
    return (await this.records.open()).filter((r) => r.alarmName === alarmName);
  }

  private claim(key: Key, expiresAtSec: number): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.table,
        Item: { ...key, expiresAt: expiresAtSec },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
        ExpressionAttributeValues: { ':now': this.clock.nowSec() },
      }),
    );
  }

  /** Sends a conditional write: true when it was applied, false when its condition failed. */
  private async conditional(command: PutCommand | DeleteCommand): Promise<boolean> {
    try {
      if (command instanceof PutCommand) await this.doc.send(command);
      else await this.doc.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** One timestamped item; the same remediation id at the same time overwrites itself. */
  private async mark(pk: string, atSec: number, id: string = crypto.randomUUID()): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.timed(pk, atSec, id), atSec, expiresAt: retentionExpiry(atSec, this.props) },
      }),
    );
  }

  private async countSince(pk: string, sinceSec: number): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk >= :since',
          ExpressionAttributeValues: { ':pk': pk, ':since': pad(sinceSec) },
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return count;
  }
}
