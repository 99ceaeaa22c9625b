/**
 * Remediation records in the ledger table: the record item plus its index items (OPEN or BLOCKED
 * by deadline, STARTED by when it entered `started`, HISTORY by creation, EXEC by execution id, PENDING_ESC by when an escalation became
 * pending), always written in one transaction so an index never points at a state the record is
 * not in. The index items are built in ./dynamodb-ledger-index-items.ts and read back through
 * ./dynamodb-ledger-index-reads.ts.
 *
 * Every record read is decoded (./dynamodb-ledger-record-item.ts). A malformed one fails the read
 * with `MalformedRecordError`, on single reads and listings alike: the Lambdas act on what they
 * read (transition it, count it as open, escalate it), and a partial view of the ledger is no
 * safer to act on than a broken record. Only `historyEntries`, for people, reports it in place.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Clock,
  type EscalationRecord,
  type LedgerOptions,
  type MalformedRecordError,
  type NewRemediation,
  OVERDUE_LIMIT,
  RemediationExistsError,
  type RemediationPatch,
  type RemediationRecord,
  type RemediationState,
  StateConflictError,
} from '../core/remediation/ledger';
import {
  applyAutomationSucceeded,
  applyEscalation,
  applyTransition,
  assertLegal,
  buildRecord,
  closedAtSec,
  pendingSince,
} from '../core/remediation/ledger-apply';
import { firstConditionFailed } from './dynamodb-ledger-conditional';
import { indexWrites, putIndexItem, type TransactItem } from './dynamodb-ledger-index-items';
import { IndexReads } from './dynamodb-ledger-index-reads';
import { BLOCKED, HISTORY, keys, OPEN, PENDING_ESC, pad, STARTED } from './dynamodb-ledger-keys';
import { remediationFromItem, wellFormed } from './dynamodb-ledger-record-item';

/** Reads and writes remediation records; part of `DynamoDbLedger`. */
export class RemediationItems {
  private readonly reads: IndexReads;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
    private readonly options: LedgerOptions,
  ) {
    this.reads = new IndexReads(doc, table);
  }

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
      putIndexItem(this.table, keys.history(record.createdAtSec, record.id), record),
      ...indexWrites(this.table, undefined, record),
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
      ...indexWrites(this.table, current, next),
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
   * Sets only the escalation fields, conditional on the record being escalated, failed or observed
   * (`NOTIFIED_STATES`), and in the same transaction puts or deletes its PENDING_ESC item (deleted
   * once SNS took it; an observed record never has one).
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
          ConditionExpression: 'attribute_exists(pk) AND #state IN (:escalated, :failed, :observed)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':e': escalation,
            ':now': nowSec,
            ':escalated': 'escalated',
            ':failed': 'failed',
            ':observed': 'observed',
          },
        },
      },
      pendingSince(next) === undefined
        ? { Delete: { TableName: this.table, Key: pendingKey } }
        : putIndexItem(this.table, pendingKey, next),
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

  /** Sets `automationSucceededAtSec` (if not set yet), conditional on the record being open. */
  async recordAutomationSucceeded(id: string, atSec: number): Promise<RemediationRecord> {
    const nowSec = this.clock.nowSec();
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.remediation(id),
          UpdateExpression:
            'SET automationSucceededAtSec = if_not_exists(automationSucceededAtSec, :at), updatedAtSec = :now',
          ConditionExpression: 'attribute_exists(pk) AND #state IN (:started, :verifying)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':at': atSec,
            ':now': nowSec,
            ':started': 'started',
            ':verifying': 'verifying',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return remediationFromItem(res.Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Not written: the record is gone or closed; throws the reason.
      return applyAutomationSucceeded(id, await this.get(id), atSec, nowSec);
    }
  }

  async get(id: string): Promise<RemediationRecord | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.remediation(id), ConsistentRead: true }),
    );
    return res.Item === undefined ? undefined : remediationFromItem(res.Item);
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
    return wellFormed(
      await this.reads.records(await this.reads.ids({ KeyConditionExpression: 'pk = :pk', ...values(OPEN) })),
    );
  }

  async overdue(nowSec: number, limit: number): Promise<RemediationRecord[]> {
    return this.indexedBefore(OPEN, nowSec + 1, limit);
  }

  async blocked(limit: number): Promise<RemediationRecord[]> {
    const max = Math.min(Math.max(0, limit), OVERDUE_LIMIT);
    if (max === 0) return [];
    return wellFormed(
      await this.reads.records(
        await this.reads.ids({ KeyConditionExpression: 'pk = :pk', ...values(BLOCKED) }, max),
      ),
    );
  }

  async stalledStarts(startedAtOrBeforeSec: number, limit: number): Promise<RemediationRecord[]> {
    // An index item read just before its record moved on: only records still `started` count.
    const records = await this.indexedBefore(STARTED, startedAtOrBeforeSec + 1, limit);
    return records.filter((r) => r.state === 'started');
  }

  async pendingEscalations(olderThanSec: number, limit: number): Promise<RemediationRecord[]> {
    const records = await this.indexedBefore(PENDING_ESC, olderThanSec, limit);
    return records.filter((r) => pendingSince(r) !== undefined);
  }

  /**
   * The records of index partition `pk` whose sort key (a padded time, then the id) is before
   * `beforeSec`, earliest first, at most `limit` (capped at {@link OVERDUE_LIMIT}).
   */
  private async indexedBefore(pk: string, beforeSec: number, limit: number): Promise<RemediationRecord[]> {
    const max = Math.min(Math.max(0, limit), OVERDUE_LIMIT);
    if (max === 0) return [];
    const ids = await this.reads.ids(
      {
        KeyConditionExpression: 'pk = :pk AND sk < :before',
        ExpressionAttributeValues: { ':pk': pk, ':before': pad(beforeSec) },
      },
      max,
    );
    return wellFormed(await this.reads.records(ids));
  }

  async history(limit: number): Promise<RemediationRecord[]> {
    return wellFormed(await this.historyEntries(limit));
  }

  /**
   * The newest `limit` remediations, newest first, each malformed item reported in its place (see
   * `DynamoDbLedger.readHistory`).
   */
  async historyEntries(limit: number): Promise<(RemediationRecord | MalformedRecordError)[]> {
    if (limit <= 0) return [];
    const ids = await this.reads.ids(
      { KeyConditionExpression: 'pk = :pk', ScanIndexForward: false, ...values(HISTORY) },
      limit,
    );
    return this.reads.records(ids);
  }
}

function values(pk: string) {
  return { ExpressionAttributeValues: { ':pk': pk } };
}
