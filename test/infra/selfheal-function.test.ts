import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type aws_cloudwatch as cloudwatch, aws_logs as logs, Stack, aws_sns as sns } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LOG_RETENTION_DAYS } from '../../lib/config/schema';
import { SelfhealFunction } from '../../lib/constructs/selfheal-function';
import { FIXTURE_HANDLER, newStack } from './helpers';

function template(build: (stack: Stack) => void): Template {
  const stack = newStack();
  build(stack);
  return Template.fromStack(stack);
}

describe('SelfhealFunction', () => {
  it('runs Node.js 24 on ARM64 with JSON logs, active tracing, a DLQ and the given units', () => {
    const t = template(
      (s) => new SelfhealFunction(s, 'Fn', { entry: FIXTURE_HANDLER, timeoutSec: 42, memoryMiB: 256 }),
    );
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 42,
      MemorySize: 256,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: Match.anyValue() }),
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
    });
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21_600,
    });
  });

  it('has an explicit log group with the given retention and no managed policies', () => {
    const t = template(
      (s) => new SelfhealFunction(s, 'Fn', { entry: FIXTURE_HANDLER, logRetentionDays: 90 }),
    );
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    t.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it('has an encrypted, SSL-only dead-letter queue', () => {
    const t = template((s) => new SelfhealFunction(s, 'Fn', { entry: FIXTURE_HANDLER }));
    t.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('alarms on errors and on dead-lettered events, notifying the topic when given', () => {
    const t = template((s) => {
      const topic = sns.Topic.fromTopicArn(s, 'Topic', 'arn:aws:sns:eu-west-1:123456789012:ops');
      new SelfhealFunction(s, 'Fn', { entry: FIXTURE_HANDLER, alarmTopic: topic });
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
      AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:ops'],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:ops'],
    });
  });

  it('alarms on an emitted metric by namespace, name and service dimension, notifying the topic', () => {
    const t = template((s) => {
      const topic = sns.Topic.fromTopicArn(s, 'Topic', 'arn:aws:sns:eu-west-1:123456789012:ops');
      const fn = new SelfhealFunction(s, 'Fn', {
        entry: FIXTURE_HANDLER,
        alarmTopic: topic,
        serviceName: 'svc',
      });
      fn.setMetricNamespace('My/Space').addMetricAlarm('ThingsFailedAlarm', {
        metricName: 'ThingsFailed',
        description: 'things failed; see the log',
        periodSec: 3600,
      });
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'svc',
          POWERTOOLS_METRICS_NAMESPACE: 'My/Space',
        }),
      },
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: 'TestStack/Fn: things failed; see the log',
      Namespace: 'My/Space',
      MetricName: 'ThingsFailed',
      Dimensions: [{ Name: 'service', Value: 'svc' }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:ops'],
      OKActions: ['arn:aws:sns:eu-west-1:123456789012:ops'],
    });
  });

  it('fails when a metric alarm is added before the metric namespace is set', () => {
    const fn = new SelfhealFunction(newStack(), 'Fn', { entry: FIXTURE_HANDLER });
    expect(() => fn.addMetricAlarm('XAlarm', { metricName: 'X', description: 'x' })).toThrow(
      'TestStack/Fn: call setMetricNamespace (or publishMetricsTo) before addMetricAlarm(XAlarm)',
    );
  });

  it('graphs a handler metric under the same identity its metric alarm reads', () => {
    const fn = new SelfhealFunction(newStack(), 'Fn', { entry: FIXTURE_HANDLER, serviceName: 'svc' });
    fn.setMetricNamespace('My/Space');
    const alarm = fn.addMetricAlarm('XAlarm', { metricName: 'X', description: 'x', periodSec: 3600 });
    const graphed = fn.metric('X', { statistic: 'Sum', periodSec: 3600, label: 'x per hour' });
    const identity = (m: cloudwatch.IMetric) => {
      const stat = m.toMetricConfig().metricStat;
      return [stat?.namespace, stat?.metricName, stat?.dimensions, stat?.statistic, stat?.period.toSeconds()];
    };
    expect(identity(graphed)).toEqual(identity(alarm.metric));
    expect(identity(graphed)).toEqual(['My/Space', 'X', [{ name: 'service', value: 'svc' }], 'Sum', 3600]);
    expect(graphed.label).toBe('x per hour');
  });

  it('fails when a metric is read before the metric namespace is set', () => {
    const fn = new SelfhealFunction(newStack(), 'Fn', { entry: FIXTURE_HANDLER });
    expect(() => fn.metric('X', { statistic: 'Sum', periodSec: 300 })).toThrow(
      'TestStack/Fn: call setMetricNamespace (or publishMetricsTo) before metric(X)',
    );
  });

  it('sets the namespace variable and grants PutMetricData on that namespace only, together', () => {
    const t = template((s) =>
      new SelfhealFunction(s, 'Fn', { entry: FIXTURE_HANDLER }).publishMetricsTo('MY_NAMESPACE', 'My/Space'),
    );
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MY_NAMESPACE: 'My/Space' }) },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'cloudwatch:PutMetricData',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'My/Space' } },
          },
        ],
      },
    });
  });

  it('accepts every retention of logs.RetentionDays but INFINITE, up to 3653 days', () => {
    const cdkValues = Object.values(logs.RetentionDays).filter(
      (v): v is number => typeof v === 'number' && v !== logs.RetentionDays.INFINITE,
    );
    expect([...LOG_RETENTION_DAYS]).toEqual(cdkValues);
    for (const days of [1, 2192, 3653]) {
      template(
        (s) => new SelfhealFunction(s, 'Fn', { entry: FIXTURE_HANDLER, logRetentionDays: days }),
      ).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: days });
    }
  });

  it.each([2, 3654, 9999])('fails when the log retention is %i, not a CloudWatch Logs value', (days) => {
    expect(
      () => new SelfhealFunction(newStack(), 'Fn', { entry: FIXTURE_HANDLER, logRetentionDays: days }),
    ).toThrow(
      `TestStack/Fn: logRetentionDays ${days} is not a CloudWatch Logs retention value; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
    );
  });

  it('fails when a bundled file name has a directory in it', () => {
    expect(
      () =>
        new SelfhealFunction(newStack(), 'Fn', { entry: FIXTURE_HANDLER, files: { '../evil.json': '{}' } }),
    ).toThrow(/bundled file name "..\/evil.json" is not allowed/);
  });

  it('bundles with the local esbuild and ships the given files next to the handler', () => {
    const app = new App();
    const stack = new Stack(app, 'Bundled');
    new SelfhealFunction(stack, 'Fn', { entry: FIXTURE_HANDLER, files: { 'data.json': '{"answer":42}\n' } });
    const assembly = app.synth();

    const bundle = readdirSync(assembly.directory)
      .filter((name) => name.startsWith('asset.'))
      .map((name) => join(assembly.directory, name))
      .find((dir) => existsSync(join(dir, 'index.mjs')));
    expect(bundle).toBeDefined();
    expect(readFileSync(join(String(bundle), 'data.json'), 'utf8')).toBe('{"answer":42}\n');
    expect(existsSync(join(String(bundle), 'index.mjs.map'))).toBe(true);
  });
});
