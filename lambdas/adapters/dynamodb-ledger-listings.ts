/**
 * Listing remediation records through the ledger table's index partitions (OPEN and BLOCKED by
 * deadline, STARTED by when a record entered `started`, PENDING_ESC by when an escalation became
 * pending, HISTORY, DEFECT#<rule>#<resource> and ACTION#<rule>#<resource> by creation): the ids a
 * Query returns, then the records themselves (./dynamodb-ledger-index-reads.ts), each decoded
 * (./dynamodb-ledger-record-item.ts).
 *
 * A malformed item fails `open` with `MalformedRecordError`: the Lambdas decide on the open
 * remediations (the resource lock, the blast radius), and a partial view of them is no safer to
 * act on than a broken record. The sweeper's work lists (overdue, blocked, stalled starts, pending
 * escalations) report it apart from the records instead (`SweepListing`), so one bad item does not
 * stop the others being handled; `history` (read for people), the defect escalations and the
 * actions (an escalation's evidence) report it in place.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  MalformedRecordError,
  OVERDUE_LIMIT,
  type RemediationRecord,
  type SweepListing,
  splitMalformed,
} from '../core/remediation/ledger';
import { isAction, pendingSince } from '../core/remediation/ledger-apply';
import { IndexReads } from './dynamodb-ledger-index-reads';
import {
  actionPartition,
  BLOCKED,
  defectPartition,
  HISTORY,
  keys,
  OPEN,
  PENDING_ESC,
  pad,
  parseTimedKey,
  STARTED,
} from './dynamodb-ledger-keys';
import { wellFormed } from './dynamodb-ledger-record-item';

/** Index listings of remediation records; part of `DynamoDbLedger`. */
export class RemediationListings {
  private readonly reads: IndexReads;

  constructor(doc: DynamoDBDocumentClient, table: string) {
    this.reads = new IndexReads(doc, table);
  }

  /** Every open record, earliest deadline first. */
  async open(): Promise<RemediationRecord[]> {
    return wellFormed(
      await this.reads.records(await this.reads.ids({ KeyConditionExpression: 'pk = :pk', ...values(OPEN) })),
    );
  }

  async overdue(nowSec: number, limit: number): Promise<SweepListing> {
    return this.indexedBefore(OPEN, nowSec + 1, limit);
  }

  async blocked(limit: number): Promise<SweepListing> {
    const max = Math.min(Math.max(0, limit), OVERDUE_LIMIT);
    if (max === 0) return EMPTY;
    const ids = await this.reads.ids({ KeyConditionExpression: 'pk = :pk', ...values(BLOCKED) }, max);
    return splitMalformed(await this.reads.records(ids));
  }

  async stalledStarts(startedAtOrBeforeSec: number, limit: number): Promise<SweepListing> {
    // An index item read just before its record moved on: only records still `started` count.
    const listed = await this.indexedBefore(STARTED, startedAtOrBeforeSec + 1, limit);
    return { ...listed, records: listed.records.filter((r) => r.state === 'started') };
  }

  async pendingEscalations(olderThanSec: number, limit: number): Promise<SweepListing> {
    const listed = await this.indexedBefore(PENDING_ESC, olderThanSec, limit);
    return { ...listed, records: listed.records.filter((r) => pendingSince(r) !== undefined) };
  }

  /**
   * The records of index partition `pk` whose sort key (a padded time, then the id) is before
   * `beforeSec`, earliest first, at most `limit` (capped at {@link OVERDUE_LIMIT}).
   */
  private async indexedBefore(pk: string, beforeSec: number, limit: number): Promise<SweepListing> {
    const max = Math.min(Math.max(0, limit), OVERDUE_LIMIT);
    if (max === 0) return EMPTY;
    const ids = await this.reads.ids(
      {
        KeyConditionExpression: 'pk = :pk AND sk < :before',
        ExpressionAttributeValues: { ':pk': pk, ':before': pad(beforeSec) },
      },
      max,
    );
    return splitMalformed(await this.reads.records(ids));
  }

  /** The newest `limit` remediations, newest first, each malformed item reported in its place. */
  async history(limit: number): Promise<(RemediationRecord | MalformedRecordError)[]> {
    if (limit <= 0) return [];
    const ids = await this.reads.ids(
      { KeyConditionExpression: 'pk = :pk', ScanIndexForward: false, ...values(HISTORY) },
      limit,
    );
    return this.reads.records(ids);
  }

  /** `ruleId`'s defect escalations on `resourceId` created at or after `sinceSec`, newest first. */
  async defectEscalations(
    ruleId: string,
    resourceId: string,
    sinceSec: number,
  ): Promise<(RemediationRecord | MalformedRecordError)[]> {
    const ids = await this.reads.ids({
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      ScanIndexForward: false,
      ExpressionAttributeValues: { ':pk': defectPartition(ruleId, resourceId), ':since': pad(sinceSec) },
    });
    return this.reads.records(ids);
  }

  /**
   * `ruleId`'s actions on `resourceId`, newest created first, at most `limit`: the newest `limit`
   * items of their ACTION partition, merged with the newest `limit` `WINDOW` marks of the pair.
   * The marks name the remediations the frequency limit counts, so they find the actions that
   * ran before the ACTION index existed (their records have no ACTION item until written again);
   * an action with an item is named by both and read once. A start SSM refused before then has
   * neither and is not listed. A record moved on since the Query (no longer an action) is left
   * out; a malformed one is kept, placed by its index item's time.
   */
  async actions(
    ruleId: string,
    resourceId: string,
    limit: number,
  ): Promise<(RemediationRecord | MalformedRecordError)[]> {
    if (limit <= 0) return [];
    const newest = async (pk: string) =>
      (
        await this.reads.items(
          { KeyConditionExpression: 'pk = :pk', ScanIndexForward: false, ...values(pk) },
          limit,
        )
      ).flatMap((item) => parseTimedKey(item.sk) ?? []);
    const [indexed, marked] = await Promise.all([
      newest(actionPartition(ruleId, resourceId)),
      newest(keys.window(ruleId, resourceId)),
    ]);
    // By id, each at its creation time when the ACTION item names it.
    const refs = new Map([...marked, ...indexed].map((ref) => [ref.id, ref.atSec]));
    const found = await this.reads.byId([...refs.keys()]);
    const listed = [...refs].flatMap(([id, atSec]) => {
      const entry = found.get(id);
      if (entry === undefined || (!(entry instanceof MalformedRecordError) && !isAction(entry))) return [];
      return [{ id, entry, atSec: entry instanceof MalformedRecordError ? atSec : entry.createdAtSec }];
    });
    listed.sort((a, b) => b.atSec - a.atSec || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return listed.slice(0, limit).map(({ entry }) => entry);
  }
}

const EMPTY: SweepListing = { records: [], malformed: [] };

function values(pk: string) {
  return { ExpressionAttributeValues: { ':pk': pk } };
}
