/**
 * The CloudWatch adapters pass the run's stop signal to the SDK (`send(command, { abortSignal })`),
 * as the Auto Scaling ones do: a history read or forecast publish in flight when the run stops
 * waiting is aborted, its connection closed, and no further call (another batch, another page, the
 * publish after a read-back) is sent, so no PutMetricData lands after the run recorded its result.
 */

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchHistory } from '../../../lambdas/adapters/cloudwatch-history';
import { CloudWatchPublisher } from '../../../lambdas/adapters/cloudwatch-publisher';
import {
  type CycleDeadline,
  type ForecastDatum,
  type HistoryRequest,
  runForecastCycle,
} from '../../../lambdas/core/scaler';
import { FORECAST_METRICS } from '../../../lib/config/metric-names';
import { type SilentEndpoint, silentEndpoint } from '../../fixtures/silent-endpoint';
import { dailyHistory, fixedClock, MemoryPorts, NOW_SEC, target } from './memory-ports';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the CloudWatch adapters with a stop signal', () => {
  let server: SilentEndpoint;
  let client: CloudWatchClient;
  let sockets: SilentEndpoint['sockets'];
  let closed: SilentEndpoint['closed'];

  beforeAll(async () => {
    server = await silentEndpoint();
    ({ sockets, closed } = server);
    client = new CloudWatchClient({
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

  /** Resolves once the server has accepted more than `accepted` connections. */
  async function untilConnected(accepted: number): Promise<void> {
    for (let i = 0; i < 400 && sockets.length === accepted; i++) await pause(5);
    if (sockets.length === accepted) throw new Error('no call reached the server');
  }

  /** Waits for every accepted connection to close (or a second), then a while for any late call. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 100 && closed.length < sockets.length; i++) await pause(10);
    await pause(100);
  }

  /** Two targets with different windows: two GetMetricData calls, one after the other. */
  const historyRequests: HistoryRequest[] = ['a', 'b'].map((targetId, i) => ({
    targetId,
    autoScalingGroupName: `${targetId}-asg`,
    periodSec: 3600,
    startSec: NOW_SEC - 86_400 - i * 3600,
    endSec: NOW_SEC,
    loadMetric: { type: 'predefined', metric: 'ASGTotalCPUUtilization' },
  }));

  it('aborts a history read in flight and sends none of its other calls', { timeout: 5_000 }, async () => {
    const stop = new AbortController();
    const accepted = sockets.length;

    const read = new CloudWatchHistory(client).fetchHistory(historyRequests, stop.signal);
    await untilConnected(accepted);
    stop.abort(new Error('the invocation ran short'));

    await expect(read).rejects.toThrow();
    await settle();
    expect(sockets.length).toBe(accepted + 1);
    expect(closed).toContain(sockets.at(-1));
  });

  it('sends no history call once the signal has aborted', async () => {
    const stop = new AbortController();
    stop.abort(new Error('the invocation ran short'));
    const accepted = sockets.length;

    const read = new CloudWatchHistory(client).fetchHistory(historyRequests, stop.signal);

    await expect(read).rejects.toThrow('the invocation ran short');
    await pause(50);
    expect(sockets.length).toBe(accepted);
  });

  it('aborts a PutMetricData in flight and sends no later batch', { timeout: 5_000 }, async () => {
    // 1,500 values of 300 times: two PutMetricData calls (at most 1,000 values each).
    const data: ForecastDatum[] = Array.from({ length: 300 }, (_, i) =>
      Object.values(FORECAST_METRICS).map((metric) => ({
        targetId: 'web',
        periodSec: 60,
        metric,
        tSec: NOW_SEC + i * 60,
        value: 1,
      })),
    ).flat();
    const stop = new AbortController();
    const accepted = sockets.length;

    const publish = new CloudWatchPublisher(client, { namespace: 'NS', stackName: 'SelfHeal' }).publish(
      data,
      stop.signal,
    );
    await untilConnected(accepted);
    stop.abort(new Error('the invocation ran short'));

    await expect(publish).rejects.toThrow();
    await settle();
    expect(sockets.length).toBe(accepted + 1);
    expect(closed).toContain(sockets.at(-1));
  });

  it('aborts the run-cycle read-back in flight at stopAll, and puts nothing after it', {
    timeout: 5_000,
  }, async () => {
    // Arrange: the history and groups in memory, the publisher on the silent endpoint.
    const ports = new MemoryPorts();
    const t = target({ id: 'web', mode: 'forecastOnly' });
    ports.addGroup(t.autoScalingGroupName);
    ports.histories.set(t.id, { ok: true, value: dailyHistory(NOW_SEC, t.periodSec, 14) });
    const stopTargets = new AbortController();
    const stopAll = new AbortController();
    const deadline: CycleDeadline = { stopTargets: stopTargets.signal, stopAll: stopAll.signal };
    const publisher = new CloudWatchPublisher(client, { namespace: 'NS', stackName: 'SelfHeal' });
    const accepted = sockets.length;

    // Act
    const run = runForecastCycle([t], { ...ports, publisher }, fixedClock(), { deadline });
    await untilConnected(accepted);
    stopAll.abort(new Error('the invocation ran short (1000 ms left)'));
    const summary = await run;
    await settle();

    // Assert: the read-back's call was aborted, and no PutMetricData followed it.
    expect(summary.records[0]).toMatchObject({ targetId: 'web', status: 'failed', publishedPoints: 0 });
    expect(sockets.length).toBe(accepted + 1);
    expect(closed).toContain(sockets.at(-1));
  });
});
