/**
 * An AWS endpoint that accepts the connection and never answers must not hold an invocation until
 * Lambda kills it (then nothing is logged, published or emitted). The handlers' SDK clients time
 * out each attempt (lambdas/runtime/sdk-client-config.ts), the remediation functions' calls give
 * up at the invocation's deadline (lambdas/runtime/invocation-deadline.ts), and the forecaster
 * stops waiting on its targets before its own (lambdas/core/scaler/deadline.ts). Here the endpoint
 * is a local server that accepts connections and never answers, and the Lambda context says the
 * invocation has 2 s left.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { shippedDocumentPatterns } from '../../lib/ssm-documents/shipped-documents';
import { context, scheduledEvent } from '../fixtures/scaler/lambda-events';
import { type SilentEndpoint, silentEndpoint } from '../fixtures/silent-endpoint';

const REMAINING_MS = 2000;
/** Slack for the handler to notice the deadline and return or throw. */
const GRACE_MS = 1500;

let server: SilentEndpoint;
let endpoint = '';
/** Connections accepted before the current test. */
let earlier = 0;

beforeAll(async () => {
  server = await silentEndpoint();
  endpoint = server.url;
});

afterEach(() => {
  // Lets the hung calls fail, so no handler is left pending after its test.
  server.dropConnections();
  earlier = server.sockets.length;
  vi.unstubAllEnvs();
});

afterAll(async () => {
  await server.close();
});

/** A context whose deadline is `REMAINING_MS` after the invocation starts. */
function contextWithDeadline(base: Context): Context {
  const deadline = Date.now() + REMAINING_MS;
  return { ...base, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}

/** True when `promise` settles (either way) within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = promise.then(
    () => true,
    () => true,
  );
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([settled, late]);
  clearTimeout(timer);
  return result;
}

function stubAws(): void {
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_ENDPOINT_URL', endpoint);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
}

describe('a hung AWS call and the Lambda deadline', () => {
  it('the forecaster stops waiting on a GetMetricData call that never answers before its invocation runs out of time', async () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), 'selfheal-hung-call-'));
    const target = {
      id: 'web',
      autoScalingGroupName: 'web-asg',
      loadMetric: { type: 'predefined', metric: 'ASGTotalCPUUtilization' },
      targetValue: 60,
      mode: 'forecastAndScale',
      minCapacity: 2,
      maxCapacity: 20,
    };
    writeFileSync(
      join(dir, 'selfheal-config.json'),
      JSON.stringify({ predictiveScaling: { targets: [target] } }),
    );
    stubAws();
    vi.stubEnv('LAMBDA_TASK_ROOT', dir);
    vi.stubEnv('SELFHEAL_CONFIG_FILE', 'selfheal-config.json');
    vi.stubEnv('SELFHEAL_METRIC_NAMESPACE', 'SelfHeal/Review');
    vi.stubEnv('SELFHEAL_STACK_NAME', 'SelfHeal');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'SelfHeal-forecaster');
    vi.resetModules();
    const { handler } = await import('../../lambdas/forecaster/handler');

    // Act
    const run = handler(scheduledEvent, contextWithDeadline(context));

    // Assert
    const settled = await settlesWithin(run, REMAINING_MS + GRACE_MS);
    expect(
      server.sockets.length - earlier,
      'the call reached the endpoint that never answers',
    ).toBeGreaterThan(0);
    expect(settled).toBe(true);
    // Its one target failed at history, recorded: the invocation fails so Lambda retries it.
    await expect(run).rejects.toMatchObject({ name: 'AllTargetsFailedError', total: 1 });
  });

  it('the alarm handler stops waiting on a DynamoDB call that never answers before its function timeout', async () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), 'selfheal-hung-call-'));
    const remediation = {
      cleanupAllowedPathPrefixes: ['/var/log/app/'],
      rules: [
        {
          id: 'disk-full-cleanup',
          match: { alarmNamePattern: 'disk-full-*', namespace: 'CWAgent', metricName: 'disk_used_percent' },
          resource: { from: 'dimension', dimension: 'InstanceId' },
          document: { shipped: 'cleanup-directory' },
          parameters: { InstanceId: '{{resourceId}}', Directory: '/var/log/app/', OlderThanDays: '7' },
          mode: 'enforce',
        },
      ],
    };
    writeFileSync(
      join(dir, 'selfheal-config.json'),
      JSON.stringify({ predictiveScaling: { targets: [] }, remediation }),
    );
    writeFileSync(
      join(dir, 'selfheal-document-patterns.json'),
      JSON.stringify(shippedDocumentPatterns({ cleanupAllowedPathPrefixes: ['/var/log/app/'] })),
    );
    stubAws();
    vi.stubEnv('LAMBDA_TASK_ROOT', dir);
    vi.stubEnv('SELFHEAL_CONFIG_FILE', 'selfheal-config.json');
    vi.stubEnv('SELFHEAL_LEDGER_TABLE', 'SelfHeal-Ledger');
    vi.stubEnv('SELFHEAL_ESCALATION_TOPIC_ARN', 'arn:aws:sns:us-east-1:123456789012:SelfHeal-Escalation');
    vi.stubEnv(
      'SELFHEAL_AUTOMATION_ROLE_ARN',
      'arn:aws:iam::123456789012:role/SelfHeal-RemediationAutomation',
    );
    vi.stubEnv(
      'SELFHEAL_DOCUMENT_NAMES',
      JSON.stringify({ 'cleanup-directory': 'SelfHeal-CleanupDirectory' }),
    );
    vi.stubEnv('SELFHEAL_DOCUMENT_PATTERNS_FILE', 'selfheal-document-patterns.json');
    vi.stubEnv('SELFHEAL_FUNCTION_TIMEOUT_SEC', String(REMAINING_MS / 1000));
    vi.stubEnv('SELFHEAL_STACK_NAME', 'SelfHeal');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'SelfHeal-remediation-alarm');
    vi.resetModules();
    const { handler } = await import('../../lambdas/remediation-alarm/handler');
    const event = JSON.parse(
      readFileSync(new URL('../fixtures/events/example-disk-full-alarm.json', import.meta.url), 'utf8'),
    );

    // Act
    const run = handler(event, contextWithDeadline(context));

    // Assert
    const settled = await settlesWithin(run, REMAINING_MS + GRACE_MS);
    expect(
      server.sockets.length - earlier,
      'the call reached the endpoint that never answers',
    ).toBeGreaterThan(0);
    expect(settled).toBe(true);
    // The call's attempts timed out: the invocation fails (logged once) so EventBridge retries it.
    await expect(run).rejects.toMatchObject({
      name: expect.stringMatching(/^(TimeoutError|InvocationDeadlineError)$/),
    });
  });
});
