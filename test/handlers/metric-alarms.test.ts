/**
 * The alarms on partial failures read exactly the metrics the handlers emit. Each handler runs
 * for real (SDK mocked) with the environment the synthesized template gives its function, and
 * the embedded metric format (EMF) it writes to stdout must carry the namespace, metric name and
 * dimensions of that function's alarm in the same template.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CfnElement, type aws_cloudwatch as cloudwatch, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../lib/app/build-app';
import { parseAppConfig } from '../../lib/config/parse';
import type { SelfhealStack } from '../../lib/stacks/selfheal-stack';
import { appWithoutBundling, exampleConfig } from '../infra/helpers';
import { emitted, type MetricId, stdoutOf } from './emf-capture';
import { asg, context, freezeDate, loadHandler, mockAws, scheduledEvent, targets } from './forecaster-setup';
import { alarmEvent, automationEvent, context as remediationContext, sweepEvent } from './remediation-setup';

const ALARM_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:ops-alarms';
const ddb = mockClient(DynamoDBDocumentClient);

interface Synthesized {
  readonly stack: SelfhealStack;
  readonly resources: Record<string, { Properties: Record<string, unknown> }>;
  readonly config: ReturnType<typeof parseAppConfig>;
}

/** The example config with a non-default forecast namespace and an alarm topic, synthesized. */
function synthesize(): Synthesized {
  const raw = exampleConfig();
  const config = parseAppConfig({
    ...raw,
    alarmTopicArn: ALARM_TOPIC_ARN,
    predictiveScaling: { ...raw.predictiveScaling, metricNamespace: 'Team/Scaler' },
  });
  const { stack } = buildApp(appWithoutBundling(), config);
  return { stack, resources: Template.fromStack(stack).toJSON().Resources, config };
}

function propertiesOf(s: Synthesized, element: unknown): Record<string, unknown> {
  const id = Stack.of(s.stack).getLogicalId(element as CfnElement);
  const resource = s.resources[id];
  if (resource === undefined) throw new Error(`no resource ${id} in the template`);
  return resource.Properties;
}

/** The metric an alarm of the template reads, and whom it notifies. */
function alarmOf(s: Synthesized, alarm: cloudwatch.Alarm): MetricId & { readonly actions: unknown } {
  const p = propertiesOf(s, alarm.node.defaultChild) as {
    Namespace: string;
    MetricName: string;
    Dimensions: Array<{ Name: string; Value: string }>;
    AlarmActions: unknown;
  };
  return {
    namespace: p.Namespace,
    metricName: p.MetricName,
    dimensions: Object.fromEntries(p.Dimensions.map((d) => [d.Name, d.Value])),
    actions: p.AlarmActions,
  };
}

/** The plain-string environment variables the template gives a function (tokens left out). */
function environmentOf(s: Synthesized, fn: { readonly function: { node: { defaultChild?: unknown } } }) {
  const p = propertiesOf(s, fn.function.node.defaultChild) as {
    Environment: { Variables: Record<string, unknown> };
  };
  const vars = Object.entries(p.Environment.Variables).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'NODE_OPTIONS',
  );
  return Object.fromEntries(vars);
}

/** Writes the validated config where the remediation handlers look for it, and stubs their environment. */
function stubRemediationEnv(s: Synthesized, templateEnv: Record<string, string>): void {
  const dir = mkdtempSync(join(tmpdir(), 'selfheal-metric-alarms-'));
  writeFileSync(join(dir, 'selfheal-config.json'), JSON.stringify(s.config));
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    LAMBDA_TASK_ROOT: dir,
    // Tokens in the template (resolved at deploy time); any valid value will do here.
    SELFHEAL_LEDGER_TABLE: 'SelfHeal-Ledger',
    SELFHEAL_ESCALATION_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:SelfHeal-Escalation',
    SELFHEAL_AUTOMATION_ROLE_ARN: 'arn:aws:iam::123456789012:role/SelfHeal-RemediationAutomation',
    SELFHEAL_DOCUMENT_NAMES: JSON.stringify({ 'cleanup-directory': 'SelfHeal-CleanupDirectory' }),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...templateEnv,
    POWERTOOLS_METRICS_DISABLED: 'false',
  };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  vi.resetModules();
}

describe('alarms on partial failures', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize();
  }, 60_000);
  beforeEach(() => {
    freezeDate();
    ddb.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('TargetsFailed: the forecaster emits the metric its alarm reads when one target fails', async () => {
    const alarm = alarmOf(s, s.stack.predictiveScaler.targetsFailedAlarm);
    const env = environmentOf(s, s.stack.predictiveScaler.forecaster);
    mockAws();
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    const { handler } = await loadHandler(
      [...targets(1, { mode: 'forecastOnly' }), ...targets(1).map((t) => ({ ...t, id: 'lost' }))],
      { ...env, POWERTOOLS_METRICS_DISABLED: 'false' },
    );

    const stdout = await stdoutOf(async () => {
      expect(await handler(scheduledEvent, context)).toMatchObject({ total: 2, failed: 1 });
    });

    expect(alarm).toMatchObject({ namespace: 'Team/Scaler', metricName: 'TargetsFailed' });
    expect(alarm.actions).toEqual([ALARM_TOPIC_ARN]);
    const { actions: _actions, ...metric } = alarm;
    expect(emitted(stdout, alarm.metricName)).toEqual([{ ...metric, value: 1 }]);
  });

  it.each([
    ['alarm handler', 'alarmHandler', '../../lambdas/remediation-alarm/handler', 'alarmHandlerRejected'],
    [
      'verification handler',
      'verifyHandler',
      '../../lambdas/remediation-verify/handler',
      'verifyHandlerRejected',
    ],
  ] as const)(
    'RemediationsRejected: the %s emits the metric its alarm reads for an event it cannot read',
    async (_name, fnKey, modulePath, alarmKey) => {
      const engine = s.stack.remediation;
      if (engine === undefined) throw new Error('the example config has remediation rules');
      const alarm = alarmOf(s, engine.metricAlarms[alarmKey]);
      stubRemediationEnv(s, environmentOf(s, engine[fnKey]));
      const { handler } = (await import(modulePath)) as {
        handler: (event: unknown, c: typeof remediationContext) => Promise<{ outcome: string }>;
      };
      const unreadable =
        fnKey === 'alarmHandler'
          ? { ...alarmEvent('evt-bad'), detail: { alarmName: 'disk-full-web-1', state: { value: 'BROKEN' } } }
          : { ...automationEvent('evt-bad', 'Failed'), detail: { Status: 'Failed' } };

      const stdout = await stdoutOf(async () => {
        expect((await handler(unreadable, remediationContext)).outcome).toBe('rejected');
      });

      expect(alarm).toMatchObject({ namespace: 'SelfHeal/Remediation', metricName: 'RemediationsRejected' });
      expect(alarm.actions).toEqual([ALARM_TOPIC_ARN]);
      expect(ddb.calls()).toHaveLength(0);
      const { actions: _actions, ...metric } = alarm;
      expect(emitted(stdout, alarm.metricName)).toEqual([{ ...metric, value: 1 }]);
    },
  );

  it('EscalationsResent: the sweeper emits the metric its alarm reads on every run', async () => {
    const engine = s.stack.remediation;
    if (engine === undefined) throw new Error('the example config has remediation rules');
    const alarm = alarmOf(s, engine.metricAlarms.escalationsResent);
    stubRemediationEnv(s, environmentOf(s, engine.sweeper));
    // An empty ledger: nothing overdue, blocked or pending, no slot to reclaim.
    ddb.onAnyCommand().resolves({});
    const { handler } = await import('../../lambdas/remediation-sweeper/handler');

    const stdout = await stdoutOf(async () => {
      expect(await handler(sweepEvent(), remediationContext)).toMatchObject({ resentEscalations: 0 });
    });

    expect(alarm).toMatchObject({ namespace: 'SelfHeal/Remediation', metricName: 'EscalationsResent' });
    expect(alarm.actions).toEqual([ALARM_TOPIC_ARN]);
    const { actions: _actions, ...metric } = alarm;
    expect(emitted(stdout, alarm.metricName)).toEqual([{ ...metric, value: 0 }]);
  });
});
