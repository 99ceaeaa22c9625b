/**
 * Remediation benchmark.
 * 1. Alarm storm: 1,000 deliveries (800 events + 200 duplicate deliveries) over 50 instances,
 *    20 at a time, through the real alarm handler and the DynamoDB ledger on moto (one request
 *    at a time, as DynamoDB applies conditional writes); SSM, SNS, OpsCenter, Auto Scaling mocked.
 *    Asserts zero double starts and that neither the per-resource lock nor the global cap is ever
 *    exceeded; reports decision latency p50/p99.
 * 2. Overhead from event receipt to the StartAutomationExecution call (SDK mocked, in-memory
 *    ledger), 1,000 events on distinct instances; target p99 < 100 ms.
 * `npx tsx bench/remediation.ts` runs it alone.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateOpsItemCommand, SSMClient, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { SsmAutomation } from '../lambdas/adapters/ssm-automation';
import { handleAlarmEvent } from '../lambdas/core/remediation/engine-alarm';
import { parseEvent } from '../lambdas/core/remediation/events';
import { InMemoryLedger } from '../lambdas/core/remediation/ledger-memory';
import { remediationSchema } from '../lib/config/remediation-schema';
import { createLedgerTable } from '../test/emulator/ledger-table';
import { motoAvailability, startMoto } from '../test/emulator/moto-server';
import { alarmOn, context, DISK_RULE, DOCUMENT_NAMES, ROLE_ARN } from '../test/handlers/remediation-setup';
import { type BenchSection, renderTable } from './section';

const EVENTS = 1000;
const RESOURCES = 50;
const DUPLICATE_SHARE = 0.2;
const CONCURRENCY = 20;
const GLOBAL_CAP = 10;
const OVERHEAD_TARGET_MS = 100;

const ssm = mockClient(SSMClient);
const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};
const instance = (i: number) => `i-${(i % RESOURCES).toString(16).padStart(17, '0')}`;

/** Deliveries: 800 distinct events round-robin over the instances, 200 of them delivered twice, shuffled. */
function deliveries(): Array<Record<string, unknown>> {
  const unique = Math.round(EVENTS * (1 - DUPLICATE_SHARE));
  const events = Array.from({ length: unique }, (_, i) => alarmOn(`storm-${i}`, instance(i)));
  const all = [...events, ...events.slice(0, EVENTS - unique)];
  let seed = 42;
  for (let i = all.length - 1; i > 0; i -= 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = seed % (i + 1);
    [all[i], all[j]] = [all[j] as Record<string, unknown>, all[i] as Record<string, unknown>];
  }
  return all;
}

async function storm() {
  const moto = await startMoto({ atomicRequests: true });
  try {
    for (const [k, v] of Object.entries({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    }))
      process.env[k] = v;
    const tableName = await createLedgerTable(new DynamoDBClient({ endpoint: moto.endpoint }));
    const dir = mkdtempSync(join(tmpdir(), 'selfheal-bench-'));
    const remediation = {
      maxConcurrentRemediations: GLOBAL_CAP,
      cleanupAllowedPathPrefixes: ['/var/log/app/'],
      rules: [DISK_RULE],
    };
    writeFileSync(
      join(dir, 'selfheal-config.json'),
      JSON.stringify({ predictiveScaling: { targets: [] }, remediation }),
    );
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
      LAMBDA_TASK_ROOT: dir,
      SELFHEAL_CONFIG_FILE: 'selfheal-config.json',
      SELFHEAL_LEDGER_TABLE: tableName,
      SELFHEAL_ESCALATION_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:SelfHeal-Escalation',
      SELFHEAL_AUTOMATION_ROLE_ARN: ROLE_ARN,
      SELFHEAL_DOCUMENT_NAMES: JSON.stringify(DOCUMENT_NAMES),
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    mockClient(SNSClient).on(PublishCommand).resolves({ MessageId: 'm' });
    mockClient(CloudWatchClient);
    mockClient(AutoScalingClient)
      .on(DescribeAutoScalingInstancesCommand)
      .resolves({ AutoScalingInstances: [] });
    const startsByResource = new Map<string, number>();
    const tokens = new Set<string>();
    let doubleStarts = 0;
    ssm.reset();
    ssm.on(CreateOpsItemCommand).resolves({ OpsItemId: 'oi' });
    ssm
      .on(StartAutomationExecutionCommand)
      .callsFake((input: { ClientToken?: string; Parameters?: Record<string, string[]> }) => {
        const resource = input.Parameters?.InstanceId?.[0] ?? '';
        if (tokens.has(input.ClientToken ?? '')) doubleStarts += 1;
        tokens.add(input.ClientToken ?? '');
        startsByResource.set(resource, (startsByResource.get(resource) ?? 0) + 1);
        return { AutomationExecutionId: `exec-${input.ClientToken}` };
      });
    const { handler } = await import('../lambdas/remediation-alarm/handler');
    const queue = deliveries();
    const latencies: number[] = [];
    const outcomes = new Map<string, number>();
    const worker = async () => {
      for (let e = queue.shift(); e !== undefined; e = queue.shift()) {
        const t0 = performance.now();
        const r = await handler(e, context);
        latencies.push(performance.now() - t0);
        outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const wallMs = performance.now() - t0;
    const starts = [...startsByResource.values()].reduce((a, b) => a + b, 0);
    const maxPerResource = Math.max(0, ...startsByResource.values());
    // No remediation is resolved during the storm, so every start still holds its slot: starts = peak concurrency.
    const result = {
      deliveries: EVENTS,
      starts,
      doubleStarts,
      maxPerResource,
      peakConcurrent: starts,
      wallMs,
      outcomes: Object.fromEntries(outcomes),
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
    };
    if (doubleStarts !== 0 || maxPerResource > 1 || starts > GLOBAL_CAP) {
      throw new Error(`storm guard violated: ${JSON.stringify(result)}`);
    }
    return result;
  } finally {
    await moto.stop();
  }
}

async function overhead() {
  const config = remediationSchema.parse({
    maxConcurrentRemediations: 1000,
    cleanupAllowedPathPrefixes: ['/var/log/app/'],
    rules: [DISK_RULE],
  });
  const clock = { nowSec: () => Math.floor(Date.now() / 1000) };
  const deps = {
    ledger: new InMemoryLedger(clock, { retentionDays: 90 }),
    automation: new SsmAutomation(
      new SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } }),
    ),
    alarms: { stateOf: async () => 'ALARM' as const },
    groups: { groupOf: async () => undefined },
    escalator: {
      notify: async () => 'm',
      openOpsItem: async () => ({ opsItemId: 'oi', deduplicated: false }),
    },
    clock,
    config,
    engine: { automationRoleArn: ROLE_ARN, documentNames: DOCUMENT_NAMES },
  };
  let calledAt = 0;
  ssm.reset();
  ssm.on(StartAutomationExecutionCommand).callsFake(() => {
    calledAt = performance.now();
    return { AutomationExecutionId: 'exec' };
  });
  const samples: number[] = [];
  for (let i = 0; i < EVENTS; i += 1) {
    const raw = JSON.parse(JSON.stringify(alarmOn(`oh-${i}`, `i-${i.toString(16).padStart(17, '0')}`)));
    const t0 = performance.now();
    const parsed = parseEvent(raw);
    if (parsed.kind !== 'alarmStateChange') throw new Error('bench event did not parse');
    const r = await handleAlarmEvent(parsed, deps);
    if (r.outcome !== 'started') throw new Error(`bench event ${i} not started: ${r.reason}`);
    samples.push(calledAt - t0);
  }
  return {
    events: EVENTS,
    p50: quantile(samples, 0.5),
    p99: quantile(samples, 0.99),
    max: Math.max(...samples),
  };
}

/** Runs both parts; the storm is skipped (and says so) where moto is missing. */
export async function run(): Promise<BenchSection> {
  const moto = motoAvailability();
  const s = moto.available ? await storm() : undefined;
  const o = await overhead();
  const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
  const rows: Array<Array<string | number>> =
    s === undefined
      ? [['alarm storm', `skipped: ${moto.reason}`, '-', '-']]
      : [
          ['storm deliveries (800 events + 200 duplicates, 50 instances)', s.deliveries, '-', '-'],
          [
            'StartAutomationExecution calls',
            s.starts,
            `≤ ${GLOBAL_CAP} (global cap)`,
            yes(s.starts <= GLOBAL_CAP),
          ],
          ['double starts (same ClientToken twice)', s.doubleStarts, '0', yes(s.doubleStarts === 0)],
          [
            'max starts on one instance while open',
            s.maxPerResource,
            '≤ 1 (resource lock)',
            yes(s.maxPerResource <= 1),
          ],
          ['decision latency p50 (ms, handler + moto DynamoDB)', s.p50, '-', '-'],
          ['decision latency p99 (ms)', s.p99, '-', '-'],
          ['storm wall time (ms, 20 concurrent)', s.wallMs, '-', '-'],
        ];
  rows.push(
    ['receipt → StartAutomationExecution p50 (ms, SDK mocked)', o.p50, '-', '-'],
    [
      'receipt → StartAutomationExecution p99 (ms)',
      o.p99,
      `< ${OVERHEAD_TARGET_MS}`,
      yes(o.p99 < OVERHEAD_TARGET_MS),
    ],
  );
  return {
    name: 'remediation',
    title: 'Remediation: alarm storm on the DynamoDB ledger (moto) and start overhead',
    table: renderTable(['measure', 'value', 'target', 'met'], rows),
    json: { storm: s ?? { skipped: moto.reason }, overhead: o, globalCap: GLOBAL_CAP },
  };
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const section = await run();
  console.log(`\n## ${section.title}\n\n${section.table}`);
}
