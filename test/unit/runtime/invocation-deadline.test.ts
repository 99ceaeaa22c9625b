/**
 * The invocation deadline on a real SDK client (its middleware stack and standard retry) whose
 * HTTP handler never answers: the call gives up at the deadline however many attempts its own
 * timeouts would allow.
 */

import type { AddressInfo } from 'node:net';
import { createServer, type Socket } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
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

  it('aborts the request in flight at the deadline, so the abandoned write does not go on', async () => {
    // Arrange: an endpoint that takes the request and never answers, and a client whose own
    // timeout (10 s) would keep the request open long after the invocation gave up.
    const sockets: Socket[] = [];
    const closed: number[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.on('close', () => closed.push(Date.now()));
      // Reads (and drops) the request, so the client's close is seen.
      socket.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: { requestTimeout: 10_000, throwOnRequestTimeout: true },
    });
    const deadline = new InvocationDeadline(100);
    deadline.guard(client);
    deadline.begin(300);
    const put = new PutItemCommand({ TableName: 'SelfHeal-Ledger', Item: { pk: { S: 'rem#1' } } });

    try {
      // Act
      const call = client.send(put);
      await expect(call).rejects.toBeInstanceOf(InvocationDeadlineError);
      const gaveUpAt = Date.now();
      for (let i = 0; i < 100 && closed.length === 0; i++) await new Promise((r) => setTimeout(r, 10));

      // Assert: the connection carrying the request was closed by the client at the deadline.
      expect(sockets).toHaveLength(1);
      expect(closed).toHaveLength(1);
      expect((closed[0] ?? Number.POSITIVE_INFINITY) - gaveUpAt).toBeLessThan(500);
    } finally {
      client.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('passes a signal the caller gave on with its own', async () => {
    const deadline = new InvocationDeadline(100);
    const seen: (AbortSignal | undefined)[] = [];
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: {
        handle: (_request: unknown, options?: { abortSignal?: AbortSignal }) => {
          const signal = options?.abortSignal;
          seen.push(signal);
          return new Promise<never>((_, reject) =>
            signal?.addEventListener('abort', () => reject(new Error('Request aborted'))),
          );
        },
      },
    });
    deadline.guard(client);
    deadline.begin(10_000);
    const caller = new AbortController();

    const call = client.send(getItem, { abortSignal: caller.signal });
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    caller.abort();

    expect(seen).toHaveLength(1);
    expect(seen[0]?.aborted).toBe(true);
    await expect(call).rejects.toThrow('Request aborted');
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
