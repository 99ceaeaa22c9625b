/**
 * The deployable artefacts, not the sources: the app is synthesized with its real esbuild bundling
 * (as `cdk deploy` would upload it), and each function's bundle is run in a fresh Node.js process
 * the way Lambda runs it (ESM `index.mjs`, `LAMBDA_TASK_ROOT` at the asset, the environment the
 * template gives the function) against moto. This catches what source-level tests cannot: a
 * module esbuild cannot bundle for ESM (a dynamic `require`), a file the bundle reads but the
 * asset lacks (the config, the document patterns), or an environment variable the template
 * forgets.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, DescribeScheduledActionsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app/build-app';
import { parseAppConfig } from '../../lib/config/parse';
import { context, scheduledEvent } from '../fixtures/scaler/lambda-events';
import { createLedgerTable, motoDynamoDbClient } from './ledger-table';
import { motoClientConfig, motoEnvironment, requireMoto } from './moto-server';
import { motoForSuite } from './moto-suite';
import { config as scalerConfig, seed } from './seed';

const run = requireMoto();

const EVENTS = new URL('../fixtures/events/', import.meta.url);
const ALARM = 'api-cpu-stuck-api-3';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/SelfHeal-RemediationAutomation';

/** The scaler targets the emulator is seeded for, and the example config's observe rule. */
function appConfigInput(): unknown {
  const example = JSON.parse(readFileSync(new URL('../../config/example.json', import.meta.url), 'utf8'));
  const observe = example.remediation.rules.find((r: { mode: string }) => r.mode === 'observe');
  return {
    stackName: 'SelfHealBundles',
    predictiveScaling: scalerConfig.predictiveScaling,
    remediation: { ...example.remediation, rules: [observe] },
  };
}

interface Bundle {
  /** The asset directory: `index.mjs` and the files bundled beside it. */
  readonly dir: string;
  /** The template's plain-string environment; tokens (table, topic, role) as `undefined`. */
  readonly environment: Record<string, string | undefined>;
}

/** Synthesizes the app with bundling into `outdir`; returns each function's bundle by logical-id prefix. */
function synthesize(outdir: string): Map<string, Bundle> {
  const app = new App({ outdir });
  const { stack } = buildApp(app, parseAppConfig(appConfigInput(), 'bundled-functions'));
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const assets = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string; packaging?: string } }>;
  };
  const resources = artifact.template.Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;
  const bundles = new Map<string, Bundle>();
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const key = (r.Properties.Code as { S3Key?: unknown }).S3Key;
    if (typeof key !== 'string') throw new Error(`${id}: Code.S3Key is not a string`);
    const asset = assets.files[key.replace(/\.zip$/, '')];
    if (asset === undefined) throw new Error(`${id}: no asset for ${key}`);
    const variables = (r.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const environment = Object.fromEntries(
      Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
    );
    bundles.set(id, { dir: join(outdir, asset.source.path), environment });
  }
  return bundles;
}

function bundleOf(bundles: Map<string, Bundle>, prefix: string): Bundle {
  const found = [...bundles.entries()].filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one function ${prefix}*, found ${found.length}`);
  return (found[0] as [string, Bundle])[1];
}

const RESULT = '__SELFHEAL_RESULT__';

/** Imports the bundle in a fresh Node.js process and invokes its `handler` once; returns what it returned. */
async function invoke(bundle: Bundle, event: unknown, env: Record<string, string>): Promise<unknown> {
  const script = `
    const { handler } = await import(${JSON.stringify(`file://${bundle.dir}/index.mjs`)});
    const context = JSON.parse(process.env.TEST_CONTEXT);
    context.getRemainingTimeInMillis = () => 60000;
    const result = await handler(JSON.parse(process.env.TEST_EVENT), context);
    process.stdout.write('\\n${RESULT}' + JSON.stringify(result ?? null) + '\\n');
  `;
  const plain = Object.entries(bundle.environment).filter((e): e is [string, string] => e[1] !== undefined);
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...Object.fromEntries(plain),
    ...env,
    LAMBDA_TASK_ROOT: bundle.dir,
    AWS_LAMBDA_FUNCTION_NAME: context.functionName,
    TEST_EVENT: JSON.stringify(event),
    TEST_CONTEXT: JSON.stringify({ ...context, getRemainingTimeInMillis: undefined }),
  };
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: bundle.dir, env: childEnv, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, out, err) =>
        error === null
          ? resolve({ stdout: out, stderr: err })
          : reject(new Error(`${error.message}\n${err}\n${out}`)),
    );
  });
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT));
  if (line === undefined) throw new Error(`the handler printed no result:\n${stdout}\n${stderr}`);
  return JSON.parse(line.slice(RESULT.length));
}

/** The example observe alarm, re-timed to now (the handlers refuse events from years ago). */
function alarmEvent(state: 'ALARM' | 'OK', id: string): unknown {
  const event = JSON.parse(readFileSync(new URL('example-api-cpu-stuck-alarm.json', EVENTS), 'utf8'));
  const now = new Date();
  event.id = id;
  event.time = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  event.detail.state.value = state;
  event.detail.state.timestamp = now.toISOString().replace('Z', '+0000');
  event.detail.previousState.value = state === 'ALARM' ? 'OK' : 'ALARM';
  return event;
}

describe.runIf(run)('bundled functions, as Lambda runs them, on the moto emulator', () => {
  const moto = motoForSuite();
  let outdir: string;
  let bundles: Map<string, Bundle>;
  let env: Record<string, string>;
  let tableName: string;

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'selfheal-bundles-'));
    bundles = synthesize(outdir);
    const client = motoClientConfig(moto().endpoint);
    await seed(
      new CloudWatchClient({ ...client, disableRequestCompression: true }),
      new AutoScalingClient(client),
    );
    tableName = await createLedgerTable(motoDynamoDbClient(moto().endpoint));
    const topic = await new SNSClient(client).send(new CreateTopicCommand({ Name: 'selfheal-escalation' }));
    env = {
      ...motoEnvironment(moto().endpoint),
      // moto cannot read gzip-compressed PutMetricData bodies, which the SDK sends above 10 KB.
      AWS_DISABLE_REQUEST_COMPRESSION: 'true',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      SELFHEAL_LEDGER_TABLE: tableName,
      SELFHEAL_ESCALATION_TOPIC_ARN: topic.TopicArn ?? '',
      SELFHEAL_AUTOMATION_ROLE_ARN: ROLE_ARN,
    };
  }, 120_000);

  afterAll(() => {
    if (outdir !== undefined) rmSync(outdir, { recursive: true, force: true });
  });

  it('bundles one function per handler, each with its part of the validated config beside it', () => {
    expect([...bundles.keys()].map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'PredictiveScalerForecasterFunction',
      'RemediationAlarmHandlerFunction',
      'RemediationSweeperFunction',
      'RemediationVerifyHandlerFunction',
    ]);
    const bundled = (prefix: string) =>
      JSON.parse(readFileSync(join(bundleOf(bundles, prefix).dir, 'selfheal-config.json'), 'utf8'));
    const forecaster = bundled('PredictiveScalerForecaster');
    expect(forecaster.predictiveScaling.targets.map((t: { id: string }) => t.id)).toEqual([
      'web',
      'sessions',
    ]);
    for (const prefix of ['RemediationAlarmHandler', 'RemediationVerifyHandler', 'RemediationSweeper']) {
      expect(bundled(prefix).remediation.rules.map((r: { id: string }) => r.id)).toEqual([
        'api-cpu-stuck-reboot',
      ]);
    }
  });

  it('the forecaster bundle reads the seeded history and writes its scheduled actions', async () => {
    const result = await invoke(bundleOf(bundles, 'PredictiveScalerForecaster'), scheduledEvent, env);
    expect(result).toMatchObject({ total: 2, succeeded: 2, failed: 0 });
    const asg = new AutoScalingClient(motoClientConfig(moto().endpoint));
    const actions = await asg.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'web-asg' }));
    const names = (actions.ScheduledUpdateGroupActions ?? []).map((a) => a.ScheduledActionName ?? '');
    expect(names).toContain('selfheal-web-restore');
    expect(names.filter((n) => /^selfheal-web-\d{4}-/.test(n)).length).toBeGreaterThan(0);
  }, 90_000);

  it('the alarm handler bundle records and notifies an observe rule’s alarm in the ledger', async () => {
    const result = await invoke(
      bundleOf(bundles, 'RemediationAlarmHandler'),
      alarmEvent('ALARM', '0b1e7d3c-6a0f-4c61-9d7e-2f5a8c4b1e01'),
      env,
    );
    expect(result).toMatchObject({
      outcome: 'observed',
      ruleId: 'api-cpu-stuck-reboot',
      resourceId: 'i-0123abcd4567ef890',
      // SNS (moto) took the notification.
      escalation: { kind: 'observed', snsMessageId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    const items = await motoDynamoDbClient(moto().endpoint).send(new ScanCommand({ TableName: tableName }));
    const text = JSON.stringify(items.Items);
    expect(text).toContain('api-cpu-stuck-reboot');
    expect(text).toContain('i-0123abcd4567ef890');
  }, 60_000);

  it('the verification handler bundle finds no remediation open for the observed alarm’s OK', async () => {
    const result = await invoke(
      bundleOf(bundles, 'RemediationVerifyHandler'),
      alarmEvent('OK', '0b1e7d3c-6a0f-4c61-9d7e-2f5a8c4b1e02'),
      env,
    );
    expect(result).toMatchObject({
      outcome: 'skipped',
      reason: `alarm ${ALARM} back to OK; no remediation open`,
    });
  }, 60_000);

  it('the sweeper bundle sweeps the ledger without errors', async () => {
    const result = await invoke(bundleOf(bundles, 'RemediationSweeper'), scheduledEvent, env);
    expect(result).toMatchObject({ errors: [], unreadableLedgerItems: [], escalated: 0 });
  }, 60_000);
});
