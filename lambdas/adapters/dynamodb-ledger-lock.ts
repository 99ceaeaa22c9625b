/**
 * Resource lock items of the ledger table (`LOCK#<resourceId>` / `LOCK`): one holder per resource,
 * free once `expiresAt` has passed by the injected clock (TTL deletion lags). Part of
 * `DynamoDbLedger`.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock, Hold } from '../core/remediation/ledger';
import { conditionalWrite } from './dynamodb-ledger-conditional';
import { keys } from './dynamodb-ledger-keys';

/** Takes and gives back resource locks; part of `DynamoDbLedger`. */
export class ResourceLocks {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  acquire(resourceId: string, remediationId: string, expiresAtSec: number) {
    return conditionalWrite(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.lock(resourceId), holder: remediationId, expiresAt: expiresAtSec },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now OR holder = :me',
          ExpressionAttributeValues: { ':now': this.clock.nowSec(), ':me': remediationId },
        }),
      ),
    );
  }

  release(resourceId: string, remediationId: string) {
    return conditionalWrite(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.lock(resourceId),
          ConditionExpression: 'holder = :me',
          ExpressionAttributeValues: { ':me': remediationId },
        }),
      ),
    );
  }

  /** The lock's holder and expiry, read consistently; undefined when free or expired by the clock. */
  async holder(resourceId: string): Promise<Hold | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.lock(resourceId), ConsistentRead: true }),
    );
    const holder: unknown = res.Item?.holder;
    const expiresAt: unknown = res.Item?.expiresAt;
    if (typeof holder !== 'string' || typeof expiresAt !== 'number') return undefined;
    return expiresAt > this.clock.nowSec() ? { remediationId: holder, expiresAtSec: expiresAt } : undefined;
  }
}
