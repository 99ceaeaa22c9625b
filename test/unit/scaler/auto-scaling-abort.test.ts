/**
 * The Auto Scaling adapters pass the run's stop signal to the SDK (`send(command, { abortSignal })`):
 * a call in flight when the run stops waiting for its target is aborted, its connection closed,
 * and a signal already aborted sends nothing.
 */

import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoScalingActions } from '../../../lambdas/adapters/auto-scaling-actions';
import { AutoScalingGroups } from '../../../lambdas/adapters/auto-scaling-groups';
import { type SilentEndpoint, silentEndpoint } from '../../fixtures/silent-endpoint';

describe('the Auto Scaling adapters with a stop signal', () => {
  let server: SilentEndpoint;
  let client: AutoScalingClient;
  let sockets: SilentEndpoint['sockets'];
  let closed: SilentEndpoint['closed'];

  beforeAll(async () => {
    server = await silentEndpoint();
    ({ sockets, closed } = server);
    client = new AutoScalingClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: { requestTimeout: 10_000, throwOnRequestTimeout: true },
    });
  });

  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('aborts a list of scheduled actions in flight when the signal aborts', { timeout: 5_000 }, async () => {
    const stop = new AbortController();
    const accepted = sockets.length;

    const list = new AutoScalingGroups(client).listScheduledActions('web-asg', stop.signal);
    for (let i = 0; i < 200 && sockets.length === accepted; i++) await new Promise((r) => setTimeout(r, 5));
    stop.abort(new Error('the invocation ran short'));

    await expect(list).rejects.toThrow();
    for (let i = 0; i < 100 && closed.length < sockets.length; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(sockets.length).toBe(accepted + 1);
    expect(closed).toContain(sockets.at(-1));
  });

  it('sends no put once the signal has aborted', async () => {
    const stop = new AbortController();
    stop.abort(new Error('the invocation ran short'));
    const accepted = sockets.length;

    const put = new AutoScalingActions(client).putScheduledActions(
      'web-asg',
      [{ name: 'selfheal-web-1', startTimeSec: 1_900_000_000, minSize: 4 }],
      stop.signal,
    );

    await expect(put).rejects.toThrow('the invocation ran short');
    await new Promise((r) => setTimeout(r, 50));
    expect(sockets.length).toBe(accepted);
  });
});
