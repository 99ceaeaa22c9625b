/**
 * The invocation deadline on a real SDK client (its middleware stack and standard retry) whose
 * HTTP handler never answers: the call gives up at the deadline however many attempts its own
 * timeouts would allow. And a call abandoned at its invocation's deadline while the SDK's retry
 * waits out a backoff sends no further attempt, even once the next invocation has begun.
 */

import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvocationDeadline, InvocationDeadlineError } from '../../../lambdas/runtime/invocation-deadline';
import { silentEndpoint } from '../../fixtures/silent-endpoint';

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A DynamoDB endpoint that throttles the first request (HTTP 400
 * ProvisionedThroughputExceededException, which the SDK retries after a backoff) and answers the
 * others; `received` holds the time of each request it got.
 */
async function throttlingEndpoint() {
  const received: number[] = [];
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      received.push(Date.now());
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      if (received.length === 1) {
        res.statusCode = 400;
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
            message: 'The level of configured provisioned throughput for the table was exceeded.',
          }),
        );
      } else {
        res.statusCode = 200;
        res.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    received,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const getItem = new GetItemCommand({ TableName: 'SelfHeal-Ledger', Key: { pk: { S: 'rule#disk-full' } } });

describe('InvocationDeadline', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

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
    const server = await silentEndpoint();
    const { sockets, closedAtMs: closed } = server;
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: server.url,
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
      await server.close();
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

  it("lets an invocation's calls run side by side without a listener warning on its abort signal", async () => {
    // Each request in flight listens on the invocation's signal; past 10 Node would print a
    // MaxListenersExceededWarning, a raw line in the function's log.
    const signals: AbortSignal[] = [];
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: {
        handle: (_request: unknown, options?: { abortSignal?: AbortSignal }) => {
          if (options?.abortSignal !== undefined) signals.push(options.abortSignal);
          return Promise.reject(new Error('connect ECONNRESET'));
        },
      },
    });
    const deadline = new InvocationDeadline(100);
    deadline.guard(client);
    deadline.begin(60_000);
    await expect(client.send(getItem)).rejects.toThrow('ECONNRESET');
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const signal = signals[0];
      expect(signal).toBeDefined();
      for (let i = 0; i < 20; i++) signal?.addEventListener('abort', () => undefined);
      await sleep(10);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('does not send an abandoned write once the next invocation has begun', async () => {
    // Arrange: the standard retry's full jitter pinned near its top, so the throttled write's
    // backoff is about 1 s.
    const endpoint = await throttlingEndpoint();
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: endpoint.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 3,
      requestHandler: { requestTimeout: 5_000, throwOnRequestTimeout: true },
    });
    const deadline = new InvocationDeadline(100);
    deadline.guard(client);
    const put = new PutItemCommand({ TableName: 'SelfHeal-Ledger', Item: { pk: { S: 'rem#1' } } });

    try {
      // Act: invocation 1 has 500 ms before its deadline (a margin for a loaded machine); its write
      // is throttled and backs off.
      deadline.begin(600);
      await expect(client.send(put)).rejects.toBeInstanceOf(InvocationDeadlineError);
      // The handler records the failure and returns; the next event arrives on the warm environment.
      await sleep(20);
      deadline.begin(60_000);
      // The abandoned call's backoff would end during invocation 2.
      await sleep(1_500);

      // Assert: only the first (throttled) attempt was sent.
      expect(endpoint.received).toHaveLength(1);
    } finally {
      client.destroy();
      await endpoint.close();
    }
  });

  it("ends the SDK's retry backoff of an abandoned call at its invocation's deadline", async () => {
    // Arrange: a backoff of about 1 s, and a middleware inside the guard's that sees when the
    // SDK's part of the call (its retry loop) ends.
    const endpoint = await throttlingEndpoint();
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: endpoint.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 3,
    });
    const deadline = new InvocationDeadline(100);
    deadline.guard(client);
    let retriesEndedAt: number | undefined;
    client.middlewareStack.add(
      (next) => (args) =>
        next(args).finally(() => {
          retriesEndedAt = Date.now();
        }),
      { step: 'initialize', name: 'testRetriesEnded', priority: 'low' },
    );
    const put = new PutItemCommand({ TableName: 'SelfHeal-Ledger', Item: { pk: { S: 'rem#1' } } });

    try {
      // Act: 500 ms before the deadline, a margin for the first attempt on a loaded machine.
      deadline.begin(600);
      await expect(client.send(put)).rejects.toBeInstanceOf(InvocationDeadlineError);
      const gaveUpAt = Date.now();
      for (let i = 0; i < 150 && retriesEndedAt === undefined; i++) await sleep(10);

      // Assert: the retry loop stopped waiting at the deadline, not when its backoff would end.
      expect(retriesEndedAt).toBeDefined();
      expect((retriesEndedAt ?? Number.POSITIVE_INFINITY) - gaveUpAt).toBeLessThan(300);
      expect(endpoint.received).toHaveLength(1);
    } finally {
      client.destroy();
      await endpoint.close();
    }
  });

  it("aborts an invocation's calls at its own deadline even once the next invocation has begun", async () => {
    // Arrange: attempts hang until their signal aborts, as the SDK's HTTP handlers end a request.
    const signals: (AbortSignal | undefined)[] = [];
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: {
        handle: (_request: unknown, options?: { abortSignal?: AbortSignal }) => {
          signals.push(options?.abortSignal);
          return new Promise<never>((_, reject) =>
            options?.abortSignal?.addEventListener('abort', () => reject(new Error('Request aborted'))),
          );
        },
      },
    });
    const deadline = new InvocationDeadline(100);
    deadline.guard(client);
    const get = new GetItemCommand({ TableName: 'SelfHeal-Ledger', Key: { pk: { S: 'rem#1' } } });
    // Invocation 1 (deadline in 300 ms) makes a call; invocation 2 begins before that deadline (the
    // race a loaded machine runs: invocation 1's call gave up at its deadline race first, its
    // handler returned, and the next event arrived before its abort timer fired) and makes its own.
    deadline.begin(400);
    const first = client.send(get);
    first.catch(() => undefined);
    for (let i = 0; i < 100 && signals.length < 1; i++) await sleep(5);
    deadline.begin(60_000);
    const second = client.send(get);
    second.catch(() => undefined);
    for (let i = 0; i < 100 && signals.length < 2; i++) await sleep(5);

    // Act: invocation 1's deadline passes.
    await sleep(450);

    // Assert: its request is aborted and its call fails as late; invocation 2's goes on.
    expect(signals).toHaveLength(2);
    expect(signals[0]?.aborted).toBe(true);
    await expect(first).rejects.toBeInstanceOf(InvocationDeadlineError);
    expect(signals[1]?.aborted).toBe(false);
    client.destroy();
  });

  it('sends no attempt of a call whose invocation has passed its deadline, whatever retries it', async () => {
    // Arrange: a retry strategy of the older kind, which does not watch the call's abort signal:
    // it waits 1.5 s after a failed attempt and tries again. (Margins of a second: the first attempt
    // must reach the handler before the deadline on a loaded CI machine.)
    const sent: (AbortSignal | undefined)[] = [];
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      retryStrategy: {
        mode: 'standard',
        retry: async (next, args) => {
          try {
            return await next(args);
          } catch {
            await sleep(1500);
            return next(args);
          }
        },
      },
      requestHandler: {
        handle: (_request: unknown, options?: { abortSignal?: AbortSignal }) => {
          sent.push(options?.abortSignal);
          return Promise.reject(new Error('connect ECONNRESET'));
        },
      },
    });
    const deadline = new InvocationDeadline(100);
    deadline.guard(client);
    const put = new PutItemCommand({ TableName: 'SelfHeal-Ledger', Item: { pk: { S: 'rem#1' } } });

    // Act: invocation 1 gives up at 1 s; invocation 2 begins before the retry's second attempt.
    deadline.begin(1100);
    await expect(client.send(put)).rejects.toBeInstanceOf(InvocationDeadlineError);
    deadline.begin(60_000);
    await sleep(2000);

    // Assert: only the first attempt reached the HTTP handler, with invocation 1's signal.
    expect(sent).toHaveLength(1);
    expect(sent[0]?.aborted).toBe(true);
  });
});
