/**
 * The remediation bench's emulator parts (see ./remediation.ts): decision latency one delivery at
 * a time through the real alarm handler, and storm safety under 20 concurrent workers, each on
 * the DynamoDB ledger on moto with SSM, SNS, OpsCenter and Auto Scaling (5 groups of 10) mocked.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateOpsItemCommand,
  GetAutomationExecutionCommand,
  SSMClient,
  StartAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchAlarmState } from '../lambdas/adapters/alarm-state';
import { AutoScalingMembership } from '../lambdas/adapters/asg-membership';
import { DynamoDbLedger, ledgerDocumentClient } from '../lambdas/adapters/dynamodb-ledger';
import { OpsCenterItems } from '../lambdas/adapters/ops-center';
import { SnsEscalator } from '../lambdas/adapters/sns-escalation';
import { SsmAutomation } from '../lambdas/adapters/ssm-automation';
import { handleAlarmEvent } from '../lambdas/core/remediation/engine-alarm';
import type { EngineDeps } from '../lambdas/core/remediation/engine-ports';
import { claimLeaseSec } from '../lambdas/core/remediation/event-claim';
import { parseEvent } from '../lambdas/core/remediation/events';
import { remediationSchema } from '../lib/config/remediation-schema';
import { REMEDIATION_TIMEOUT_SEC } from '../lib/constructs/remediation-function';
import { createLedgerTable } from '../test/emulator/ledger-table';
import { startMoto } from '../test/emulator/moto-server';
import {
  alarmOn,
  context,
  DISK_RULE,
  DOCUMENT_NAMES,
  documentPatternsFor,
  ROLE_ARN,
} from '../test/handlers/remediation-setup';

export const LATENCY_DELIVERIES = 150;
export const SAFETY_DELIVERIES = 1000;
export const RESOURCES = 50;
export const GROUP_SIZE = 10;
export const BLAST_RADIUS_PERCENT = 34;
export const GROUP_CAP = Math.floor((BLAST_RADIUS_PERCENT * GROUP_SIZE) / 100);
const DUPLICATE_SHARE = 0.2;
export const CONCURRENCY = 20;
export const GLOBAL_CAP = 10;
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:SelfHeal-Escalation';

/** The one SSM mock (a second mockClient of the class would replace it). */
export const ssm = mockClient(SSMClient);
export const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};
const instance = (i: number) => `i-${(i % RESOURCES).toString(16).padStart(17, '0')}`;
const groupOf = (instanceId: string) =>
  `asg-${Number.parseInt(instanceId.slice(2), 16) % (RESOURCES / GROUP_SIZE)}`;
const rule = { ...DISK_RULE, limits: { blastRadiusPercent: BLAST_RADIUS_PERCENT } };
const remediation = {
  maxConcurrentRemediations: GLOBAL_CAP,
  cleanupAllowedPathPrefixes: ['/var/log/app/'],
  rules: [rule],
};

/** `total` deliveries: distinct events round-robin over the instances, 20 % delivered twice, shuffled. */
function deliveries(prefix: string, total: number): Array<Record<string, unknown>> {
  const unique = Math.round(total * (1 - DUPLICATE_SHARE));
  const events = Array.from({ length: unique }, (_, i) => alarmOn(`${prefix}-${i}`, instance(i)));
  const all = [...events, ...events.slice(0, total - unique)];
  let seed = 42;
  for (let i = all.length - 1; i > 0; i -= 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = seed % (i + 1);
    [all[i], all[j]] = [all[j] as Record<string, unknown>, all[i] as Record<string, unknown>];
  }
  return all;
}

/** What the mocked SSM saw: starts per instance and group, and repeated ClientTokens. */
class StartLog {
  readonly byResource = new Map<string, number>();
  readonly byGroup = new Map<string, number>();
  readonly tokens = new Set<string>();
  doubleStarts = 0;
  record(input: { ClientToken?: string; Parameters?: Record<string, string[]> }) {
    const resource = input.Parameters?.InstanceId?.[0] ?? '';
    if (this.tokens.has(input.ClientToken ?? '')) this.doubleStarts += 1;
    this.tokens.add(input.ClientToken ?? '');
    this.byResource.set(resource, (this.byResource.get(resource) ?? 0) + 1);
    this.byGroup.set(groupOf(resource), (this.byGroup.get(groupOf(resource)) ?? 0) + 1);
  }
  /** No remediation closes during a run, so every start still holds its slots: starts = peak. */
  summary() {
    return {
      starts: this.tokens.size + this.doubleStarts,
      doubleStarts: this.doubleStarts,
      maxPerResource: Math.max(0, ...this.byResource.values()),
      maxPerGroup: Math.max(0, ...this.byGroup.values()),
    };
  }
}

function mockAws(log: StartLog): void {
  mockClient(SNSClient).on(PublishCommand).resolves({ MessageId: 'm' });
  mockClient(CloudWatchClient);
  const asg = mockClient(AutoScalingClient);
  asg.on(DescribeAutoScalingInstancesCommand).callsFake((input: { InstanceIds?: string[] }) => ({
    AutoScalingInstances: [
      { InstanceId: input.InstanceIds?.[0], AutoScalingGroupName: groupOf(input.InstanceIds?.[0] ?? 'i-0') },
    ],
  }));
  asg.on(DescribeAutoScalingGroupsCommand).callsFake((input: { AutoScalingGroupNames?: string[] }) => ({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: input.AutoScalingGroupNames?.[0],
        Instances: Array.from({ length: GROUP_SIZE }, (_, i) => ({
          InstanceId: `x-${i}`,
          LifecycleState: 'InService',
        })),
      },
    ],
  }));
  ssm.reset();
  ssm.on(CreateOpsItemCommand).resolves({ OpsItemId: 'oi' });
  ssm
    .on(StartAutomationExecutionCommand)
    .callsFake((input: { ClientToken?: string; Parameters?: Record<string, string[]> }) => {
      log.record(input);
      return { AutomationExecutionId: `exec-${input.ClientToken}` };
    });
  // The status read right after each start: still running, as it is in practice.
  ssm
    .on(GetAutomationExecutionCommand)
    .resolves({ AutomationExecution: { AutomationExecutionStatus: 'InProgress' } });
}

/** The handler's environment and bundled files, pointing at `tableName` on moto. */
function handlerEnv(endpoint: string, tableName: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'selfheal-bench-'));
  writeFileSync(
    join(dir, 'selfheal-config.json'),
    JSON.stringify({ predictiveScaling: { targets: [] }, remediation }),
  );
  writeFileSync(
    join(dir, 'selfheal-document-patterns.json'),
    JSON.stringify(documentPatternsFor(remediation)),
  );
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    LAMBDA_TASK_ROOT: dir,
    SELFHEAL_CONFIG_FILE: 'selfheal-config.json',
    SELFHEAL_LEDGER_TABLE: tableName,
    SELFHEAL_ESCALATION_TOPIC_ARN: TOPIC_ARN,
    SELFHEAL_AUTOMATION_ROLE_ARN: ROLE_ARN,
    SELFHEAL_DOCUMENT_NAMES: JSON.stringify(DOCUMENT_NAMES),
    SELFHEAL_DOCUMENT_PATTERNS_FILE: 'selfheal-document-patterns.json',
    // The deployed functions' timeout, as the RemediationFunction construct sets it.
    SELFHEAL_FUNCTION_TIMEOUT_SEC: String(REMEDIATION_TIMEOUT_SEC),
    SELFHEAL_STACK_NAME: 'Bench',
    POWERTOOLS_SERVICE_NAME: 'SelfHeal-remediation-alarm',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
}

/** Part 1: the real handler, one delivery at a time. */
async function latency(endpoint: string, tableName: string, total: number) {
  handlerEnv(endpoint, tableName);
  const log = new StartLog();
  mockAws(log);
  const { handler } = await import('../lambdas/remediation-alarm/handler');
  const samples: number[] = [];
  const t0 = performance.now();
  for (const e of deliveries('lat', total)) {
    const t = performance.now();
    await handler(e, context);
    samples.push(performance.now() - t);
  }
  return {
    deliveries: total,
    p50: quantile(samples, 0.5),
    p99: quantile(samples, 0.99),
    wallMs: performance.now() - t0,
    ...log.summary(),
  };
}

/** Part 2: 20 concurrent workers through the engine and the handler's adapters. */
async function safety(endpoint: string, tableName: string, total: number) {
  const log = new StartLog();
  mockAws(log);
  const clock = { nowSec: () => Math.floor(Date.now() / 1000) };
  const ssmClient = new SSMClient({});
  const deps: EngineDeps = {
    ledger: new DynamoDbLedger({
      client: ledgerDocumentClient(new DynamoDBClient({ endpoint })),
      tableName,
      clock,
      retentionDays: 7,
    }),
    automation: new SsmAutomation(ssmClient),
    alarms: new CloudWatchAlarmState(new CloudWatchClient({})),
    groups: new AutoScalingMembership(new AutoScalingClient({})),
    escalator: new SnsEscalator(
      new SNSClient({}),
      TOPIC_ARN,
      new OpsCenterItems(ssmClient, { key: 'selfheal:stack', value: 'Bench' }),
    ),
    clock,
    config: remediationSchema.parse(remediation),
    engine: {
      home: { account: '123456789012', region: 'us-east-1' },
      automationRoleArn: ROLE_ARN,
      documentNames: DOCUMENT_NAMES,
      documentPatterns: documentPatternsFor(remediation),
    },
    eventClaimLeaseSec: claimLeaseSec(REMEDIATION_TIMEOUT_SEC),
  };
  const queue = deliveries('storm', total);
  const outcomes = new Map<string, number>();
  const worker = async () => {
    for (let e = queue.shift(); e !== undefined; e = queue.shift()) {
      const parsed = parseEvent(e);
      if (parsed.kind !== 'alarmStateChange') throw new Error('bench event did not parse');
      const r = await handleAlarmEvent(parsed, deps);
      outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const result = {
    deliveries: total,
    wallMs: performance.now() - t0,
    outcomes: Object.fromEntries(outcomes),
    ...log.summary(),
  };
  if (
    result.doubleStarts !== 0 ||
    result.maxPerResource > 1 ||
    result.maxPerGroup > GROUP_CAP ||
    result.starts > GLOBAL_CAP
  ) {
    throw new Error(`storm guard violated: ${JSON.stringify(result)}`);
  }
  return result;
}

/**
 * Each part on its own emulator and table, so neither starts with the other's items: moto
 * deep-copies the table once per item of every TransactWriteItems (its rollback), so its write
 * latency grows with the table's size, which real DynamoDB's does not.
 */
async function onMoto<T>(part: (endpoint: string, tableName: string) => Promise<T>): Promise<T> {
  const moto = await startMoto({ atomicRequests: true });
  try {
    const ddb = new DynamoDBClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    return await part(moto.endpoint, await createLedgerTable(ddb));
  } finally {
    await moto.stop();
  }
}

/** Deliveries of each part; the benchmark runs the defaults, a smoke test a handful. */
export interface StormSize {
  readonly latency: number;
  readonly safety: number;
}

/** Both parts; throws when a safety check fails. */
export async function storm(size: StormSize = { latency: LATENCY_DELIVERIES, safety: SAFETY_DELIVERIES }) {
  const t0 = performance.now();
  const lat = await onMoto((endpoint, table) => latency(endpoint, table, size.latency));
  const safe = await onMoto((endpoint, table) => safety(endpoint, table, size.safety));
  return { latency: lat, safety: safe, totalMs: performance.now() - t0 };
}
