/**
 * Shared arrangement for the remediation handler and scenario tests: the ledger table on moto,
 * the bundled config, the environment, a frozen Date, real AWS event samples re-keyed per test.
 * SDK mocks are created by each test file (aws-sdk-client-mock replaces a client class's `send`
 * for every instance, so a file decides which services are mocked and which go to moto).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { vi } from 'vitest';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import type { EngineResult } from '../../lambdas/core/remediation/engine-result';
import type { DocumentPatterns } from '../../lib/config/document-patterns';
import { remediationSchema } from '../../lib/config/remediation-schema';
import { shippedDocumentPatterns } from '../../lib/ssm-documents/shipped-documents';
import { createLedgerTable } from '../emulator/ledger-table';
import type { MotoServer } from '../emulator/moto-server';
import { context as lambdaContext, scheduledEvent } from '../fixtures/scaler/lambda-events';

export { requireMoto, startMoto } from '../emulator/moto-server';

/** 2026-11-27T03:13:00Z, just after the example disk-full alarm. */
export const NOW_MS = Date.UTC(2026, 10, 27, 3, 13);
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/SelfHeal-RemediationAutomation';
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:SelfHeal-Escalation';
export const DOCUMENT_NAMES = {
  'cleanup-directory': 'SelfHeal-CleanupDirectory',
  'restart-service': 'SelfHeal-RestartService',
  'replace-unhealthy-instance': 'SelfHeal-ReplaceUnhealthyInstance',
};
/**
 * The shipped documents' parameter patterns for a remediation config's cleanup prefixes, rendered
 * from the YAML as the synth renders them for the bundle.
 */
export function documentPatternsFor(remediation: Record<string, unknown>): DocumentPatterns {
  const parsed = remediationSchema.safeParse(remediation);
  const prefixes = parsed.success ? parsed.data.cleanupAllowedPathPrefixes : ['/var/log/'];
  return shippedDocumentPatterns({ cleanupAllowedPathPrefixes: prefixes });
}

/** Each handler's Powertools service name, as a stack named `SelfHeal` deploys it (`<stackName>-…`). */
export const SERVICE_NAMES = {
  alarm: 'SelfHeal-remediation-alarm',
  verify: 'SelfHeal-remediation-verify',
  sweep: 'SelfHeal-remediation-sweeper',
} as const;

export const INSTANCE = 'i-0abc123def4567890';
export const ALARM = 'disk-full-web-1';
/** Execution id of the AWS sample status-change events. */
export const EXECUTION_ID = '333ba70b-2333-48db-b17e-a5e69c6f4d1c';

/** The disk-full rule of config/example.json (enforce). */
export const DISK_RULE = {
  id: 'disk-full-cleanup',
  match: { alarmNamePattern: 'disk-full-*', namespace: 'CWAgent', metricName: 'disk_used_percent' },
  resource: { from: 'dimension', dimension: 'InstanceId' },
  document: { shipped: 'cleanup-directory' },
  parameters: { InstanceId: '{{resourceId}}', Directory: '/var/log/app/', OlderThanDays: '7' },
  mode: 'enforce',
};

/** A remediation config with `rules`, cleanup allowed under `/var/log/app/` (where {@link DISK_RULE} cleans). */
export function withRules(...rules: object[]): Record<string, unknown> {
  return { cleanupAllowedPathPrefixes: ['/var/log/app/'], rules };
}

export type Handler = (event: unknown, context: Context) => Promise<EngineResult>;

/** The three handlers, loaded fresh against one new ledger table. */
export interface Loaded {
  readonly alarm: Handler;
  readonly verify: Handler;
  readonly sweep: (event: ScheduledEvent, context: Context) => Promise<unknown>;
  /** A ledger on the same table, to look at what the handlers recorded. */
  readonly ledger: DynamoDbLedger;
  readonly tableName: string;
}

/** Freezes Date only (SDK timers still run) at `ms`. */
export function freezeDate(ms = NOW_MS): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(ms);
}

/** Moves the frozen Date on by `sec`. */
export function advance(sec: number): void {
  vi.setSystemTime(Date.now() + sec * 1000);
}

/**
 * Creates a ledger table on moto, writes the config and document patterns, stubs the environment (DynamoDB, and any
 * `toMoto` services, pointed at moto) and imports the handlers anew.
 */
export async function loadHandlers(
  moto: MotoServer,
  remediation: Record<string, unknown>,
  opts: {
    toMoto?: readonly ('CLOUDWATCH' | 'SNS' | 'AUTO_SCALING')[];
    topicArn?: string;
    /** Variables on top of the defaults; `undefined` unsets one (`POWERTOOLS_SERVICE_NAME` too). */
    env?: Record<string, string | undefined>;
  } = {},
): Promise<Loaded> {
  const creds = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
  for (const [k, v] of Object.entries(creds)) vi.stubEnv(k, v);
  const ddb = new DynamoDBClient({ endpoint: moto.endpoint });
  const tableName = await createLedgerTable(ddb);
  const dir = mkdtempSync(join(tmpdir(), 'selfheal-remediation-'));
  const config = { predictiveScaling: { targets: [] }, remediation };
  writeFileSync(join(dir, 'selfheal-config.json'), JSON.stringify(config));
  writeFileSync(
    join(dir, 'selfheal-document-patterns.json'),
    JSON.stringify(documentPatternsFor(remediation)),
  );
  const env: Record<string, string | undefined> = {
    AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
    LAMBDA_TASK_ROOT: dir,
    SELFHEAL_CONFIG_FILE: 'selfheal-config.json',
    SELFHEAL_LEDGER_TABLE: tableName,
    SELFHEAL_ESCALATION_TOPIC_ARN: opts.topicArn ?? TOPIC_ARN,
    SELFHEAL_AUTOMATION_ROLE_ARN: ROLE_ARN,
    SELFHEAL_DOCUMENT_NAMES: JSON.stringify(DOCUMENT_NAMES),
    SELFHEAL_DOCUMENT_PATTERNS_FILE: 'selfheal-document-patterns.json',
    SELFHEAL_FUNCTION_TIMEOUT_SEC: '60',
    SELFHEAL_STACK_NAME: 'SelfHeal',
    SELFHEAL_SDK_MAX_ATTEMPTS: '1',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...Object.fromEntries((opts.toMoto ?? []).map((s) => [`AWS_ENDPOINT_URL_${s}`, moto.endpoint])),
    ...opts.env,
  };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  vi.resetModules();
  // Each handler reads its own service name at cold start, as its function's environment gives it.
  const serviceName = (own: string) =>
    opts.env !== undefined && 'POWERTOOLS_SERVICE_NAME' in opts.env ? opts.env.POWERTOOLS_SERVICE_NAME : own;
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', serviceName(SERVICE_NAMES.alarm));
  const alarm = await import('../../lambdas/remediation-alarm/handler');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', serviceName(SERVICE_NAMES.verify));
  const verify = await import('../../lambdas/remediation-verify/handler');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', serviceName(SERVICE_NAMES.sweep));
  const sweep = await import('../../lambdas/remediation-sweeper/handler');
  const ledger = new DynamoDbLedger({
    client: ledgerDocumentClient(ddb),
    tableName,
    clock: { nowSec: () => Math.floor(Date.now() / 1000) },
    retentionDays: 90,
  });
  return {
    alarm: alarm.handler,
    verify: verify.handler,
    sweep: (e, c) => sweep.handler(e, c),
    ledger,
    tableName,
  };
}

/** A Lambda context for the remediation functions. */
export const context: Context = { ...lambdaContext, functionName: 'SelfHeal-RemediationAlarmHandler' };

/** The sweeper's scheduled event at the current (frozen) time. */
export function sweepEvent(): ScheduledEvent {
  return {
    ...scheduledEvent,
    id: `sweep-${Date.now()}`,
    time: new Date(Date.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8'));
}

/**
 * The example disk-full alarm as EventBridge delivers it, with its own event id, at the frozen
 * time; `OK` swaps the states (ALARM → OK). `alarmName` renames the alarm (and its ARN).
 */
export function alarmEvent(
  id: string,
  state: 'ALARM' | 'OK' = 'ALARM',
  alarmName = ALARM,
): Record<string, unknown> {
  const e = fixture('example-disk-full-alarm.json') as { detail: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  const detail = { ...e.detail, alarmName };
  const now = new Date(Date.now());
  // CloudWatch stamps an OK when it happens, after the ALARM it ends (which becomes previousState).
  const swapped =
    state === 'OK'
      ? {
          state: {
            ...(e.detail.previousState as object),
            timestamp: now.toISOString().replace('Z', '+0000'),
          },
          previousState: e.detail.state,
        }
      : {};
  return {
    ...e,
    id,
    time: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
    detail: { ...detail, ...swapped },
  };
}

/** The disk-full alarm of another instance (dimension InstanceId replaced). */
export function alarmOn(id: string, instanceId: string): Record<string, unknown> {
  const text = JSON.stringify(alarmEvent(id, 'ALARM', `disk-full-${instanceId}`));
  return JSON.parse(text.replaceAll(INSTANCE, instanceId));
}

/** An automation status-change sample with `status`, its own event id and execution id. */
export function automationEvent(
  id: string,
  status: string,
  executionId = EXECUTION_ID,
): Record<string, unknown> {
  const e = fixture('ssm-automation-execution-success.json') as { detail: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  return {
    ...e,
    id,
    detail: {
      ...e.detail,
      Status: status,
      ExecutionId: executionId,
      Definition: 'SelfHeal-CleanupDirectory',
    },
  };
}

/** A raw fixture by name. */
export function rawEvent(name: string): unknown {
  return fixture(name);
}
