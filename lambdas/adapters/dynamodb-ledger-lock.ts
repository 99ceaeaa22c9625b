/**
 * Resource lock items of the ledger table (`LOCK#<resourceId>` / `LOCK`): one holder per resource,
 * free once `expiresAt` has passed by the injected clock (TTL deletion lags). Part of
 * `DynamoDbLedger`.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../core/remediation/ledger';
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
}
