/**
 * The one decoder of remediation items read from the ledger table (GetItem, BatchGetItem, an
 * update's new image), used by the Lambdas' ledger and the `history` CLI alike: a DynamoDB item
 * is an API response, so it is checked against the record schema rather than cast.
 */
import { MalformedRecordError, type RemediationRecord } from '../core/remediation/ledger';
import { decodeRemediationRecord } from '../core/remediation/ledger-record-schema';
import { remediationIdOf } from './dynamodb-ledger-keys';

/**
 * The record an item holds, or the error naming its key and its first bad field. The id is
 * checked against the key (`REM#<id>`), so an item without a string `id`, or filed under another
 * remediation's key, is reported by the key it was found under.
 */
export function decodeRemediationItem(
  item: Record<string, unknown>,
): RemediationRecord | MalformedRecordError {
  const { pk, sk, ...rest } = item;
  const decoded = decodeRemediationRecord(rest, remediationIdOf(pk));
  return decoded.ok
    ? decoded.record
    : new MalformedRecordError(`pk=${String(pk)} sk=${String(sk)}`, decoded.problem);
}

/** The record an item holds; throws {@link MalformedRecordError} for anything else. */
export function remediationFromItem(item: Record<string, unknown>): RemediationRecord {
  const decoded = decodeRemediationItem(item);
  if (decoded instanceof MalformedRecordError) throw decoded;
  return decoded;
}

/** The records of a listing; throws the first item's {@link MalformedRecordError} if any is malformed. */
export function wellFormed(
  entries: readonly (RemediationRecord | MalformedRecordError)[],
): RemediationRecord[] {
  return entries.map((entry) => {
    if (entry instanceof MalformedRecordError) throw entry;
    return entry;
  });
}
