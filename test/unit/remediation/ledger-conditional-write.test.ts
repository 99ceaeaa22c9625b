/**
 * `conditionalWrite`, the DynamoDB ledger's "did I win?": a failed condition is a loss unless the
 * item it failed against carries this very write's id (its applied first attempt, answered too
 * late and retried by the SDK). The moto test `test/emulator/ledger-answer-lost-moto.test.ts`
 * covers the whole path.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  conditionalWrite,
  newWriteId,
  WRITE_ID,
} from '../../../lambdas/adapters/dynamodb-ledger-conditional';

/** DynamoDB's answer to a failed condition, with the stored item when the write asked for it. */
const conditionFailed = (item?: Record<string, { S: string }>) =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    ...(item === undefined ? {} : { Item: item }),
  });

/** A case: what happened, the write's send, the write id passed, and whether the write won. */
type Case = readonly [string, () => Promise<unknown>, string | undefined, boolean];

describe('conditionalWrite', () => {
  const mine = newWriteId();

  it.each<Case>([
    ['the write was applied', () => Promise.resolve({}), mine, true],
    [
      'the condition failed, no write id given',
      () => Promise.reject(conditionFailed({ [WRITE_ID]: { S: mine } })),
      undefined,
      false,
    ],
    ['the condition failed, no item returned', () => Promise.reject(conditionFailed()), mine, false],
    [
      'the condition failed against another write',
      () => Promise.reject(conditionFailed({ [WRITE_ID]: { S: newWriteId() } })),
      mine,
      false,
    ],
    [
      'the condition failed against an item without a write id',
      () => Promise.reject(conditionFailed({ pk: { S: 'EVENT#e' } })),
      mine,
      false,
    ],
    [
      'the condition failed against this write, already applied',
      () => Promise.reject(conditionFailed({ [WRITE_ID]: { S: mine } })),
      mine,
      true,
    ],
  ])('answers as it should when %s', async (_case, send, writeId, won) => {
    expect(await conditionalWrite(send, writeId)).toBe(won);
  });

  it('rethrows any other error', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

    await expect(conditionalWrite(() => Promise.reject(throttled), mine)).rejects.toBe(throttled);
  });

  it('gives each write its own id', () => {
    expect(newWriteId()).not.toBe(newWriteId());
  });
});
