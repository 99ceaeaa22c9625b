/**
 * Remediation records in the ledger table: the record item plus its index items (OPEN by
 * deadline, HISTORY by creation, EXEC by execution id, PENDING_ESC by when an escalation became
 * pending), always written in one transaction so an index never points at a state the record is
 * not in.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  type Clock,
  type EscalationRecord,
  isOpen,
  type LedgerOptions,
  type NewRemediation,
  OVERDUE_LIMIT,
  RemediationExistsError,
  type RemediationPatch,
  type RemediationRecord,
  type RemediationState,
  StateConflictError,
} from '../core/remediation/ledger';
import {
  applyEscalation,
  applyTransition,
  assertLegal,
  buildRecord,
  closedAtSec,
  pendingSince,
} from '../core/remediation/ledger-apply';
import { BLOCKED, HISTORY, type Key, keys, OPEN, PENDING_ESC, pad } from './dynamodb-ledger-keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_MAX = 100;

/** Reads and writes remediation records; part of `DynamoDbLedger`. */
export class RemediationItems {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
    private readonly options: LedgerOptions,
  ) {}

  async create(input: NewRemediation): Promise<RemediationRecord> {
    const record = buildRecord(input, this.clock.nowSec(), this.options);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...record, ...keys.remediation(record.id) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.put(keys.history(record.createdAtSec, record.id), record),
      ...this.indexWrites(undefined, record),
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (firstConditionFailed(error)) throw new RemediationExistsError(record.id);
      throw error;
    }
    return record;
  }

  async transition(
    id: string,
    from: RemediationState,
    to: RemediationState,
    patch: RemediationPatch,
  ): Promise<RemediationRecord> {
    assertLegal(from, to);
    const current = await this.get(id);
    const next = applyTransition(id, current, from, to, patch, this.clock.nowSec(), this.options);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...next, ...keys.remediation(id) },
          // The guard against a concurrent writer that moved the record after our read.
          ConditionExpression: '#state = :from',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':from': from },
        },
      },
      ...this.indexWrites(current, next),
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!firstConditionFailed(error)) throw error;
      const actual = (await this.get(id))?.state ?? from;
      throw new StateConflictError(id, from, actual);
    }
    return next;
  }

  /**
   * Sets only the escalation fields, conditional on the record being escalated or failed, and in
   * the same transaction puts or deletes its PENDING_ESC item (deleted once SNS took it).
   */
  async recordEscalation(id: string, escalation: EscalationRecord): Promise<RemediationRecord> {
    const nowSec = this.clock.nowSec();
    const next = applyEscalation(id, await this.get(id), escalation, nowSec);
    const pendingKey = keys.pendingEscalation(closedAtSec(next), id);
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: keys.remediation(id),
          UpdateExpression: 'SET escalation = :e, updatedAtSec = :now',
          ConditionExpression: 'attribute_exists(pk) AND #state IN (:escalated, :failed)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':e': escalation,
            ':now': nowSec,
            ':escalated': 'escalated',
            ':failed': 'failed',
          },
        },
      },
      pendingSince(next) === undefined
        ? { Delete: { TableName: this.table, Key: pendingKey } }
        : this.put(pendingKey, next),
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!firstConditionFailed(error)) throw error;
      // Not written: the record is gone or no longer closed; throws the reason.
      return applyEscalation(id, await this.get(id), escalation, nowSec);
    }
    return next;
  }

  async get(id: string): Promise<RemediationRecord | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.remediation(id), ConsistentRead: true }),
    );
    return res.Item === undefined ? undefined : toRecord(res.Item);
  }

  async byExecutionId(executionId: string): Promise<RemediationRecord | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.execution(executionId), ConsistentRead: true }),
    );
    const id: unknown = res.Item?.id;
    return typeof id === 'string' ? this.get(id) : undefined;
  }

  /** Every open record, earliest deadline first. */
  async open(): Promise<RemediationRecord[]> {
    return this.load(await this.queryIds({ KeyConditionExpression: 'pk = :pk', ...values(OPEN) }));
  }

  async overdue(nowSec: number, limit: number): Promise<RemediationRecord[]> {
    const max = Math.min(Math.max(0, limit), OVERDUE_LIMIT);
    if (max === 0) return [];
    const ids = await this.queryIds(
      {
        KeyConditionExpression: 'pk = :pk AND sk < :before',
        ExpressionAttributeValues: { ':pk': OPEN, ':before': pad(nowSec + 1) },
      },
      max,
    );
    return this.load(ids);
  }

  async blocked(limit: number): Promise<RemediationRecord[]> {
    const max = Math.min(Math.max(0, limit), OVERDUE_LIMIT);
    if (max === 0) return [];
    return this.load(await this.queryIds({ KeyConditionExpression: 'pk = :pk', ...values(BLOCKED) }, max));
  }

  async pendingEscalations(olderThanSec: number, limit: number): Promise<RemediationRecord[]> {
    const max = Math.min(Math.max(0, limit), OVERDUE_LIMIT);
    if (max === 0) return [];
    const ids = await this.queryIds(
      {
        KeyConditionExpression: 'pk = :pk AND sk < :before',
        ExpressionAttributeValues: { ':pk': PENDING_ESC, ':before': pad(olderThanSec) },
      },
      max,
    );
    return (await this.load(ids)).filter((r) => pendingSince(r) !== undefined);
  }

  async history(limit: number): Promise<RemediationRecord[]> {
    if (limit <= 0) return [];
    const ids = await this.queryIds(
      { KeyConditionExpression: 'pk = :pk', ScanIndexForward: false, ...values(HISTORY) },
      limit,
    );
    return this.load(ids);
  }

  /** OPEN / BLOCKED, PENDING_ESC and EXEC index writes that take `before` (undefined when new) to `after`. */
  private indexWrites(before: RemediationRecord | undefined, after: RemediationRecord): TransactItem[] {
    const items: TransactItem[] = [];
    const pending = pendingSince(after);
    // Only a closing write makes an escalation pending; nothing leaves a closed state here.
    if (pending !== undefined) items.push(this.put(keys.pendingEscalation(pending, after.id), after));
    const oldOpen = before === undefined ? undefined : waitingKey(before);
    const newOpen = waitingKey(after);
    if (oldOpen !== undefined && (oldOpen.pk !== newOpen?.pk || oldOpen.sk !== newOpen.sk)) {
      items.push({ Delete: { TableName: this.table, Key: oldOpen } });
    }
    if (newOpen !== undefined && (newOpen.pk !== oldOpen?.pk || newOpen.sk !== oldOpen.sk)) {
      items.push(this.put(newOpen, after));
    }
    if (after.executionId !== undefined && after.executionId !== before?.executionId) {
      items.push(this.put(keys.execution(after.executionId), after));
    }
    return items;
  }

  /** An index item: the key, the record id, and the record's TTL so indexes expire with it. */
  private put(key: Key, record: RemediationRecord): TransactItem {
    return { Put: { TableName: this.table, Item: { ...key, id: record.id, expiresAt: record.expiresAt } } };
  }

  /** Record ids from index items, in key order, stopping at `limit`. */
  private async queryIds(input: Omit<QueryCommandInput, 'TableName'>, limit = Infinity): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.table,
          ExclusiveStartKey: start,
          ...(Number.isFinite(limit) ? { Limit: limit - ids.length } : {}),
        }),
      );
      for (const item of page.Items ?? []) if (typeof item.id === 'string') ids.push(item.id);
      start = page.LastEvaluatedKey;
    } while (start !== undefined && ids.length < limit);
    return ids;
  }

  /** Records for `ids` in the same order (BatchGetItem returns them unordered). */
  private async load(ids: readonly string[]): Promise<RemediationRecord[]> {
    const found = new Map<string, RemediationRecord>();
    for (let i = 0; i < ids.length; i += BATCH_GET_MAX) {
      let pending: Record<string, unknown>[] | undefined = ids
        .slice(i, i + BATCH_GET_MAX)
        .map((id) => ({ ...keys.remediation(id) }));
      while (pending !== undefined && pending.length > 0) {
        const res: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of res.Responses?.[this.table] ?? []) {
          const record = toRecord(item);
          found.set(record.id, record);
        }
        pending = res.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }
}

/** The record's OPEN or BLOCKED index key, if it is waiting for anything. */
function waitingKey(record: RemediationRecord): Key | undefined {
  if (isOpen(record.state)) return keys.open(record.deadlineSec ?? 0, record.id);
  if (record.state === 'blocked') return keys.blocked(record.deadlineSec ?? 0, record.id);
  return undefined;
}

function values(pk: string) {
  return { ExpressionAttributeValues: { ':pk': pk } };
}

/** Strips the key attributes; the rest was written from a `RemediationRecord`. */
function toRecord(item: Record<string, unknown>): RemediationRecord {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as RemediationRecord;
}

/** Whether a transaction was cancelled because its first item's condition failed. */
function firstConditionFailed(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons: unknown = (error as { CancellationReasons?: unknown }).CancellationReasons;
  if (Array.isArray(reasons)) {
    const first: unknown = reasons[0];
    return (
      typeof first === 'object' &&
      first !== null &&
      'Code' in first &&
      first.Code === 'ConditionalCheckFailed'
    );
  }
  // Some emulators omit the reasons; the message still names the failed condition.
  return /ConditionalCheckFailed/.test(error.message);
}
