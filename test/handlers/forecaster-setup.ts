/** Shared arrangement for forecaster handler tests: config file, env, frozen Date, SDK mocks. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoScalingClient,
  BatchDeleteScheduledActionCommand,
  BatchPutScheduledUpdateGroupActionCommand,
  DescribeAutoScalingGroupsCommand,
  type DescribeAutoScalingGroupsCommandInput,
  DescribeScheduledActionsCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import {
  FakeMetricStore,
  type FakeMetricsOptions,
  fakeGetMetricData,
} from '../fixtures/scaler/fake-cloudwatch';

/** 2024-03-04T10:30:00Z. */
export const NOW_MS = 1_709_548_200_000;
/** The forecast namespace the handler publishes to. */
export const NAMESPACE = 'SelfHeal/Test';
/** The stack the handler belongs to, as its function's environment names it. */
export const STACK_NAME = 'SelfHeal';

export const cw = mockClient(CloudWatchClient);
export const asg = mockClient(AutoScalingClient);

export { context, scheduledEvent } from '../fixtures/scaler/lambda-events';

/** Targets `t0..t<n-1>` on groups `g0..`; hourly history keeps 1,200 forecasts quick. */
export function targets(n: number, overrides: Record<string, unknown> = {}): Array<Record<string, unknown>> {
  return Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    autoScalingGroupName: `g${i}`,
    loadMetric: { type: 'predefined', metric: 'ASGTotalCPUUtilization' },
    targetValue: 100,
    mode: 'forecastAndScale',
    minCapacity: 2,
    maxCapacity: 20,
    periodSec: 3600,
    horizonHours: 24,
    ...overrides,
  }));
}

/**
 * Writes the config, stubs the environment (`extraEnv` on top; `undefined` unsets a variable) and
 * loads a fresh handler module.
 */
export async function loadHandler(
  targetList: ReadonlyArray<Record<string, unknown>>,
  extraEnv: Record<string, string | undefined> = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'selfheal-forecaster-'));
  writeFileSync(
    join(dir, 'selfheal-config.json'),
    JSON.stringify({ predictiveScaling: { targets: targetList } }),
  );
  vi.stubEnv('LAMBDA_TASK_ROOT', dir);
  vi.stubEnv('SELFHEAL_CONFIG_FILE', 'selfheal-config.json');
  vi.stubEnv('SELFHEAL_METRIC_NAMESPACE', NAMESPACE);
  vi.stubEnv('SELFHEAL_STACK_NAME', STACK_NAME);
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', `${STACK_NAME}-forecaster`);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  // Lambda sets it from the function's MemorySize (the construct's default).
  vi.stubEnv('AWS_LAMBDA_FUNCTION_MEMORY_SIZE', '1024');
  for (const [k, v] of Object.entries(extraEnv)) vi.stubEnv(k, v);
  vi.resetModules();
  return import('../../lambdas/forecaster/handler');
}

/**
 * Default AWS behaviour: history per fake, every group exists, no scheduled actions, writes
 * succeed; forecasts put are kept in the returned store and read back from it.
 */
export function mockAws(metrics: FakeMetricsOptions = {}): FakeMetricStore {
  cw.reset();
  asg.reset();
  const store = new FakeMetricStore(NAMESPACE);
  cw.on(GetMetricDataCommand).callsFake(fakeGetMetricData({ store, ...metrics }));
  cw.on(PutMetricDataCommand).callsFake(store.put);
  asg.on(DescribeAutoScalingGroupsCommand).callsFake((input: DescribeAutoScalingGroupsCommandInput) => ({
    AutoScalingGroups: (input.AutoScalingGroupNames ?? []).map((name) => group(name)),
  }));
  asg.on(DescribeScheduledActionsCommand).resolves({ ScheduledUpdateGroupActions: [] });
  asg.on(BatchPutScheduledUpdateGroupActionCommand).resolves({ FailedScheduledUpdateGroupActions: [] });
  asg.on(BatchDeleteScheduledActionCommand).resolves({ FailedScheduledActions: [] });
  return store;
}

/** A group as DescribeAutoScalingGroups returns it (required fields only). */
export function group(name: string) {
  return {
    AutoScalingGroupName: name,
    AutoScalingGroupARN: `arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:0b2c8e4d-1111-2222-3333-444455556666:autoScalingGroupName/${name}`,
    MinSize: 2,
    MaxSize: 20,
    DesiredCapacity: 2,
    DefaultCooldown: 300,
    AvailabilityZones: ['us-east-1a'],
    HealthCheckType: 'EC2',
    CreatedTime: new Date('2024-01-01T00:00:00Z'),
  };
}

/** Freezes Date only, so SDK timers still run. */
export function freezeDate(): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW_MS);
}
