/** Conditional writes as booleans: the ledger's "did I win?" answer, for single writes and transactions. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** Runs `send`: true when the write was applied, false when its condition failed; other errors throw. */
export async function conditionalWrite(send: () => Promise<unknown>): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
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
