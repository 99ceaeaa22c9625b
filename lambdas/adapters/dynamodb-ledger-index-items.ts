/**
 * The index items of a remediation record (OPEN or BLOCKED by deadline, HISTORY by creation, EXEC
 * by execution id, PENDING_ESC by when an escalation became pending) as transaction items, for the
 * record writes in ./dynamodb-ledger-records.ts to send in the same transaction as the record.
 * Builds items only; sends nothing.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { isOpen, type RemediationRecord } from '../core/remediation/ledger';
import { pendingSince } from '../core/remediation/ledger-apply';
import { type Key, keys } from './dynamodb-ledger-keys';

/** One item of a TransactWriteItems call. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** An index item: the key, the record id, and the record's TTL so indexes expire with it. */
export function putIndexItem(table: string, key: Key, record: RemediationRecord): TransactItem {
  return { Put: { TableName: table, Item: { ...key, id: record.id, expiresAt: record.expiresAt } } };
}

/** OPEN / BLOCKED, PENDING_ESC and EXEC index writes that take `before` (undefined when new) to `after`. */
export function indexWrites(
  table: string,
  before: RemediationRecord | undefined,
  after: RemediationRecord,
): TransactItem[] {
  const items: TransactItem[] = [];
  const pending = pendingSince(after);
  // Only a closing write makes an escalation pending; nothing leaves a closed state here.
  if (pending !== undefined)
    items.push(putIndexItem(table, keys.pendingEscalation(pending, after.id), after));
  const oldOpen = before === undefined ? undefined : waitingKey(before);
  const newOpen = waitingKey(after);
  if (oldOpen !== undefined && (oldOpen.pk !== newOpen?.pk || oldOpen.sk !== newOpen.sk)) {
    items.push({ Delete: { TableName: table, Key: oldOpen } });
  }
  if (newOpen !== undefined && (newOpen.pk !== oldOpen?.pk || newOpen.sk !== oldOpen.sk)) {
    items.push(putIndexItem(table, newOpen, after));
  }
  if (after.executionId !== undefined && after.executionId !== before?.executionId) {
    items.push(putIndexItem(table, keys.execution(after.executionId), after));
  }
  return items;
}

/** The record's OPEN or BLOCKED index key, if it is waiting for anything. */
function waitingKey(record: RemediationRecord): Key | undefined {
  if (isOpen(record.state)) return keys.open(record.deadlineSec ?? 0, record.id);
  if (record.state === 'blocked') return keys.blocked(record.deadlineSec ?? 0, record.id);
  return undefined;
}
