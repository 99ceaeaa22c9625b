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

/** The one record `--id` asked for; a malformed one is a usage error (exit 2) naming the field. */
export function checkedRecord(id: string, stored: unknown, table: string): RemediationRecord {
  const decoded = decodeRemediationRecord(stored);
  if (decoded.ok) return decoded.record;
  throw new CliUsageError(`ledger item ${itemKey(id)} in ${table} is malformed: ${decoded.problem}`);
}

/**
 * The well-formed records of a listing, in order. Each malformed one is skipped with a one-line
 * note naming its key and the bad field, so one bad item does not hide the rest of the history;
 * when none is usable that is a usage error (exit 2) naming the first.
 */
export function checkedRecords(
  stored: readonly unknown[],
  table: string,
  io: Pick<CliIo, 'stderr'>,
): RemediationRecord[] {
  const records: RemediationRecord[] = [];
  const problems: string[] = [];
  for (const item of stored) {
    const decoded = decodeRemediationRecord(item);
    if (decoded.ok) records.push(decoded.record);
    else problems.push(`ledger item ${itemKey(idOf(item))}: ${decoded.problem}`);
  }
  const [first] = problems;
  if (first !== undefined && records.length === 0) {
    const others = problems.length > 1 ? `; ${problems.length - 1} more malformed item(s)` : '';
    throw new CliUsageError(`no record in ${table} can be shown: ${first}${others}`);
  }
  for (const problem of problems) io.stderr(`selfheal: note: skipped malformed ${problem}\n`);
  return records;
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
