/**
 * The index items of a remediation record (OPEN or BLOCKED by deadline, STARTED by when it entered
 * `started`, HISTORY by creation, EXEC by execution id, PENDING_ESC by when an escalation became
 * pending, DEFECT#<rule>#<resource> by creation for a rule-defect escalation, ACTION#<rule>#<resource>
 * by creation while the record is an action) as transaction items, for the record writes in
 * ./dynamodb-ledger-records.ts to send in the same transaction as the record. HISTORY and ACTION
 * are put by every write, so their TTL follows the record's. Builds items only; sends nothing.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { isOpen, type RemediationRecord } from '../core/remediation/ledger';
import { isAction, isDefectEscalation, pendingSince, startedAtSec } from '../core/remediation/ledger-apply';
import { type Key, keys } from './dynamodb-ledger-keys';

/** One item of a TransactWriteItems call. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** An index item: the key, the record id, and the record's TTL so indexes expire with it. */
export function putIndexItem(table: string, key: Key, record: RemediationRecord): TransactItem {
  return { Put: { TableName: table, Item: { ...key, id: record.id, expiresAt: record.expiresAt } } };
}

/**
 * HISTORY, OPEN / BLOCKED, STARTED, PENDING_ESC, EXEC, DEFECT and ACTION index writes that take
 * `before` (undefined when new) to `after`.
 */
export function indexWrites(
  table: string,
  before: RemediationRecord | undefined,
  after: RemediationRecord,
): TransactItem[] {
  // Put again by every write (the same key, so idempotent), so its TTL follows the record's, which
  // every transition renews: `selfheal history` lists a record for as long as it is kept.
  const items: TransactItem[] = [putIndexItem(table, keys.history(after.createdAtSec, after.id), after)];
  const pending = pendingSince(after);
  // Only a closing write makes an escalation pending; nothing leaves a closed state here.
  if (pending !== undefined)
    items.push(putIndexItem(table, keys.pendingEscalation(pending, after.id), after));
  for (const indexKey of [waitingKey, startedKey]) {
    items.push(...moveIndexItem(table, before === undefined ? undefined : indexKey(before), after, indexKey));
  }
  if (after.executionId !== undefined && after.executionId !== before?.executionId) {
    items.push(putIndexItem(table, keys.execution(after.executionId), after));
  }
  // A closed state is never left, so the DEFECT item, once put, stays true until its TTL.
  if (isDefectEscalation(after) && (before === undefined || !isDefectEscalation(before))) {
    items.push(
      putIndexItem(table, keys.defect(after.ruleId, after.resourceId, after.createdAtSec, after.id), after),
    );
  }
  items.push(...actionWrites(table, before, after));
  return items;
}

/**
 * The ACTION item exists while the record is an action. It is put again by every write of one
 * (the same key, so idempotent): its TTL follows the record's, and a record written before this
 * index existed gets its item on its next write. Deleted by the write that makes it no longer
 * one (`started → blocked`), since a stale item would take a slot of the evidence's Query; kept by
 * a close from `started` without an execution (`started → skipped`), which is still one.
 */
function actionWrites(table: string, before: RemediationRecord | undefined, after: RemediationRecord) {
  if (isAction(after)) return [putIndexItem(table, actionKey(after), after)];
  if (before !== undefined && isAction(before))
    return [{ Delete: { TableName: table, Key: actionKey(before) } } satisfies TransactItem];
  return [];
}

function actionKey(record: RemediationRecord): Key {
  return keys.action(record.ruleId, record.resourceId, record.createdAtSec, record.id);
}

/** Deletes the index item at `oldKey` and puts the one `indexKey` gives `after`, when they differ. */
function moveIndexItem(
  table: string,
  oldKey: Key | undefined,
  after: RemediationRecord,
  indexKey: (record: RemediationRecord) => Key | undefined,
): TransactItem[] {
  const newKey = indexKey(after);
  const same =
    oldKey !== undefined && newKey !== undefined && oldKey.pk === newKey.pk && oldKey.sk === newKey.sk;
  if (same) return [];
  return [
    ...(oldKey === undefined ? [] : [{ Delete: { TableName: table, Key: oldKey } }]),
    ...(newKey === undefined ? [] : [putIndexItem(table, newKey, after)]),
  ];
}

/** The record's STARTED index key while it is `started` (no execution recorded yet). */
function startedKey(record: RemediationRecord): Key | undefined {
  return record.state === 'started' ? keys.started(startedAtSec(record), record.id) : undefined;
}

/** The record's OPEN or BLOCKED index key, if it is waiting for anything. */
function waitingKey(record: RemediationRecord): Key | undefined {
  if (isOpen(record.state)) return keys.open(record.deadlineSec ?? 0, record.id);
  if (record.state === 'blocked') return keys.blocked(record.deadlineSec ?? 0, record.id);
  return undefined;
}
