/**
 * The alarms on partial failures read exactly the metrics the handlers emit. Each handler runs
 * for real (SDK mocked) with the environment the synthesized template gives its function, and
 * the embedded metric format (EMF) it writes to stdout must carry the namespace, metric name and
 * dimensions of that function's alarm in the same template.
 */

import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseAppConfig } from '../../lib/config/parse';
import { exampleConfig } from '../infra/helpers';
import { emitted, type MetricId, stdoutOf } from './emf-capture';
import { asg, context, freezeDate, loadHandler, mockAws, scheduledEvent, targets } from './forecaster-setup';
import { alarmEvent, automationEvent, context as remediationContext, sweepEvent } from './remediation-setup';
import {
  environmentOf,
  propertiesOf,
  remediationEngineOf,
  type Synthesized,
  stubRemediationEnv,
  sweeperOnEmptyLedger,
  synthesizeApp,
} from './synthesized-app';

const ALARM_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:ops-alarms';
const ddb = mockClient(DynamoDBDocumentClient);

/** The example config with a non-default forecast namespace and an alarm topic, synthesized. */
function synthesize(): Synthesized {
  const raw = exampleConfig();
  const config = parseAppConfig({
    ...raw,
    alarmTopicArn: ALARM_TOPIC_ARN,
    predictiveScaling: { ...raw.predictiveScaling, metricNamespace: 'Team/Scaler' },
  });
  return synthesizeApp(config);
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
      const engine = remediationEngineOf(s);
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
    const alarm = alarmOf(s, remediationEngineOf(s).metricAlarms.escalationsResent);
    const handler = await sweeperOnEmptyLedger(s, ddb);

    const stdout = await stdoutOf(async () => {
      expect(await handler(sweepEvent(), remediationContext)).toMatchObject({ resentEscalations: 0 });
    });

    expect(alarm).toMatchObject({ namespace: 'SelfHeal/Remediation', metricName: 'EscalationsResent' });
    expect(alarm.actions).toEqual([ALARM_TOPIC_ARN]);
    const { actions: _actions, ...metric } = alarm;
    expect(emitted(stdout, alarm.metricName)).toEqual([{ ...metric, value: 0 }]);
  });

  it('UnreadableLedgerItems: the sweeper emits the metric its alarm reads on every run', async () => {
    const alarm = alarmOf(s, remediationEngineOf(s).metricAlarms.sweeperUnreadable);
    const handler = await sweeperOnEmptyLedger(s, ddb);

    const stdout = await stdoutOf(async () => {
      expect(await handler(sweepEvent(), remediationContext)).toMatchObject({ unreadableLedgerItems: [] });
    });

    expect(alarm).toMatchObject({ namespace: 'SelfHeal/Remediation', metricName: 'UnreadableLedgerItems' });
    expect(alarm.actions).toEqual([ALARM_TOPIC_ARN]);
    const { actions: _actions, ...metric } = alarm;
    expect(emitted(stdout, alarm.metricName)).toEqual([{ ...metric, value: 0 }]);
  });

  it('OpsItemsFailed: the sweeper emits the metric its alarm reads on every run', async () => {
    const alarm = alarmOf(s, remediationEngineOf(s).metricAlarms.sweeperOpsItemsFailed);
    const handler = await sweeperOnEmptyLedger(s, ddb);

    const stdout = await stdoutOf(async () => {
      expect(await handler(sweepEvent(), remediationContext)).toMatchObject({ opsItemsFailed: 0 });
    });

    expect(alarm).toMatchObject({ namespace: 'SelfHeal/Remediation', metricName: 'OpsItemsFailed' });
    expect(alarm.actions).toEqual([ALARM_TOPIC_ARN]);
    const { actions: _actions, ...metric } = alarm;
    expect(emitted(stdout, alarm.metricName)).toEqual([{ ...metric, value: 0 }]);
  });

  it.each([
    ['alarm handler', 'alarmHandlerOpsItemsFailed', 'alarmHandlerRejected'],
    ['verification handler', 'verifyHandlerOpsItemsFailed', 'verifyHandlerRejected'],
  ] as const)(
    'OpsItemsFailed: the %s alarms on the metric with the dimensions its emitted metrics carry',
    (_name, failedKey, provenKey) => {
      const engine = remediationEngineOf(s);
      const failed = alarmOf(s, engine.metricAlarms[failedKey]);
      // The other alarm of the same function is shown above to read exactly what the handler emits.
      const proven = alarmOf(s, engine.metricAlarms[provenKey]);

      expect(failed).toEqual({ ...proven, metricName: 'OpsItemsFailed' });
    },
  );

  it.each([
    ['alarm handler', 'alarmHandlerUnreadable', 'alarmHandlerRejected'],
    ['verification handler', 'verifyHandlerUnreadable', 'verifyHandlerRejected'],
  ] as const)(
    'UnreadableLedgerItems: the %s alarms on the metric with the dimensions its emitted metrics carry',
    (_name, unreadableKey, provenKey) => {
      const engine = remediationEngineOf(s);
      const unreadable = alarmOf(s, engine.metricAlarms[unreadableKey]);
      // The other alarm of the same function is shown above to read exactly what the handler emits.
      const proven = alarmOf(s, engine.metricAlarms[provenKey]);

      expect(unreadable).toEqual({ ...proven, metricName: 'UnreadableLedgerItems' });
    },
  );

  it.each([
    ['alarm handler', 'alarmHandlerUntracked', 'alarmHandlerRejected'],
    ['sweeper', 'sweeperUntracked', 'escalationsResent'],
  ] as const)(
    'UntrackedExecutions: the %s alarms on the metric with the dimensions its emitted metrics carry',
    (_name, untrackedKey, provenKey) => {
      const engine = remediationEngineOf(s);
      const untracked = alarmOf(s, engine.metricAlarms[untrackedKey]);
      // The other alarm of the same function is shown above to read exactly what the handler emits.
      const proven = alarmOf(s, engine.metricAlarms[provenKey]);

      expect(untracked).toEqual({ ...proven, metricName: 'UntrackedExecutions' });
    },
  );
});
