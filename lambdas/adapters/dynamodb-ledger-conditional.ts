/** Conditional writes as booleans: the ledger's "did I win?" answer. */
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
