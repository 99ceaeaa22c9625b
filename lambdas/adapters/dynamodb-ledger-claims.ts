/**
 * Event claim items of the ledger table (`EVENT#<eventId>` / `CLAIM`): taken by a conditional
 * put, swapped or deleted only as the caller saw them. Part of `DynamoDbLedger`.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock, EventClaim } from '../core/remediation/ledger';
import { conditionalWrite, newWriteId, WRITE_ID } from './dynamodb-ledger-conditional';
import { keys } from './dynamodb-ledger-keys';

/** Reads and writes event claims; part of `DynamoDbLedger`. */
export class EventClaimItems {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  claim(eventId: string, claim: EventClaim) {
    return this.putClaim(eventId, claim, 'attribute_not_exists(pk) OR expiresAt <= :now', {
      ':now': this.clock.nowSec(),
    });
  }

  async get(eventId: string): Promise<EventClaim | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.event(eventId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const { claimedAt, leaseSec, expiresAt, ownerRequestId } = Item as ClaimAttributes;
    return {
      expiresAtSec: expiresAt ?? 0,
      ...(claimedAt === undefined ? {} : { claimedAtSec: claimedAt }),
      ...(leaseSec === undefined ? {} : { leaseSec }),
      ...(ownerRequestId === undefined ? {} : { ownerRequestId }),
    };
  }

  takeOver(eventId: string, seen: EventClaim, claim: EventClaim) {
    const same = sameClaim(seen);
    return this.putClaim(eventId, claim, same.condition, same.values);
  }

  release(eventId: string, claim: EventClaim) {
    const same = sameClaim(claim);
    return conditionalWrite(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.event(eventId),
          ConditionExpression: same.condition,
          ExpressionAttributeValues: same.values,
        }),
      ),
    );
  }

  /**
   * Puts `claim` under `condition`, with its own write id and the stored item returned when the
   * condition fails: a retry of this put that DynamoDB applied but did not answer reads as a win.
   */
  private putClaim(
    eventId: string,
    claim: EventClaim,
    condition: string,
    values: Record<string, string | number>,
  ) {
    const writeId = newWriteId();
    return conditionalWrite(
      () =>
        this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: claimItem(eventId, claim, writeId),
            ConditionExpression: condition,
            ExpressionAttributeValues: values,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      writeId,
    );
  }
}

/** A claim item's attributes, each absent on items written before it was stored. */
interface ClaimAttributes {
  readonly expiresAt?: number;
  readonly claimedAt?: number;
  readonly leaseSec?: number;
  /** The owner attempt's Lambda request id. */
  readonly ownerRequestId?: string;
}

/**
 * The claim item written by the write `writeId` (so that a retry of that write, applied but
 * unanswered, is recognised as its own); `expiresAt` (epoch seconds) is the table's TTL attribute.
 */
function claimItem(eventId: string, claim: EventClaim, writeId: string) {
  const item: ClaimAttributes = {
    expiresAt: claim.expiresAtSec,
    claimedAt: claim.claimedAtSec,
    leaseSec: claim.leaseSec,
    ownerRequestId: claim.ownerRequestId,
  };
  return { ...keys.event(eventId), ...item, [WRITE_ID]: writeId };
}

/**
 * The condition that the stored claim is still `claim`: same expiry, and same time and owner
 * request id (each, or still none).
 */
function sameClaim(claim: EventClaim): { condition: string; values: Record<string, string | number> } {
  const sameTime =
    claim.claimedAtSec === undefined ? 'attribute_not_exists(claimedAt)' : 'claimedAt = :seenAt';
  const sameOwner =
    claim.ownerRequestId === undefined
      ? 'attribute_not_exists(ownerRequestId)'
      : 'ownerRequestId = :seenOwner';
  return {
    condition: `expiresAt = :seenExpires AND ${sameTime} AND ${sameOwner}`,
    values: {
      ':seenExpires': claim.expiresAtSec,
      ...(claim.claimedAtSec === undefined ? {} : { ':seenAt': claim.claimedAtSec }),
      ...(claim.ownerRequestId === undefined ? {} : { ':seenOwner': claim.ownerRequestId }),
    },
  };
}
