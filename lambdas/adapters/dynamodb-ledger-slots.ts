/**
 * A concurrency cap as one item (the global slots, or one Auto Scaling group's): an `active` counter and one `slot:<remediationId>`
 * attribute per holder whose value is the slot's expiry. Counter and holder change in the same
 * conditional UpdateItem, so concurrent acquirers can never push `active` past the cap, and an
 * expired holder is removed only if its expiry is unchanged (a racing reclaimer frees it once; a
 * holder that acquires again moves its expiry in one conditional write, so either wins whole).
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock, Hold } from '../core/remediation/ledger';
import { conditionalWrite, newWriteId, WRITE_ID } from './dynamodb-ledger-conditional';
import { type Key, SLOT_COUNT, SLOT_PREFIX } from './dynamodb-ledger-keys';

/**
 * Rounds of take → read → reclaim before giving up under contention. Each round some acquirer
 * progresses, so a few rounds suffice; giving up only ever under-uses the cap, never exceeds it.
 */
const MAX_ATTEMPTS = 8;

/** One pool of slots of `DynamoDbLedger`, stored in the item at `key`. */
export class SlotPool {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
    private readonly key: Key,
  ) {}

  async acquire(remediationId: string, cap: number, expiresAtSec: number): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (await this.take(remediationId, cap, expiresAtSec)) return true;
      // Re-entrant: a holder acquiring again (a resumed start) keeps its slot until its new expiry.
      if (await this.extend(remediationId, expiresAtSec)) return true;
      const holders = await this.holders();
      // Taken by a racing acquire with the same id since: the next round's extend sets the expiry.
      if (holders.has(remediationId)) continue;
      const now = this.clock.nowSec();
      // Full of live holders: a real "no". Otherwise expired holders (perhaps crashed) block the
      // count; free them (or see a racing acquirer free them) and try again.
      if ([...holders.values()].filter((expiresAt) => expiresAt > now).length >= cap) return false;
      await this.reclaim(holders);
    }
    return false;
  }

  async release(remediationId: string): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key,
        UpdateExpression: 'REMOVE #slot ADD #active :minus',
        ConditionExpression: 'attribute_exists(#slot)',
        ExpressionAttributeNames: { '#slot': SLOT_PREFIX + remediationId, '#active': SLOT_COUNT },
        ExpressionAttributeValues: { ':minus': -1 },
      }),
    );
  }

  async active(): Promise<number> {
    return (await this.liveHolders()).length;
  }

  /** The holders whose slot has not expired, and when each lapses. */
  async liveHolders(): Promise<Hold[]> {
    const now = this.clock.nowSec();
    return [...(await this.holders())]
      .filter(([, expiresAt]) => expiresAt > now)
      .map(([remediationId, expiresAtSec]) => ({ remediationId, expiresAtSec }));
  }

  async reclaimExpired(): Promise<number> {
    return this.reclaim(await this.holders());
  }

  private take(remediationId: string, cap: number, expiresAtSec: number): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key,
        UpdateExpression: 'SET #slot = :exp ADD #active :one',
        ConditionExpression:
          'attribute_not_exists(#slot) AND (attribute_not_exists(#active) OR #active < :cap)',
        ExpressionAttributeNames: { '#slot': SLOT_PREFIX + remediationId, '#active': SLOT_COUNT },
        ExpressionAttributeValues: { ':exp': expiresAtSec, ':one': 1, ':cap': cap },
      }),
    );
  }

  /**
   * Moves `remediationId`'s slot to expire at `expiresAtSec`, if it holds one (expired or not: the
   * counter still counts it until a reclaim removes it, so the cap holds).
   */
  private extend(remediationId: string, expiresAtSec: number): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key,
        UpdateExpression: 'SET #slot = :exp',
        ConditionExpression: 'attribute_exists(#slot)',
        ExpressionAttributeNames: { '#slot': SLOT_PREFIX + remediationId },
        ExpressionAttributeValues: { ':exp': expiresAtSec },
      }),
    );
  }

  /**
   * Frees each expired holder in `holders`; returns how many this call freed. Each removal also
   * stores its write id, so one whose answer was lost and that the SDK re-sent (the retry then
   * finds the holder gone) still counts as this call's (see {@link conditionalWrite}).
   */
  private async reclaim(holders: ReadonlyMap<string, number>): Promise<number> {
    const now = this.clock.nowSec();
    let freed = 0;
    for (const [id, expiresAt] of holders) {
      if (expiresAt > now) continue;
      const writeId = newWriteId();
      const removed = await conditionalWrite(
        () =>
          this.doc.send(
            new UpdateCommand({
              TableName: this.table,
              Key: this.key,
              UpdateExpression: 'REMOVE #slot SET #writeId = :writeId ADD #active :minus',
              ConditionExpression: '#slot = :exp',
              ExpressionAttributeNames: {
                '#slot': SLOT_PREFIX + id,
                '#active': SLOT_COUNT,
                '#writeId': WRITE_ID,
              },
              ExpressionAttributeValues: { ':minus': -1, ':exp': expiresAt, ':writeId': writeId },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        writeId,
      );
      if (removed) freed += 1;
    }
    return freed;
  }

  /** Holder id → slot expiry, read consistently. */
  private async holders(): Promise<Map<string, number>> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: this.key, ConsistentRead: true }),
    );
    const holders = new Map<string, number>();
    for (const [name, value] of Object.entries(res.Item ?? {})) {
      if (name.startsWith(SLOT_PREFIX) && typeof value === 'number') {
        holders.set(name.slice(SLOT_PREFIX.length), value);
      }
    }
    return holders;
  }

  private conditional(command: UpdateCommand): Promise<boolean> {
    return conditionalWrite(() => this.doc.send(command));
  }
}
