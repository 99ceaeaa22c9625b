/**
 * Remediation records in the ledger table: the record item plus its index items (OPEN or BLOCKED
 * by deadline, STARTED by when it entered `started`, HISTORY by creation, EXEC by execution id,
 * PENDING_ESC by when an escalation became pending, DEFECT for a rule-defect escalation, ACTION
 * while the record is an action), always written in one transaction so an
 * index never points at a state the record is not in. The index items are built in
 * ./dynamodb-ledger-index-items.ts; listings read them back in ./dynamodb-ledger-listings.ts. A
 * transition's effects (`TransitionEffects`: the remediation count a close may carry) join the
 * same transaction.
 *
 * Every record read is decoded (./dynamodb-ledger-record-item.ts). A malformed one fails the read
 * with `MalformedRecordError`: the Lambdas act on what they read (transition it, escalate it).
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
  type NewRemediation,
  RemediationExistsError,
  type RemediationPatch,
  type RemediationRecord,
  type RemediationState,
  StateConflictError,
  type TransitionEffects,
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
import { keys } from './dynamodb-ledger-keys';
import { remediationFromItem } from './dynamodb-ledger-record-item';
import { markItem } from './dynamodb-ledger-rules';

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
    effects: TransitionEffects,
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
    const countAtSec = effects.remediationCountAtSec?.(next);
    if (countAtSec !== undefined) {
      const counted = markItem(keys.window(next.ruleId, next.resourceId), countAtSec, id, this.options);
      items.push({ Put: { TableName: this.table, Item: counted } });
    }
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
}
