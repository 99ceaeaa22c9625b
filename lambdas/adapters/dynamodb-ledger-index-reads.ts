/**
 * Reading remediation records through an index partition of the ledger table: the record ids a
 * Query returns, in key order, then the records themselves by BatchGetItem, in that same order,
 * each decoded (./dynamodb-ledger-record-item.ts) and matched to the index by its key.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { MalformedRecordError, RemediationRecord } from '../core/remediation/ledger';
import { keys } from './dynamodb-ledger-keys';
import { decodeRemediationItem } from './dynamodb-ledger-record-item';

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_MAX = 100;

/** Index Queries and the record reads behind them; part of `RemediationListings`. */
export class IndexReads {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Record ids from index items, in key order, stopping at `limit`. */
  async ids(input: Omit<QueryCommandInput, 'TableName'>, limit = Infinity): Promise<string[]> {
    return (await this.items(input, limit)).flatMap((item) => (typeof item.id === 'string' ? [item.id] : []));
  }

  /** The items a Query returns, in key order, stopping at `limit`. */
  async items(
    input: Omit<QueryCommandInput, 'TableName'>,
    limit = Infinity,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.table,
          ExclusiveStartKey: start,
          ...(Number.isFinite(limit) ? { Limit: limit - items.length } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined && items.length < limit);
    return items;
  }

  /**
   * Records for `ids` in the same order (BatchGetItem returns them unordered), matched by their
   * key, so a malformed item (no string `id`, another id, a bad field) is reported in its place
   * as a {@link MalformedRecordError} instead of vanishing. An id whose record is gone (TTL deletes
   * the index item and the record separately) is left out.
   */
  async records(ids: readonly string[]): Promise<(RemediationRecord | MalformedRecordError)[]> {
    const found = await this.byId(ids);
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** The records of `ids` by id, each decoded as {@link records} does; a gone record has no entry. */
  async byId(ids: readonly string[]): Promise<Map<string, RemediationRecord | MalformedRecordError>> {
    const found = new Map<unknown, RemediationRecord | MalformedRecordError>();
    for (let i = 0; i < ids.length; i += BATCH_GET_MAX) {
      let pending: Record<string, unknown>[] | undefined = ids
        .slice(i, i + BATCH_GET_MAX)
        .map((id) => ({ ...keys.remediation(id) }));
      while (pending !== undefined && pending.length > 0) {
        const res: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of res.Responses?.[this.table] ?? []) found.set(item.pk, decodeRemediationItem(item));
        pending = res.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return new Map(
      ids.flatMap((id) => {
        const entry = found.get(keys.remediation(id).pk);
        return entry === undefined ? [] : [[id, entry] as const];
      }),
    );
  }
}
