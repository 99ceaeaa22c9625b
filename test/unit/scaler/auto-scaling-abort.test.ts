/**
 * The Auto Scaling adapters pass the run's stop signal to the SDK (`send(command, { abortSignal })`):
 * a call in flight when the run stops waiting for its target is aborted, its connection closed,
 * and a signal already aborted sends nothing.
 */

import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoScalingActions } from '../../../lambdas/adapters/auto-scaling-actions';
import { AutoScalingGroups } from '../../../lambdas/adapters/auto-scaling-groups';

describe('the Auto Scaling adapters with a stop signal', () => {
  let server: Server;
  let client: AutoScalingClient;
  const sockets: Socket[] = [];
  const closed: Socket[] = [];

  beforeAll(async () => {
    // Takes every request and never answers.
    server = createServer((socket) => {
      sockets.push(socket);
      socket.on('close', () => closed.push(socket));
      socket.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new AutoScalingClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: { requestTimeout: 10_000, throwOnRequestTimeout: true },
    });
  });

  afterAll(async () => {
    client.destroy();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
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
