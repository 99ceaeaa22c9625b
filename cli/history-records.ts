/**
 * Checks the records `history` read before showing them: ledger items are an API response, so a
 * malformed one (an older release, a hand edit) is named with its key and the bad field instead
 * of surfacing as an internal error while rendering.
 */
import { keys } from '../lambdas/adapters/dynamodb-ledger-keys';
import { decodeRemediationRecord } from '../lambdas/core/remediation/ledger-record-schema';
import type { RemediationRecord } from '../lambdas/core/remediation/ledger-records';
import { CliUsageError } from './errors';
import type { CliIo } from './io';

/**
 * A listed item the ledger found only by its key (`REM#<id>`), not by its own `id` attribute: one
 * without a string `id`, or with another one. The batch read matches records on `id`, so such an
 * item would otherwise vanish from the listing without a word.
 */
export class KeyedItem {
  constructor(
    /** The id the item's key (and its index entry) names. */
    readonly id: string,
    /** The item as stored, key attributes stripped. */
    readonly item: unknown,
  ) {}
}

/** The one record `--id` asked for; a malformed one is a usage error (exit 2) naming the field. */
export function checkedRecord(id: string, stored: unknown, table: string): RemediationRecord {
  const decoded = decodeRemediationRecord(stored);
  const problem = decoded.ok ? misfiled(id, decoded.record) : decoded.problem;
  if (decoded.ok && problem === undefined) return decoded.record;
  throw new CliUsageError(`ledger item ${itemKey(id)} in ${table} is malformed: ${problem}`);
}

/**
 * The well-formed records of a listing, in order. Each malformed one is skipped with a one-line
 * note naming its key and the bad field, so one bad item does not hide the rest of the history;
 * when none is usable that is a usage error (exit 2) naming the first.
 */
export function checkedRecords(
  stored: readonly (RemediationRecord | KeyedItem)[],
  table: string,
  io: Pick<CliIo, 'stderr'>,
): RemediationRecord[] {
  const records: RemediationRecord[] = [];
  const problems: string[] = [];
  for (const entry of stored) {
    const [id, item] = entry instanceof KeyedItem ? [entry.id, entry.item] : [idOf(entry), entry];
    const decoded = decodeRemediationRecord(item);
    const problem = decoded.ok ? misfiled(id, decoded.record) : decoded.problem;
    if (decoded.ok && problem === undefined) records.push(decoded.record);
    else problems.push(`ledger item ${itemKey(id)}: ${problem}`);
  }
  const [first] = problems;
  if (first !== undefined && records.length === 0) {
    const others = problems.length > 1 ? `; ${problems.length - 1} more malformed item(s)` : '';
    throw new CliUsageError(`no record in ${table} can be shown: ${first}${others}`);
  }
  for (const problem of problems) io.stderr(`selfheal: note: skipped malformed ${problem}\n`);
  return records;
}

/** Why a well-formed record is not the one its key names, or undefined when it is. */
function misfiled(keyId: string | undefined, record: RemediationRecord): string | undefined {
  if (keyId === undefined || keyId === record.id) return undefined;
  return `id: received ${JSON.stringify(record.id)}; expected "${keyId}" (the id its key names)`;
}

/** The item's DynamoDB key, as `aws dynamodb get-item --key` takes it. */
function itemKey(id: string | undefined): string {
  if (id === undefined) return '(no id)';
  const { pk, sk } = keys.remediation(id);
  return `pk=${pk} sk=${sk}`;
}

function idOf(item: unknown): string | undefined {
  const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}
