/**
 * Remediation benchmark, on the DynamoDB ledger on moto (one request at a time, as DynamoDB
 * applies conditional writes); SSM, SNS, OpsCenter and Auto Scaling mocked (5 groups of 10).
 * 1. Decision latency: 150 deliveries (120 events + 30 duplicate deliveries) over 50 instances,
 *    one at a time through the real alarm handler: the handler's own latency against the
 *    emulator. (Concurrent workers would only measure queueing behind single-threaded moto.)
 * 2. Storm safety, as the issue sets it: 1,000 deliveries (800 events + 200 duplicates) over 50
 *    instances, 20 concurrent, through the engine with the same adapters (about 10 minutes:
 *    moto serves one request at a time and slows as the table grows): zero double starts; never more than 1 open per instance, 3 per group
 *    (34 % of 10) or 10 globally.
 * 3. Overhead from event receipt to the StartAutomationExecution call (SDK mocked, in-memory
 *    ledger), 1,000 events on distinct instances; target p99 < 100 ms.
 * `npx tsx bench/remediation.ts` runs it alone.
 */
import {
  GetAutomationExecutionCommand,
  SSMClient,
  StartAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import { SsmAutomation } from '../lambdas/adapters/ssm-automation';
import { handleAlarmEvent } from '../lambdas/core/remediation/engine-alarm';
import { claimLeaseSec } from '../lambdas/core/remediation/event-claim';
import { parseEvent } from '../lambdas/core/remediation/events';
import { InMemoryLedger } from '../lambdas/core/remediation/ledger-memory';
import { remediationSchema } from '../lib/config/remediation-schema';
import { motoAvailability } from '../test/emulator/moto-server';
import {
  alarmOn,
  DISK_RULE,
  DOCUMENT_NAMES,
  documentPatternsFor,
  ROLE_ARN,
} from '../test/handlers/remediation-setup';
import { isMainModule } from './main-module';
import {
  BLAST_RADIUS_PERCENT,
  CONCURRENCY,
  GLOBAL_CAP,
  GROUP_CAP,
  GROUP_SIZE,
  quantile,
  ssm,
  storm,
} from './remediation-storm';
import { type BenchSection, renderTable } from './section';

const EVENTS = 1000;
const OVERHEAD_TARGET_MS = 100;

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
      readOpsItem: async () => ({ Description: '', OperationalData: {} }),
      updateOpsItem: async () => {},
    },
    clock,
    config,
    engine: {
      home: { account: '123456789012', region: 'us-east-1' },
      automationRoleArn: ROLE_ARN,
      documentNames: DOCUMENT_NAMES,
      documentPatterns: documentPatternsFor(config),
    },
    eventClaimLeaseSec: claimLeaseSec(60),
  };
  let calledAt = 0;
  ssm.reset();
  ssm.on(StartAutomationExecutionCommand).callsFake(() => {
    calledAt = performance.now();
    return { AutomationExecutionId: 'exec' };
  });
  // The status read after the start (outside the measured time): still running.
  ssm
    .on(GetAutomationExecutionCommand)
    .resolves({ AutomationExecution: { AutomationExecutionStatus: 'InProgress' } });
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
          [
            `latency run: deliveries, 1 at a time (${s.latency.deliveries * 0.8} events + ${s.latency.deliveries * 0.2} duplicates)`,
            s.latency.deliveries,
            '-',
            '-',
          ],
          ['decision latency p50 (ms, real handler + moto DynamoDB)', s.latency.p50, '-', '-'],
          ['decision latency p99 (ms)', s.latency.p99, '-', '-'],
          ['latency run wall time (ms)', s.latency.wallMs, '-', '-'],
          [`safety run: deliveries, ${CONCURRENCY} concurrent`, s.safety.deliveries, '-', '-'],
          [
            'StartAutomationExecution calls (= peak open)',
            s.safety.starts,
            `≤ ${GLOBAL_CAP} (global cap)`,
            yes(s.safety.starts <= GLOBAL_CAP),
          ],
          [
            'double starts (same ClientToken twice)',
            s.safety.doubleStarts,
            '0',
            yes(s.safety.doubleStarts === 0),
          ],
          [
            'max open on one instance',
            s.safety.maxPerResource,
            '≤ 1 (resource lock)',
            yes(s.safety.maxPerResource <= 1),
          ],
          [
            `max open in one group (${GROUP_SIZE} in service)`,
            s.safety.maxPerGroup,
            `≤ ${GROUP_CAP} (${BLAST_RADIUS_PERCENT} % blast radius)`,
            yes(s.safety.maxPerGroup <= GROUP_CAP),
          ],
          ['safety run wall time (ms)', s.safety.wallMs, '-', '-'],
          ['latency + safety runs, total (ms)', s.totalMs, '-', '-'],
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
    title: 'Remediation: decision latency and storm safety on the DynamoDB ledger (moto), start overhead',
    table: renderTable(['measure', 'value', 'target', 'met'], rows),
    json: { storm: s ?? { skipped: moto.reason }, overhead: o, globalCap: GLOBAL_CAP, groupCap: GROUP_CAP },
  };
}

if (isMainModule(import.meta.url)) {
  const section = await run();
  console.log(`\n## ${section.title}\n\n${section.table}`);
}
