import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { BUNDLED_CONFIG_FILE } from '../../lib/config/env-names';
import { ConfigError } from '../../lib/config/parse';
import type { AppConfigInput } from '../../lib/config/schema';
import { PredictiveScaler, type PredictiveScalerProps } from '../../lib/constructs/predictive-scaler';
import { SCHEDULED_ACTION_MUTATIONS } from '../../lib/iam/scheduled-actions-policy';
import { exampleConfig, newStack } from './helpers';

type TargetInput = AppConfigInput['predictiveScaling']['targets'][number];

const cpu = { type: 'predefined', metric: 'ASGTotalCPUUtilization' } as const;

function target(id: string, mode: 'forecastOnly' | 'forecastAndScale'): TargetInput {
  return {
    id,
    autoScalingGroupName: `${id}-asg`,
    loadMetric: cpu,
    targetValue: 50,
    mode,
    minCapacity: 1,
    maxCapacity: 10,
  };
}

function synth(props: PredictiveScalerProps): Template {
  const stack = newStack();
  new PredictiveScaler(stack, 'PredictiveScaler', props);
  return Template.fromStack(stack);
}

function groupArn(name: string): unknown {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':autoscaling:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:autoScalingGroup:*:autoScalingGroupName/${name}`,
      ],
    ],
  };
}

/** Every IAM statement of the template, inline and managed policies alike, flattened. */
function statements(
  t: Template,
): Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> {
  return [
    ...Object.values(t.findResources('AWS::IAM::Policy')),
    ...Object.values(t.findResources('AWS::IAM::ManagedPolicy')),
  ].flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('PredictiveScaler', () => {
  it("runs the forecaster on Node.js 24, ARM64, with the config file, namespace and stack's name in its environment", () => {
    const t = synth({ targets: [target('web', 'forecastOnly')] });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Timeout: 300,
      MemorySize: 1024,
      ReservedConcurrentExecutions: 1,
      Environment: {
        Variables: Match.objectLike({
          SELFHEAL_CONFIG_FILE: 'selfheal-config.json',
          SELFHEAL_METRIC_NAMESPACE: 'SelfHeal/PredictiveScaling',
          // The StackName dimension of its forecasts, and the start of its service name.
          SELFHEAL_STACK_NAME: 'TestStack',
          POWERTOOLS_SERVICE_NAME: 'TestStack-forecaster',
        }),
      },
    });
  });

  it("alarms when an hourly run fails a target, on the forecast namespace and the stack's forecaster service", () => {
    const t = synth({ targets: [target('web', 'forecastOnly')], metricNamespace: 'Team/Scaler' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp(
        '^TestStack/PredictiveScaler/Forecaster: the last hourly run failed one target or more .*message "decision" at level ERROR',
      ),
      Namespace: 'Team/Scaler',
      MetricName: 'TargetsFailed',
      Dimensions: [{ Name: 'service', Value: 'TestStack-forecaster' }],
      Period: 3600,
      Threshold: 1,
    });
  });

  it('schedules hourly by default, with retries and the dead-letter queue', () => {
    const t = synth({ targets: [target('web', 'forecastOnly')] });
    t.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [
        Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      ],
    });
  });

  it('uses the configured schedule and log retention', () => {
    const t = synth({
      targets: [target('web', 'forecastOnly')],
      schedule: 'cron(5 * * * ? *)',
      logRetentionDays: 7,
    });
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(5 * * * ? *)' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('limits PutMetricData to the configured namespace', () => {
    const t = synth({ targets: [target('web', 'forecastOnly')], metricNamespace: 'Team/Forecasts' });
    expect(statements(t)).toContainEqual(
      expect.objectContaining({
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'Team/Forecasts' } },
      }),
    );
  });

  it('allows scheduled-action mutations only on the forecastAndScale groups', () => {
    const t = synth({
      targets: [
        target('web', 'forecastOnly'),
        target('api', 'forecastAndScale'),
        target('jobs', 'forecastAndScale'),
      ],
    });
    t.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^PredictiveScalerForecasterRole') }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: [...SCHEDULED_ACTION_MUTATIONS],
            Resource: [groupArn('api-asg'), groupArn('jobs-asg')],
          },
        ],
      },
    });
    const mentionsWeb = JSON.stringify(statements(t)).includes('web-asg');
    expect(mentionsWeb).toBe(false);
  });

  it('allows them on the groups tagged scaledGroupTag instead, with the tag as a condition', () => {
    const t = synth({
      targets: [target('web', 'forecastOnly'), target('api', 'forecastAndScale')],
      scaledGroupTag: { key: 'team/scaling', value: 'selfheal' },
    });
    t.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^PredictiveScalerForecasterRole') }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: [...SCHEDULED_ACTION_MUTATIONS],
            Resource: groupArn('*'),
            Condition: { StringEquals: { 'aws:ResourceTag/team/scaling': 'selfheal' } },
          },
        ],
      },
    });
    expect(JSON.stringify(statements(t))).not.toContain('api-asg');
  });

  it('fails when scaledGroupTag cannot scope a policy, naming the field and the value', () => {
    const build = () =>
      new PredictiveScaler(newStack(), 'PredictiveScaler', {
        targets: [target('api', 'forecastAndScale')],
        scaledGroupTag: { key: 'aws:cloudformation:stack-name', value: 'x' },
      });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(
      'predictiveScaling.scaledGroupTag.key: received "aws:cloudformation:stack-name"; must not start with aws:',
    );
  });

  it('grants no mutating Auto Scaling action at all when every target is forecastOnly', () => {
    const t = synth({ targets: [target('web', 'forecastOnly')] });
    const actions = statements(t).flatMap((s) => [s.Action].flat());
    expect(
      actions.filter((a) => a.startsWith('autoscaling:') && !a.startsWith('autoscaling:Describe')),
    ).toEqual([]);
  });

  it('puts no mutating action on a * resource', () => {
    const readOnly = new Set([
      'cloudwatch:GetMetricData',
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribeScheduledActions',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
    ]);
    const t = synth({ targets: [target('api', 'forecastAndScale')] });
    const starred = statements(t).filter((s) => [s.Resource].flat().includes('*'));
    expect(starred.length).toBeGreaterThan(0);
    const unscoped = starred
      .filter((s) => s.Condition === undefined)
      .flatMap((s) => [s.Action].flat())
      .filter((a) => !readOnly.has(a));
    expect(unscoped).toEqual([]);
  });

  it('fails when a target is invalid, listing every problem', () => {
    const bad = { ...target('web', 'forecastAndScale'), targetValue: -1, minCapacity: 5, maxCapacity: 2 };
    const build = () => new PredictiveScaler(newStack(), 'PredictiveScaler', { targets: [bad] });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(
      /targets\[0\]\.targetValue: received -1;[\s\S]*targets\[0\]\.maxCapacity: received 2;/,
    );
  });

  it('fails when schedulingBufferSec is not shorter than a planning block', () => {
    const bad = {
      ...target('web', 'forecastAndScale'),
      schedulingBufferSec: 1200,
      blockMinutes: 15 as const,
    };
    const build = () => new PredictiveScaler(newStack(), 'PredictiveScaler', { targets: [bad] });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(
      'predictiveScaling.targets[0].schedulingBufferSec: received 1200; schedulingBufferSec must be less than one planning block: blockMinutes 15 is 900 s',
    );
  });

  it('fails when the schedule is not an EventBridge expression', () => {
    const build = () =>
      new PredictiveScaler(newStack(), 'PredictiveScaler', { targets: [], schedule: 'hourly' });
    expect(build).toThrow(
      /predictiveScaling\.schedule: received "hourly"; expected rate\(\.\.\.\) or cron\(\.\.\.\)/,
    );
  });

  it.each([
    ['rate(2 hour)', 'EventBridge rejects this rate'],
    ['rate(15 minutes)', 'the forecaster must run once an hour'],
  ])('fails synth on the schedule %s', (schedule, expected) => {
    const build = () => new PredictiveScaler(newStack(), 'PredictiveScaler', { targets: [], schedule });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(`predictiveScaling.schedule: received "${schedule}"; ${expected}`);
  });

  it('fails when a scaled group name contains an IAM wildcard', () => {
    const wild = { ...target('web', 'forecastAndScale'), autoScalingGroupName: 'web-*' };
    expect(() => new PredictiveScaler(newStack(), 'PredictiveScaler', { targets: [wild] })).toThrow(
      /targets\[0\]\.autoScalingGroupName: received "web-\*"; a forecastAndScale group's name must not contain \*, \? or :, which IAM would read as wildcards/,
    );
  });

  it('bundles the forecaster under 1 MiB with the validated config next to it', () => {
    const app = new App();
    const stack = new Stack(app, 'Bundled');
    const scaler = new PredictiveScaler(stack, 'PredictiveScaler', {
      targets: [target('api', 'forecastAndScale')],
    });
    const assembly = app.synth();

    const bundle = readdirSync(assembly.directory)
      .map((name) => join(assembly.directory, name))
      .find((dir) => existsSync(join(dir, 'index.mjs')));
    expect(bundle).toBeDefined();
    const dir = String(bundle);
    expect(statSync(join(dir, 'index.mjs')).size).toBeLessThanOrEqual(1024 * 1024);
    const bundled: unknown = JSON.parse(readFileSync(join(dir, BUNDLED_CONFIG_FILE), 'utf8'));
    expect(bundled).toEqual(scaler.config);
    expect(scaler.config.predictiveScaling.targets[0]?.schedulingBufferSec).toBe(300);
  });

  it('accepts the example config as props', () => {
    const { predictiveScaling } = exampleConfig();
    const t = synth(predictiveScaling);
    t.resourceCountIs('AWS::Lambda::Function', 1);
  });
});
