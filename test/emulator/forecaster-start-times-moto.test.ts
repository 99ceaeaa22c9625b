/**
 * The real forecaster handler against moto, on a group where the user's scheduled actions hold
 * every clock hour ahead: the hours its plan lowers MinSize at and ends on. EC2 Auto Scaling
 * rejects an action at a start time another action of the group holds
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html#scheduled-scaling-limitations);
 * moto 5 does not (first test), so the others check the group the handler leaves behind.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoScalingClient,
  BatchDeleteScheduledActionCommand,
  BatchPutScheduledUpdateGroupActionCommand,
  DescribeScheduledActionsCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { context, scheduledEvent as event } from '../fixtures/scaler/lambda-events';
import { motoClientConfig, motoEnvironment, requireMoto } from './moto-server';
import { motoForSuite } from './moto-suite';
import { config, HOUR, NS, STACK_NAME, seed } from './seed';

const run = requireMoto();

/** The user's actions: one at each of the next 30 clock hours, MaxSize at the group's own 10. */
function hourlyUserActions(): Array<{ ScheduledActionName: string; StartTime: Date; MaxSize: number }> {
  const first = Math.ceil(Date.now() / 1000 / HOUR) * HOUR + HOUR;
  return Array.from({ length: 30 }, (_, i) => ({
    ScheduledActionName: `user-hourly-${i}`,
    StartTime: new Date((first + i * HOUR) * 1000),
    MaxSize: 10,
  }));
}

describe.runIf(run)('forecaster handler on moto, with the user’s actions on every clock hour', () => {
  const moto = motoForSuite();
  let asg: AutoScalingClient;
  let handler: (e: ScheduledEvent, c: Context) => Promise<unknown>;
  const user = hourlyUserActions();

  beforeAll(async () => {
    const client = motoClientConfig(moto().endpoint);
    asg = new AutoScalingClient(client);
    await seed(new CloudWatchClient({ ...client, disableRequestCompression: true }), asg);
    await asg.send(
      new BatchPutScheduledUpdateGroupActionCommand({
        AutoScalingGroupName: 'web-asg',
        ScheduledUpdateGroupActions: user,
      }),
    );
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

  it('moto accepts an action at a start time another action holds (EC2 Auto Scaling rejects it)', async () => {
    const probe = { ScheduledActionName: 'probe', StartTime: user[0]?.StartTime, MaxSize: 10 };
    try {
      const res = await asg.send(
        new BatchPutScheduledUpdateGroupActionCommand({
          AutoScalingGroupName: 'web-asg',
          ScheduledUpdateGroupActions: [probe],
        }),
      );
      expect(res.FailedScheduledUpdateGroupActions).toEqual([]);
      const held = (await scheduledActions(asg)).filter((a) => a.start === probe.StartTime?.getTime());
      expect(held.map((a) => a.name).sort()).toEqual(['probe', 'user-hourly-0']);
    } finally {
      await asg.send(
        new BatchDeleteScheduledActionCommand({
          AutoScalingGroupName: 'web-asg',
          ScheduledActionNames: ['probe'],
        }),
      );
    }
  });

  it('writes its plan on start times no other action holds, and leaves the user’s actions alone', async () => {
    const result = await handler(event, context);

    expect(result).toMatchObject({ total: 2, succeeded: 2, failed: 0 });
    const actions = await scheduledActions(asg);
    const times = actions.map((a) => a.start);
    expect(times.length - new Set(times).size).toBe(0);
    for (const u of user) {
      expect(actions.find((a) => a.name === u.ScheduledActionName)).toMatchObject({
        start: u.StartTime.getTime(),
        maxSize: 10,
      });
    }
    const own = actions.filter((a) => a.name.startsWith('selfheal-web-'));
    expect(own.length).toBeGreaterThan(1);
    const last = [...own].sort((a, b) => a.start - b.start).at(-1);
    expect(last?.name).toBe('selfheal-web-restore');
  });

  it('re-runs without a write failing', async () => {
    const result = await handler(event, context);
    expect(result).toMatchObject({ total: 2, succeeded: 2, failed: 0 });
    const times = (await scheduledActions(asg)).map((a) => a.start);
    expect(times.length - new Set(times).size).toBe(0);
  });
});

async function scheduledActions(asg: AutoScalingClient) {
  const out: Array<{ name: string; start: number; minSize?: number; maxSize?: number }> = [];
  let NextToken: string | undefined;
  do {
    const res = await asg.send(
      new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'web-asg', MaxRecords: 100, NextToken }),
    );
    for (const a of res.ScheduledUpdateGroupActions ?? []) {
      out.push({
        name: a.ScheduledActionName ?? '',
        start: a.StartTime?.getTime() ?? 0,
        ...(a.MinSize === undefined ? {} : { minSize: a.MinSize }),
        ...(a.MaxSize === undefined ? {} : { maxSize: a.MaxSize }),
      });
    }
    NextToken = res.NextToken;
  } while (NextToken !== undefined && NextToken !== '');
  return out;
}
