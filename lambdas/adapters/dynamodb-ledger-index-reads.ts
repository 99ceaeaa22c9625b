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

  /**
   * Records for `ids` in the same order (BatchGetItem returns them unordered), matched by their
   * key, so a malformed item (no string `id`, another id, a bad field) is reported in its place
   * as a {@link MalformedRecordError} instead of vanishing. An id whose record is gone (TTL deletes
   * the index item and the record separately) is left out.
   */
  async records(ids: readonly string[]): Promise<(RemediationRecord | MalformedRecordError)[]> {
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
    return ids.flatMap((id) => found.get(keys.remediation(id).pk) ?? []);
  }
}
