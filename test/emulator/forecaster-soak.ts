/**
 * A soak of the real forecaster handler on moto: a group, a daily load cycle in moto's CloudWatch,
 * and a simulated clock (Date only) that advances hour by hour. moto keeps scheduled actions
 * forever and runs none, so {@link Soak.runDue} plays EC2 Auto Scaling's part between runs: every
 * one-time action whose StartTime has come runs on the group (MinSize/MaxSize as it sets them,
 * DesiredCapacity kept within them) and is no longer listed, as DescribeScheduledActions "gets
 * information about the scheduled actions that haven't run or that have not reached their end time"
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScheduledActions.html).
 * Recurring actions are listed and never run here: the tests that use this harness have none.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoScalingClient,
  BatchDeleteScheduledActionCommand,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeScheduledActionsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { vi } from 'vitest';
import { context, scheduledEvent } from '../fixtures/scaler/lambda-events';
import { outputOf } from '../handlers/emf-capture';
import { motoClientConfig, motoEnvironment } from './moto-server';

export const HOUR = 3600;
export const DAY = 86_400;
export const GROUP = 'web-asg';
export const NS = 'SelfHeal/Soak';
export const STACK_NAME = 'SelfHealSoak';

/** One scheduled action as DescribeScheduledActions lists it. */
export interface ListedAction {
  readonly name: string;
  readonly startSec: number;
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly desired?: number;
  readonly recurrence?: string;
}

/** The group's sizes. */
export interface Sizes {
  readonly minSize: number;
  readonly maxSize: number;
  readonly desired: number;
}

/** What one forecaster run decided for a target, from its `decision` log line. */
export type Decision = Record<string, unknown> & {
  readonly targetId: string;
  readonly status: string;
  readonly plannedCapacities?: readonly number[];
  readonly actions?: {
    readonly baseline: {
      readonly minSize: number;
      readonly source: string;
      readonly reason: string;
      readonly release?: string;
    };
    readonly written: readonly string[];
    readonly deleted: readonly string[];
    readonly notes: readonly string[];
    readonly otherPlans?: readonly string[];
  };
};

/** A WARN line the handler logged. */
export type Warning = Record<string, unknown> & { readonly message: string };

/** A scaled target on {@link GROUP} with hourly history and a custom load metric (`App/Soak` `Load`). */
export function scaledTarget(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'web',
    autoScalingGroupName: GROUP,
    loadMetric: {
      type: 'custom',
      metricDataQueries: [
        { Id: 'load', MetricStat: { Metric: { Namespace: 'App/Soak', MetricName: 'Load' }, Stat: 'Sum' } },
      ],
    },
    targetValue: 100,
    mode: 'forecastAndScale',
    minCapacity: 1,
    maxCapacity: 10,
    periodSec: 3600,
    horizonHours: 48,
    ...overrides,
  };
}

/** A daily cycle between `low` and `high` (peak at 12:00 UTC), with a little deterministic noise. */
export function dailyLoad(low: number, high: number): (tSec: number) => number {
  return (tSec) => {
    const phase = ((tSec % DAY) / DAY) * 2 * Math.PI;
    const i = Math.floor(tSec / HOUR);
    return low + ((high - low) * (1 - Math.cos(phase))) / 2 + ((i * 37) % 11);
  };
}

/** The soak: clients on moto, the simulated clock, the handler and EC2 Auto Scaling's part. */
export class Soak {
  readonly asg: AutoScalingClient;
  readonly cw: CloudWatchClient;
  private handler: ((e: ScheduledEvent, c: Context) => Promise<unknown>) | undefined;

  constructor(endpoint: string) {
    const client = motoClientConfig(endpoint);
    this.asg = new AutoScalingClient(client);
    // moto cannot read gzip-compressed PutMetricData bodies.
    this.cw = new CloudWatchClient({ ...client, disableRequestCompression: true });
    for (const [k, v] of Object.entries({
      ...motoEnvironment(endpoint),
      AWS_DISABLE_REQUEST_COMPRESSION: 'true',
      SELFHEAL_METRIC_NAMESPACE: NS,
      SELFHEAL_STACK_NAME: STACK_NAME,
      POWERTOOLS_SERVICE_NAME: `${STACK_NAME}-forecaster`,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    })) {
      vi.stubEnv(k, v);
    }
  }

  /** The simulated clock (Date only, so the SDK's timers still run). */
  setNow(sec: number): void {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(sec * 1000);
  }

  nowSec(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** Creates {@link GROUP} with these sizes. */
  async createGroup(minSize: number, maxSize: number): Promise<void> {
    await this.asg.send(
      new CreateLaunchConfigurationCommand({
        LaunchConfigurationName: 'soak-lc',
        ImageId: 'ami-12c6146b',
        InstanceType: 't3.micro',
      }),
    );
    await this.asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: GROUP,
        LaunchConfigurationName: 'soak-lc',
        MinSize: minSize,
        MaxSize: maxSize,
        DesiredCapacity: minSize,
        AvailabilityZones: ['us-east-1a'],
      }),
    );
  }

  /** Puts hourly `Load` datapoints for every hour in `[fromSec, toSec)`. */
  async putLoad(fromSec: number, toSec: number, load: (tSec: number) => number): Promise<void> {
    const hours: number[] = [];
    for (let t = fromSec; t < toSec; t += HOUR) hours.push(t);
    for (let i = 0; i < hours.length; i += 500) {
      await this.cw.send(
        new PutMetricDataCommand({
          Namespace: 'App/Soak',
          MetricData: hours.slice(i, i + 500).map((t) => ({
            MetricName: 'Load',
            Timestamp: new Date(t * 1000),
            Value: load(t),
            Unit: 'Count',
          })),
        }),
      );
    }
  }

  /** Writes `targets` as the deployed configuration and loads a fresh handler module on it. */
  async deploy(targets: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'selfheal-soak-'));
    writeFileSync(
      join(dir, 'selfheal-config.json'),
      JSON.stringify({ predictiveScaling: { metricNamespace: NS, targets } }),
    );
    vi.stubEnv('LAMBDA_TASK_ROOT', dir);
    vi.stubEnv('SELFHEAL_CONFIG_FILE', 'selfheal-config.json');
    vi.resetModules();
    this.handler = (await import('../../lambdas/forecaster/handler')).handler;
  }

  /** One scheduled invocation at the simulated now; the decision records and warnings it logged. */
  async run(): Promise<{ result: unknown; decisions: Decision[]; warnings: Warning[] }> {
    const handler = this.handler;
    if (handler === undefined) throw new Error('deploy() before run()');
    let result: unknown;
    const out = await outputOf(async () => {
      result = await handler(
        { ...scheduledEvent, time: new Date(Date.now()).toISOString().replace('.000Z', 'Z') },
        context,
      );
    });
    const decisions: Decision[] = [];
    const warnings: Warning[] = [];
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      const parsed = JSON.parse(line) as { message?: string; level?: string; decision?: Decision };
      if (parsed.message === 'decision' && parsed.decision !== undefined) decisions.push(parsed.decision);
      if (parsed.level === 'WARN' && typeof parsed.message === 'string') warnings.push(parsed as Warning);
    }
    return { result, decisions, warnings };
  }

  /** Every scheduled action of {@link GROUP}, all pages. */
  async actions(): Promise<ListedAction[]> {
    const out: ListedAction[] = [];
    let NextToken: string | undefined;
    do {
      const res = await this.asg.send(
        new DescribeScheduledActionsCommand({ AutoScalingGroupName: GROUP, MaxRecords: 100, NextToken }),
      );
      for (const a of res.ScheduledUpdateGroupActions ?? []) {
        out.push({
          name: a.ScheduledActionName ?? '',
          startSec: Math.round((a.StartTime?.getTime() ?? 0) / 1000),
          ...(a.MinSize === undefined ? {} : { minSize: a.MinSize }),
          ...(a.MaxSize === undefined ? {} : { maxSize: a.MaxSize }),
          ...(a.DesiredCapacity === undefined ? {} : { desired: a.DesiredCapacity }),
          ...(a.Recurrence === undefined ? {} : { recurrence: a.Recurrence }),
        });
      }
      NextToken = res.NextToken;
    } while (NextToken !== undefined && NextToken !== '');
    return out.sort((a, b) => a.startSec - b.startSec || a.name.localeCompare(b.name));
  }

  async sizes(): Promise<Sizes> {
    const res = await this.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }));
    const g = res.AutoScalingGroups?.[0];
    return { minSize: g?.MinSize ?? -1, maxSize: g?.MaxSize ?? -1, desired: g?.DesiredCapacity ?? -1 };
  }

  /** Sets the group's sizes as a person would (UpdateAutoScalingGroup). */
  async setSizes(sizes: Partial<Sizes>): Promise<void> {
    const now = await this.sizes();
    const minSize = sizes.minSize ?? now.minSize;
    const maxSize = sizes.maxSize ?? now.maxSize;
    await this.asg.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: GROUP,
        MinSize: minSize,
        MaxSize: maxSize,
        DesiredCapacity: Math.min(maxSize, Math.max(minSize, sizes.desired ?? now.desired)),
      }),
    );
  }

  /**
   * EC2 Auto Scaling's part up to `tSec`: every one-time action due runs, in StartTime order, and is
   * then no longer listed; an action that would leave MinSize above MaxSize fails (and is gone too).
   * Returns what ran, as `<name> min→<n> max→<n>` or `<name> failed`.
   */
  async runDue(tSec: number): Promise<string[]> {
    const due = (await this.actions()).filter((a) => a.recurrence === undefined && a.startSec <= tSec);
    const ran: string[] = [];
    for (const a of due) {
      const now = await this.sizes();
      const minSize = a.minSize ?? now.minSize;
      const maxSize = a.maxSize ?? now.maxSize;
      if (minSize > maxSize) ran.push(`${a.name} failed`);
      else {
        await this.setSizes({ minSize, maxSize, desired: a.desired ?? now.desired });
        ran.push(`${a.name} min→${minSize} max→${maxSize}`);
      }
    }
    for (let i = 0; i < due.length; i += 50) {
      await this.asg.send(
        new BatchDeleteScheduledActionCommand({
          AutoScalingGroupName: GROUP,
          ScheduledActionNames: due.slice(i, i + 50).map((a) => a.name),
        }),
      );
    }
    return ran;
  }

  /** Lets time pass to `tSec` (EC2 Auto Scaling runs what is due), then runs the forecaster there. */
  async runAt(
    tSec: number,
  ): Promise<{ result: unknown; decisions: Decision[]; warnings: Warning[]; ran: string[] }> {
    const ran = await this.runDue(tSec);
    this.setNow(tSec);
    return { ...(await this.run()), ran };
  }
}

/** An ISO time without milliseconds, for messages. */
export function iso(tSec: number): string {
  return new Date(tSec * 1000).toISOString().replace('.000Z', 'Z');
}

/** The target's own actions (`selfheal-<id>-…`). */
export function own(actions: readonly ListedAction[], id = 'web'): ListedAction[] {
  return actions.filter((a) => a.name.startsWith(`selfheal-${id}-`));
}

/** The decision record of target `id` among a run's. */
export function decisionOf(decisions: readonly Decision[], id = 'web'): Decision {
  const d = decisions.find((x) => x.targetId === id);
  if (d === undefined) throw new Error(`no decision record for target ${id}`);
  return d;
}
