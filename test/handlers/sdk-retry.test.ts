/**
 * Throttling goes through the SDK's standard retry (real middleware, fake HTTP) and, once the
 * attempts are used up, surfaces as the adapter's error for that one group.
 */
import { Readable } from 'node:stream';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { AutoScalingActions } from '../../lambdas/adapters/auto-scaling-actions';

/** The Query-protocol error body Auto Scaling returns when throttled. */
const THROTTLED = `<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
  <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
  <RequestId>7c2f6a1e-0b8e-4d4e-9a6f-2d1c3b4a5e6f</RequestId>
</ErrorResponse>`;

const OK = `<BatchPutScheduledUpdateGroupActionResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
  <BatchPutScheduledUpdateGroupActionResult><FailedScheduledUpdateGroupActions/></BatchPutScheduledUpdateGroupActionResult>
  <ResponseMetadata><RequestId>5d1b7f9c-3a2e-4c6d-8b0a-1e2f3a4b5c6d</RequestId></ResponseMetadata>
</BatchPutScheduledUpdateGroupActionResponse>`;

function client(maxAttempts: number, responses: Array<[number, string]>) {
  const sent: string[] = [];
  const requestHandler = {
    handle: async (request: { body?: unknown }) => {
      sent.push(String(request.body));
      const [statusCode, body] = responses[Math.min(sent.length - 1, responses.length - 1)] ?? [500, ''];
      return {
        response: {
          statusCode,
          headers: { 'content-type': 'text/xml' },
          body: Readable.from([Buffer.from(body)]),
        },
      };
    },
  };
  const c = new AutoScalingClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
    requestHandler,
  });
  return { c, sent };
}

const action = [{ name: 'selfheal-web-2024-03-04T11:00:00Z', startTimeSec: 1_709_550_000, minSize: 4 }];

describe('AutoScalingActions with the SDK standard retry', () => {
  it('retries a throttled call and succeeds within maxAttempts', async () => {
    const { c, sent } = client(3, [
      [400, THROTTLED],
      [200, OK],
    ]);
    const res = await new AutoScalingActions(c).putScheduledActions('web-asg', action);
    expect(res.failed).toEqual([]);
    expect(sent).toHaveLength(2);
  });

  it('surfaces Throttling once every attempt was throttled', async () => {
    const { c, sent } = client(2, [[400, THROTTLED]]);
    await expect(new AutoScalingActions(c).putScheduledActions('web-asg', action)).rejects.toMatchObject({
      name: 'Throttling',
      message: 'Rate exceeded',
    });
    expect(sent).toHaveLength(2);
  });
});
