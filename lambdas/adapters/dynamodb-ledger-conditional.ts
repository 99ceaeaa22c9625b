/** Conditional writes as booleans: the ledger's "did I win?" answer, for single writes and transactions. */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/**
 * The attribute holding the id of the write that stored an item, for the writes that must tell
 * their own applied write from another writer's (see {@link conditionalWrite}).
 */
export const WRITE_ID = 'writeId';

/** A new id for one conditional write: the same across the SDK's retries of that write. */
export function newWriteId(): string {
  return randomUUID();
}

/**
 * Runs `send`: true when the write was applied, false when its condition failed; other errors
 * throw.
 *
 * The SDK retries a write whose answer was lost (a request timeout, a 5xx): when the first attempt
 * was applied, the retry fails its condition against the item that attempt stored, which would
 * read as "another writer won" while the win is this caller's. A write that stores
 * `[WRITE_ID]: writeId` and asks for the item on a failed condition
 * (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`) passes `writeId`: a failed condition against
 * an item carrying it is this write's own, applied, and answers true.
 */
export async function conditionalWrite(send: () => Promise<unknown>, writeId?: string): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      return writeId !== undefined && storedWriteId(error.Item) === writeId;
    }
    throw error;
  }
}

/** The write id of the item a failed condition returned (DynamoDB's attribute-value form). */
function storedWriteId(item: ConditionalCheckFailedException['Item']): string | undefined {
  return item?.[WRITE_ID]?.S;
}

/** Whether a transaction was cancelled because its first item's condition failed. */
export function firstConditionFailed(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons: unknown = (error as { CancellationReasons?: unknown }).CancellationReasons;
  if (Array.isArray(reasons)) {
    const first: unknown = reasons[0];
    return (
      typeof first === 'object' &&
      first !== null &&
      'Code' in first &&
      first.Code === 'ConditionalCheckFailed'
    );
  }
  // Some emulators omit the reasons; the message still names the failed condition.
  return /ConditionalCheckFailed/.test(error.message);
}
