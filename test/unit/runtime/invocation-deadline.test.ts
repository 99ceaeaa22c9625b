/**
 * The invocation deadline on a real SDK client (its middleware stack and standard retry) whose
 * HTTP handler never answers: the call gives up at the deadline however many attempts its own
 * timeouts would allow.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { InvocationDeadline, InvocationDeadlineError } from '../../../lambdas/runtime/invocation-deadline';

/** A client whose every attempt hangs; `sent` counts the attempts. */
function hungClient() {
  const state = { sent: 0 };
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 3,
    requestHandler: {
      handle: () => {
        state.sent += 1;
        return new Promise<never>(() => undefined);
      },
    },
  });
  return { client, state };
}

const getItem = new GetItemCommand({ TableName: 'SelfHeal-Ledger', Key: { pk: { S: 'rule#disk-full' } } });

describe('InvocationDeadline', () => {
  it('fails a call that gets no answer at the deadline, a reserve before the function timeout', async () => {
    // Arrange
    const deadline = new InvocationDeadline(100);
    const { client, state } = hungClient();
    deadline.guard(client);
    deadline.begin(300);
    const started = Date.now();

    // Act
    const call = client.send(getItem);

    // Assert
    await expect(call).rejects.toThrow(
      new InvocationDeadlineError(
        "an AWS call got no answer before the invocation's deadline (100 ms before the function timeout)",
      ),
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1000);
    expect(state.sent).toBe(1);
  });

  it('sends nothing once the deadline has passed', async () => {
    const deadline = new InvocationDeadline(1000);
    const { client, state } = hungClient();
    deadline.guard(client);
    deadline.begin(500);

    await expect(client.send(getItem)).rejects.toThrow(
      "an AWS call not sent: past the invocation's deadline (1000 ms before the function timeout)",
    );
    expect(state.sent).toBe(0);
  });

  it('moves with each invocation and reports the time left', () => {
    let now = 1_000_000;
    const deadline = new InvocationDeadline(6000, () => now);
    expect(deadline.remainingMs()).toBeUndefined();
    deadline.begin(60_000);
    now += 4000;
    expect(deadline.remainingMs()).toBe(50_000);
    now += 60_000;
    expect(deadline.remainingMs()).toBe(0);
    deadline.begin(60_000);
    expect(deadline.remainingMs()).toBe(54_000);
  });
});
