/**
 * Review: a call the invocation gave up on at its deadline while the SDK's standard retry was
 * waiting out a backoff (a throttled write) sends its next attempt when the backoff ends. If the
 * next invocation has begun by then (a warm environment, events queued), the HTTP handler's
 * wrapper gives that attempt the NEW invocation's live abort signal, so the write the previous
 * invocation abandoned, and recorded as failed, lands after all.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvocationDeadline, InvocationDeadlineError } from '../../lambdas/runtime/invocation-deadline';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('InvocationDeadline (review)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('does not send an abandoned write once the next invocation has begun', async () => {
    // Arrange: DynamoDB throttles the first attempt (HTTP 400
    // ProvisionedThroughputExceededException), answers later ones.
    const received: number[] = [];
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
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
    // The standard retry's full jitter, pinned near its top: the throttling backoff is about 1 s.
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 3,
      requestHandler: { requestTimeout: 5_000, throwOnRequestTimeout: true },
    });
    const deadline = new InvocationDeadline(100);
    deadline.guard(client);
    const put = new PutItemCommand({ TableName: 'SelfHeal-Ledger', Item: { pk: { S: 'rem#1' } } });

    try {
      // Act: invocation 1 has 200 ms before its deadline; its write is throttled and backs off ~1 s.
      deadline.begin(300);
      const call = client.send(put);
      await expect(call).rejects.toBeInstanceOf(InvocationDeadlineError);
      // The handler records the failure and returns; the next event arrives on the warm environment.
      await sleep(20);
      deadline.begin(60_000);
      // The abandoned call's backoff ends during invocation 2.
      await sleep(1_500);

      // Assert: invocation 1 gave up on the write; only its first (throttled) attempt was sent.
      expect(received).toHaveLength(1);
    } finally {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
