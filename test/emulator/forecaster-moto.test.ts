/**
 * The real forecaster handler against moto's AWS API emulator: seeded group and 14 days of
 * metrics in, scheduled actions and forecast metrics read back through the API.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoScalingClient,
  DescribeScheduledActionsCommand,
  ResumeProcessesCommand,
  SuspendProcessesCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { context, scheduledEvent as event } from '../fixtures/scaler/lambda-events';
import { motoClientConfig, motoEnvironment, requireMoto } from './moto-server';
import { motoForSuite } from './moto-suite';
import { config, HOUR, NS, STACK_NAME, seed } from './seed';

const run = requireMoto();

describe.runIf(run)('forecaster handler on the moto emulator', () => {
  const moto = motoForSuite();
  let cw: CloudWatchClient;
  let asg: AutoScalingClient;
  let handler: (e: ScheduledEvent, c: Context) => Promise<unknown>;

  beforeAll(async () => {
    const client = motoClientConfig(moto().endpoint);
    // moto cannot read gzip-compressed PutMetricData bodies, which the SDK sends above 10 KB.
    cw = new CloudWatchClient({ ...client, disableRequestCompression: true });
    asg = new AutoScalingClient(client);
    await seed(cw, asg);
    const dir = mkdtempSync(join(tmpdir(), 'selfheal-moto-'));
    writeFileSync(join(dir, 'selfheal-config.json'), JSON.stringify(config));
    for (const [k, v] of Object.entries({
      ...motoEnvironment(moto().endpoint),
      AWS_DISABLE_REQUEST_COMPRESSION: 'true',
      LAMBDA_TASK_ROOT: dir,
      SELFHEAL_CONFIG_FILE: 'selfheal-config.json',
      SELFHEAL_METRIC_NAMESPACE: NS,
      SELFHEAL_STACK_NAME: STACK_NAME,
      POWERTOOLS_SERVICE_NAME: `${STACK_NAME}-forecaster`,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    })) {
      vi.stubEnv(k, v);
    }
    handler = (await import('../../lambdas/forecaster/handler')).handler;
  }, 60_000);

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('writes scheduled actions that end at the floor and leaves the foreign one alone', async () => {
    const result = await handler(event, context);
    expect(result).toMatchObject({ total: 2, succeeded: 2, failed: 0 });
    const actions = await scheduledActions(asg);
    const own = actions.filter((a) => a.name.startsWith('selfheal-web-'));
    expect(own.length).toBeGreaterThan(1);
    expect(own.every((a) => /^selfheal-web-(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|restore)$/.test(a.name))).toBe(
      true,
    );
    const last = [...own].sort((a, b) => a.start - b.start).at(-1);
    const report = actions.find((a) => a.name === 'nightly-report');
    expect(report).toMatchObject({ minSize: 4 });
    // The user's one-time nightly-report sets MinSize 4 in 6 h and nothing of theirs lowers it
    // again: from then on the floor is 4, not the baseline 1.
    expect(last).toMatchObject({ name: 'selfheal-web-restore', minSize: 4 });
    expect(last?.start).toBeGreaterThan(report?.start ?? Number.POSITIVE_INFINITY);
    expect(own.filter((a) => a.start > (report?.start ?? 0)).every((a) => a.minSize >= 4)).toBe(true);
    expect(Math.max(...own.map((a) => a.minSize))).toBeGreaterThan(1);
    expect(actions.some((a) => a.name.startsWith('selfheal-sessions-'))).toBe(false);
  });

  it('publishes load and capacity forecasts per target, readable through the API', async () => {
    const listed = await cw.send(new ListMetricsCommand({ Namespace: NS }));
    const dims = (m: { Dimensions?: Array<{ Name?: string; Value?: string }> }) =>
      (m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',');
    const names = new Set((listed.Metrics ?? []).map((m) => `${m.MetricName}/${dims(m)}`));
    for (const id of ['web', 'sessions']) {
      for (const m of [
        'LoadForecast',
        'LoadForecastUpper',
        'CapacityForecast',
        'CapacityForecastUpper',
        'ForecastTrusted',
      ]) {
        expect(names).toContain(`${m}/TargetId=${id},StackName=${STACK_NAME},PeriodSec=3600`);
      }
    }
    const now = Date.now();
    const data = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - HOUR * 1000),
        EndTime: new Date(now + 2 * HOUR * 1000),
        MetricDataQueries: [
          {
            Id: 'cap',
            MetricStat: {
              Metric: {
                Namespace: NS,
                MetricName: 'CapacityForecastUpper',
                Dimensions: [
                  { Name: 'TargetId', Value: 'web' },
                  { Name: 'StackName', Value: STACK_NAME },
                  { Name: 'PeriodSec', Value: '3600' },
                ],
              },
              Period: 3600,
              Stat: 'Maximum',
            },
          },
        ],
      }),
    );
    const values = data.MetricDataResults?.[0]?.Values ?? [];
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((v) => v >= 1 && v <= 10)).toBe(true);
  });

  it('re-runs without duplicating actions', async () => {
    const before = (await scheduledActions(asg)).map((a) => a.name).sort();
    await handler(event, context);
    const after = (await scheduledActions(asg)).map((a) => a.name).sort();
    expect(after).toEqual(before);
    expect(new Set(after).size).toBe(after.length);
  });

  it('stores each forecast time once however soon a run follows the last (SampleCount 1 per hour)', async () => {
    // Earlier tests ran the handler twice within seconds; run it once more, then count what moto holds.
    await handler(event, context);
    const hour = Math.floor(Date.now() / 1000 / HOUR) * HOUR;
    const data = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date((hour - 2 * HOUR) * 1000),
        EndTime: new Date((hour + 2 * HOUR) * 1000),
        MetricDataQueries: ['web', 'sessions'].flatMap((id) =>
          ['LoadForecast', 'CapacityForecastUpper'].map((metric) => ({
            Id: `${id}_${metric.toLowerCase()}`,
            MetricStat: {
              Metric: {
                Namespace: NS,
                MetricName: metric,
                Dimensions: [
                  { Name: 'TargetId', Value: id },
                  { Name: 'StackName', Value: STACK_NAME },
                  { Name: 'PeriodSec', Value: '3600' },
                ],
              },
              Period: HOUR,
              Stat: 'SampleCount',
            },
          })),
        ),
      }),
    );
    const results = data.MetricDataResults ?? [];
    expect(results).toHaveLength(4);
    for (const r of results) {
      // The window runs from the history end to an hour ahead: the next hour at least.
      expect(r.Values?.length, r.Id).toBeGreaterThan(0);
      expect(r.Values, r.Id).toEqual(r.Values?.map(() => 1));
    }
  });

  it('writes nothing to the group while its ScheduledActions process is suspended, and fails that target', async () => {
    const before = await scheduledActions(asg);
    await asg.send(
      new SuspendProcessesCommand({
        AutoScalingGroupName: 'web-asg',
        ScalingProcesses: ['ScheduledActions'],
      }),
    );
    try {
      // DescribeAutoScalingGroups reports the process in SuspendedProcesses (moto: an empty reason).
      const result = await handler(event, context);
      expect(result).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
      expect(await scheduledActions(asg)).toEqual(before);
    } finally {
      await asg.send(new ResumeProcessesCommand({ AutoScalingGroupName: 'web-asg' }));
    }
  });
});

async function scheduledActions(asg: AutoScalingClient) {
  const res = await asg.send(
    new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'web-asg', MaxRecords: 100 }),
  );
  return (res.ScheduledUpdateGroupActions ?? []).map((a) => ({
    name: a.ScheduledActionName ?? '',
    start: a.StartTime?.getTime() ?? 0,
    minSize: a.MinSize ?? -1,
  }));
}
