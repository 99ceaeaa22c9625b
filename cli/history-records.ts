/**
 * What `history` does with malformed ledger items, which the ledger adapter reports (as
 * `MalformedRecordError`, naming the item's key and the bad field) instead of surfacing them as an
 * internal error while rendering.
 */
import { MalformedRecordError, type RemediationRecord } from '../lambdas/core/remediation/ledger';
import { CliUsageError } from './errors';
import type { CliIo } from './io';
import { printable } from './printable';

/** The one record `--id` asked for is malformed: a usage error (exit 2) naming the key and field. */
export function malformedRecord(error: MalformedRecordError, table: string): CliUsageError {
  return new CliUsageError(`ledger item ${error.key} in ${table} is malformed: ${error.problem}`);
}

/**
 * The well-formed records of a listing, in order. Each malformed one is skipped with a one-line
 * note naming its key and the bad field, so one bad item does not hide the rest of the history;
 * when none is usable that is a usage error (exit 2) naming the first.
 */
export function checkedRecords(
  stored: readonly (RemediationRecord | MalformedRecordError)[],
  table: string,
  io: Pick<CliIo, 'stderr'>,
): RemediationRecord[] {
  const records: RemediationRecord[] = [];
  const problems: string[] = [];
  for (const entry of stored) {
    if (entry instanceof MalformedRecordError) problems.push(`ledger item ${entry.key}: ${entry.problem}`);
    else records.push(entry);
  }
  const [first] = problems;
  if (first !== undefined && records.length === 0) {
    const others = problems.length > 1 ? `; ${problems.length - 1} more malformed item(s)` : '';
    throw new CliUsageError(`no record in ${table} can be shown: ${first}${others}`);
  }
  // The key is the item's own, which whoever writes the table controls.
  for (const problem of problems) io.stderr(`${printable(`selfheal: note: skipped malformed ${problem}`)}\n`);
  return records;
}
