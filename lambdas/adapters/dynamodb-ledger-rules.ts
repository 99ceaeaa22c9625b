/**
 * Per-rule items of the ledger table: sliding-window timestamps (one item each, counted by a
 * sort-key range Query) and the error-budget freeze. Part of `DynamoDbLedger`.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Clock, LedgerOptions, RuleFreeze } from '../core/remediation/ledger';
import { retentionExpiry } from '../core/remediation/ledger-apply';
import { conditionalWrite, newWriteId, WRITE_ID } from './dynamodb-ledger-conditional';
import { keys, pad } from './dynamodb-ledger-keys';

/**
 * The item of one timestamped mark under `pk` (a remediation for the frequency limit and the
 * cooldown, or a failed verification): the same id at the same time is the same item, so writing
 * it again overwrites itself. For a Put of its own or inside a record's transaction.
 */
export function markItem(pk: string, atSec: number, id: string, options: LedgerOptions) {
  return { ...keys.timed(pk, atSec, id), atSec, expiresAt: retentionExpiry(atSec, options) };
}

export class RuleItems {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
    private readonly options: LedgerOptions,
  ) {}

  /** One timestamped item under `pk`; the same id at the same time overwrites itself. */
  async mark(pk: string, atSec: number, id: string = crypto.randomUUID()): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: markItem(pk, atSec, id, this.options) }),
    );
  }

  /** Items under `pk` at or after `sinceSec`, counted page by page (no item bodies read). */
  async countSince(pk: string, sinceSec: number): Promise<number> {
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

  /** Time of the latest item under `pk`. */
  async latest(pk: string): Promise<number | undefined> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const at: unknown = res.Items?.[0]?.atSec;
    return typeof at === 'number' ? at : undefined;
  }

  async freeze(ruleId: string, reason: string): Promise<void> {
    // Keeps the first freeze's reason and time: the earliest evidence is what a human needs. No
    // TTL while frozen: only a human lifts a freeze, never the table's expiry.
    await conditionalWrite(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.freeze(ruleId), ruleId, frozen: true, reason, frozenAtSec: this.clock.nowSec() },
          ConditionExpression: 'attribute_not_exists(pk) OR frozen = :no',
          ExpressionAttributeValues: { ':no': false },
        }),
      ),
    );
  }

  async getFreeze(ruleId: string): Promise<RuleFreeze | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.freeze(ruleId), ConsistentRead: true }),
    );
    if (res.Item === undefined) return undefined;
    const { pk: _pk, sk: _sk, expiresAt: _ttl, [WRITE_ID]: _write, ...freeze } = res.Item;
    return freeze as RuleFreeze;
  }

  /**
   * With `expected`, a conditional update on the freeze read before; its write id tells a retry
   * of an applied reset (the SDK's, after a lost answer) from a freeze changed by someone else.
   */
  async reset(ruleId: string, by: string, expected?: { readonly frozenAtSec: number }): Promise<boolean> {
    const now = this.clock.nowSec();
    const writeId = newWriteId();
    return conditionalWrite(
      () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.freeze(ruleId),
            UpdateExpression:
              'SET ruleId = :rule, frozen = :no, resetBy = :by, resetAtSec = :now, expiresAt = :ttl, ' +
              `reason = if_not_exists(reason, :empty), frozenAtSec = if_not_exists(frozenAtSec, :now), ${WRITE_ID} = :writeId`,
            ExpressionAttributeValues: {
              ':rule': ruleId,
              ':no': false,
              ':by': by,
              ':now': now,
              ':ttl': retentionExpiry(now, this.options),
              ':empty': '',
              ':writeId': writeId,
              ...(expected === undefined ? {} : { ':yes': true, ':frozenAt': expected.frozenAtSec }),
            },
            ...(expected === undefined
              ? {}
              : {
                  ConditionExpression: 'frozen = :yes AND frozenAtSec = :frozenAt',
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
                }),
          }),
        ),
      writeId,
    );
  }
}
