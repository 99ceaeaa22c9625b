import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, aws_sns as sns } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/parse';
import { RemediationEngine } from '../../lib/constructs/remediation-engine';
import { alarmStatePattern, eventPatternChars } from '../../lib/constructs/remediation-event-patterns';
import { documentPatternsOf } from '../../lib/ssm-documents/shipped-documents';
import { appWithoutBundling, newStack } from './helpers';
import { engineProps, exampleRules, synthEngine } from './remediation-fixtures';

describe('RemediationEngine', () => {
  it('keeps the ledger on demand, encrypted, with point-in-time recovery, TTL on expiresAt, retained', () => {
    const t = synthEngine();
    t.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    });
  });

  it('encrypts the escalation topic with a rotating key, denies non-SSL, subscribes the e-mail', () => {
    const t = synthEngine({ escalationEmail: 'oncall@example.com' });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  it('subscribes no one without an escalation e-mail', () => {
    synthEngine().resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('runs three functions with the remediation environment and the bundled config file', () => {
    const t = synthEngine();
    t.resourceCountIs('AWS::Lambda::Function', 3);
    const env = t.findResources('AWS::Lambda::Function');
    for (const fn of Object.values(env)) {
      const vars = fn.Properties.Environment.Variables;
      expect(vars).toMatchObject({
        SELFHEAL_CONFIG_FILE: 'selfheal-config.json',
        SELFHEAL_DOCUMENT_PATTERNS_FILE: 'selfheal-document-patterns.json',
        POWERTOOLS_METRICS_NAMESPACE: 'SelfHeal/Remediation',
        POWERTOOLS_SERVICE_NAME: expect.stringMatching(/^TestStack-remediation-(alarm|verify|sweeper)$/),
        SELFHEAL_LEDGER_TABLE: { Ref: expect.stringMatching(/^RemediationLedger/) },
        SELFHEAL_ESCALATION_TOPIC_ARN: { Ref: expect.stringMatching(/^RemediationEscalationTopic/) },
        SELFHEAL_AUTOMATION_ROLE_ARN: {
          'Fn::GetAtt': [expect.stringMatching(/^RemediationAutomationRole/), 'Arn'],
        },
      });
      expect(JSON.parse(vars.SELFHEAL_DOCUMENT_NAMES)).toEqual({
        'restart-service': 'TestStack-restart-service',
        'cleanup-directory': 'TestStack-cleanup-directory',
        'replace-unhealthy-instance': 'TestStack-replace-unhealthy-instance',
      });
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      // The alarm handler's claim lease is derived from it: it must be the function's own timeout.
      expect(vars.SELFHEAL_FUNCTION_TIMEOUT_SEC).toBe(String(fn.Properties.Timeout));
    }
  });

  it('alarms on rejected events of both handlers, re-sent escalations, untracked executions, unreadable ledger items and failed OpsItems, by each service', () => {
    const t = synthEngine();
    t.resourceCountIs('AWS::CloudWatch::Alarm', 3 * 2 + 11);
    for (const [metric, service] of [
      ['RemediationsRejected', 'TestStack-remediation-alarm'],
      ['RemediationsRejected', 'TestStack-remediation-verify'],
      ['EscalationsResent', 'TestStack-remediation-sweeper'],
      ['UntrackedExecutions', 'TestStack-remediation-alarm'],
      ['UntrackedExecutions', 'TestStack-remediation-sweeper'],
      ['UnreadableLedgerItems', 'TestStack-remediation-alarm'],
      ['UnreadableLedgerItems', 'TestStack-remediation-verify'],
      ['UnreadableLedgerItems', 'TestStack-remediation-sweeper'],
      ['OpsItemsFailed', 'TestStack-remediation-alarm'],
      ['OpsItemsFailed', 'TestStack-remediation-verify'],
      ['OpsItemsFailed', 'TestStack-remediation-sweeper'],
    ]) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'SelfHeal/Remediation',
        MetricName: metric,
        Dimensions: [{ Name: 'service', Value: service }],
        Period: 300,
        Threshold: 1,
      });
    }
  });

  it('alarms on any unreadable ledger item each function met in 5 minutes, notifying the alarm topic like its other alarms', () => {
    const stack = newStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:us-east-1:123456789012:ops');
    const engine = new RemediationEngine(stack, 'Remediation', engineProps({ alarmTopic: topic }));
    const t = Template.fromStack(stack);
    const alarms = [
      [engine.metricAlarms.alarmHandlerUnreadable, 'TestStack-remediation-alarm'],
      [engine.metricAlarms.verifyHandlerUnreadable, 'TestStack-remediation-verify'],
      [engine.metricAlarms.sweeperUnreadable, 'TestStack-remediation-sweeper'],
    ] as const;
    const properties = (alarm: { node: { defaultChild?: unknown } }) =>
      t.toJSON().Resources[stack.getLogicalId(alarm.node.defaultChild as never)].Properties;

    for (const [alarm, service] of alarms) {
      expect(alarm.node.id).toBe('UnreadableLedgerItemsAlarm');
      expect(properties(alarm)).toMatchObject({
        Namespace: 'SelfHeal/Remediation',
        MetricName: 'UnreadableLedgerItems',
        Dimensions: [{ Name: 'service', Value: service }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic.topicArn],
        OKActions: [topic.topicArn],
        AlarmDescription: expect.stringContaining('"ledger item unreadable"'),
      });
      // CloudWatch takes at most 1024 characters of description.
      expect(properties(alarm).AlarmDescription.length).toBeLessThanOrEqual(1024);
      // The same topic as the function's errors alarm, the alarm people already watch.
      const errorsAlarm = [engine.alarmHandler, engine.verifyHandler, engine.sweeper].find(
        (fn) => fn.serviceName === service,
      )?.errorsAlarm;
      expect(errorsAlarm && properties(errorsAlarm).AlarmActions).toEqual(properties(alarm).AlarmActions);
    }
  });

  it('alarms on any failed CreateOpsItem of each function that escalates, saying where to look within CloudWatch limits', () => {
    const stack = newStack();
    const engine = new RemediationEngine(stack, 'Remediation', engineProps());
    const t = Template.fromStack(stack);
    const properties = (alarm: { node: { defaultChild?: unknown } }) =>
      t.toJSON().Resources[stack.getLogicalId(alarm.node.defaultChild as never)].Properties;

    for (const [alarm, service] of [
      [engine.metricAlarms.alarmHandlerOpsItemsFailed, 'TestStack-remediation-alarm'],
      [engine.metricAlarms.verifyHandlerOpsItemsFailed, 'TestStack-remediation-verify'],
      [engine.metricAlarms.sweeperOpsItemsFailed, 'TestStack-remediation-sweeper'],
    ] as const) {
      expect(alarm.node.id).toBe('OpsItemsFailedAlarm');
      expect(properties(alarm)).toMatchObject({
        MetricName: 'OpsItemsFailed',
        Dimensions: [{ Name: 'service', Value: service }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        AlarmDescription: expect.stringContaining('"OpsItem retried"'),
      });
      // CloudWatch takes at most 1024 characters of description.
      expect(properties(alarm).AlarmDescription.length).toBeLessThanOrEqual(1024);
    }
  });

  it('routes ALARM to the alarm handler and OK to the verification handler, by alarm-name prefix', () => {
    const t = synthEngine();
    const names = [{ prefix: 'disk-full-' }, { prefix: 'web-status-check-' }, { prefix: 'api-cpu-stuck-' }];
    for (const [state, target] of [
      ['ALARM', 'RemediationAlarmHandler'],
      ['OK', 'RemediationVerifyHandler'],
    ] as const) {
      t.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          detail: { alarmName: names, state: { value: [state] } },
        },
        Targets: [
          Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${target}Function`), 'Arn'] } }),
        ],
      });
    }
  });

  it('routes INSUFFICIENT_DATA to the verification handler for the alarms of rules that count it as recovered only', () => {
    const t = synthEngine();
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { alarmName: [{ prefix: 'web-status-check-' }], state: { value: ['INSUFFICIENT_DATA'] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RemediationVerifyHandlerFunction'), 'Arn'] },
        }),
      ],
    });
    const insufficient = Object.values(t.findResources('AWS::Events::Rule')).filter((r) =>
      JSON.stringify(r.Properties.EventPattern ?? {}).includes('INSUFFICIENT_DATA'),
    );
    expect(insufficient).toHaveLength(1);
  });

  it('routes no INSUFFICIENT_DATA events when every rule counts only OK as recovered', () => {
    const rules = exampleRules().map(({ verificationRecoveredStates: _states, ...r }) => r);
    const t = synthEngine({ rules });
    const patterns = Object.values(t.findResources('AWS::Events::Rule')).map((r) =>
      JSON.stringify(r.Properties.EventPattern ?? {}),
    );
    expect(patterns.filter((p) => p.includes('INSUFFICIENT_DATA'))).toEqual([]);
    t.resourceCountIs('AWS::Events::Rule', 4);
  });

  it('routes terminal automation status changes of the enforced documents only to the verification handler', () => {
    const t = synthEngine();
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ssm'],
        'detail-type': ['EC2 Automation Execution Status-change Notification'],
        detail: {
          Definition: ['TestStack-cleanup-directory'],
          Status: Match.arrayWith([
            'Success',
            'TimedOut',
            'Cancelled',
            'Failed',
            'ChangeCalendarOverrideRejected',
          ]),
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RemediationVerifyHandlerFunction'), 'Arn'] },
        }),
      ],
    });
  });

  it('runs the sweeper every minute', () => {
    synthEngine().hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });

  it('gives every rule target retries, a maximum event age and a dead-letter queue', () => {
    const rules = Object.values(synthEngine().findResources('AWS::Events::Rule'));
    // ALARM, OK, INSUFFICIENT_DATA, automation status, sweeper.
    expect(rules).toHaveLength(5);
    for (const rule of rules) {
      for (const target of rule.Properties.Targets) {
        expect(target.RetryPolicy).toEqual({
          MaximumRetryAttempts: 2,
          MaximumEventAgeInSeconds: expect.any(Number),
        });
        expect(target.DeadLetterConfig).toEqual({
          Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetterQueue/), 'Arn'] },
        });
      }
    }
    // The ages the README gives: alarm 1 h, verification 6 h (OK, INSUFFICIENT_DATA, automation
    // status), sweep 2 min (the next minute's sweep is its retry).
    const ages = rules.map((rule) => ({
      schedule: rule.Properties.ScheduleExpression,
      age: rule.Properties.Targets[0].RetryPolicy.MaximumEventAgeInSeconds,
    }));
    expect(ages.filter((a) => a.schedule !== undefined)).toEqual([{ schedule: 'rate(1 minute)', age: 120 }]);
    expect(ages.map((a) => a.age).sort((a, b) => a - b)).toEqual([120, 3600, 21_600, 21_600, 21_600]);
  });

  it('has no automation status rule, start permission or automation permissions when no rule enforces', () => {
    const t = synthEngine({ rules: engineProps().rules.map((r) => ({ ...r, mode: 'dryRun' as const })) });
    // ALARM, OK, INSUFFICIENT_DATA (the replacement rule still accepts it), sweeper.
    expect(Object.keys(t.findResources('AWS::Events::Rule'))).toHaveLength(4);
    const policies = JSON.stringify(t.findResources('AWS::IAM::Policy'));
    expect(policies).not.toContain('ssm:StartAutomationExecution');
    expect(policies).not.toContain('ssm:SendCommand');
    expect(policies).not.toContain('iam:PassRole');
  });

  it('deploys the three shipped documents as Automation YAML, new versions on change, named after the stack', () => {
    const t = synthEngine();
    for (const key of ['restart-service', 'cleanup-directory', 'replace-unhealthy-instance']) {
      t.hasResourceProperties('AWS::SSM::Document', {
        Name: `TestStack-${key}`,
        DocumentType: 'Automation',
        DocumentFormat: 'YAML',
        UpdateMethod: 'NewVersion',
        Content: Match.objectLike({ schemaVersion: '0.3', assumeRole: '{{ AutomationAssumeRole }}' }),
      });
    }
  });

  it('fails when the rules are invalid, listing every problem', () => {
    const rules = engineProps().rules.map((r) => ({ ...r, mode: 'sometimes' as never }));
    expect(() => new RemediationEngine(newStack(), 'Remediation', engineProps({ rules }))).toThrow(
      ConfigError,
    );
  });

  it('fails when there are no rules', () => {
    expect(() => new RemediationEngine(newStack(), 'Remediation', engineProps({ rules: [] }))).toThrow(
      /no remediation rules; add rules, or leave the engine out of the stack/,
    );
  });

  // A dryRun or observe rule starts nothing, but it records what it would start: refusing it only
  // once enforced would let it record, for weeks, calls that could never run.
  it.each(['dryRun', 'observe', 'enforce'] as const)(
    'fails in %s mode when a rule names an AWS-owned document whose permissions are unknown',
    (mode) => {
      const [first] = engineProps().rules;
      const rule = {
        ...first,
        id: 'stop',
        document: { aws: 'AWS-StopEC2Instance' },
        parameters: { InstanceId: ['{{resourceId}}'] },
        mode,
      };
      expect(() => synthEngine({ rules: [rule as never] })).toThrow(ConfigError);
      expect(() => synthEngine({ rules: [rule as never] })).toThrow(
        /remediation\.rules\[0\]\.document\.aws: received "AWS-StopEC2Instance"; expected "AWS-RestartEC2Instance"/,
      );
    },
  );

  /** `count` observe rules, each matching one more CWAgent metric (no alarm-name pattern). */
  const metricRules = (count: number) => {
    const [, , cpu] = engineProps().rules;
    if (cpu === undefined) throw new Error('the example config has fewer than three rules');
    return Array.from({ length: count }, (_, i) => ({
      ...cpu,
      id: `metric-${i}`,
      match: { namespace: 'CWAgent', metricName: `app_queue_depth_${i}` },
    }));
  };

  it('counts an event pattern as EventBridge receives it, the JSON of the rendered pattern', () => {
    const rules = metricRules(3);
    // An environment-bound stack, so its account and Region render as the values themselves.
    const home = { account: '123456789012', region: 'eu-west-1' };
    const stack = new Stack(appWithoutBundling(), 'Bound', { env: home });
    new RemediationEngine(stack, 'Remediation', engineProps({ rules }));
    const [alarmRule] = Object.values(
      Template.fromStack(stack).findResources('AWS::Events::Rule', {
        Properties: { Description: Match.stringLikeRegexp('to ALARM') },
      }),
    );
    const rendered = JSON.stringify(alarmRule?.Properties?.EventPattern);
    expect(rendered).toContain('"detail-type"');
    expect(
      eventPatternChars(
        alarmStatePattern(
          rules.map((r) => r.match),
          'ALARM',
          home,
        ),
      ),
    ).toBe(rendered.length);
  });

  it("routes only the alarm events of the stack's own account and Region to the handlers", () => {
    // Alarm names are unique only within an account and Region, and a default bus may receive
    // other accounts' events:
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/events/CloudWatchEvents-CrossAccountEventDelivery.html
    const rules = synthEngine().findResources('AWS::Events::Rule', {
      Properties: { EventPattern: { source: ['aws.cloudwatch'] } },
    });

    expect(Object.keys(rules).length).toBeGreaterThanOrEqual(2);
    for (const rule of Object.values(rules)) {
      expect(rule.Properties.EventPattern).toMatchObject({
        account: [{ Ref: 'AWS::AccountId' }],
        region: [{ Ref: 'AWS::Region' }],
      });
    }
  });

  it('fails when an alarm event pattern is longer than EventBridge accepts (2048 characters by default)', () => {
    expect(() => synthEngine({ rules: metricRules(25) })).toThrow(
      /Remediation\/AlarmRule: its event pattern is \d+ characters, over the 2048 EventBridge accepts/,
    );
    expect(() => synthEngine({ rules: metricRules(25), eventPatternMaxChars: 4096 })).not.toThrow();
  });

  it('fails when eventPatternMaxChars is beyond what EventBridge can be raised to', () => {
    expect(() => synthEngine({ eventPatternMaxChars: 5000 })).toThrow(
      /eventPatternMaxChars 5000 is not allowed; use an integer from 1 to 4096/,
    );
  });

  it("bundles the shipped documents' parameter patterns next to every handler, as rendered for the config", () => {
    const app = new App();
    const stack = new Stack(app, 'Bundled');
    const engine = new RemediationEngine(
      stack,
      'Remediation',
      engineProps({ cleanupAllowedPathPrefixes: ['/var/log/app/', '/srv/data/'] }),
    );
    const assembly = app.synth();

    // Each function's code is the asset its S3 key names (identical bundles share one asset).
    const functions = Object.values(
      Template.fromStack(stack).findResources('AWS::Lambda::Function'),
    ) as Array<{ Properties: { Code: { S3Key: string } } }>;
    expect(functions).toHaveLength(3);
    const shipped = functions.map((fn) => {
      const asset = join(assembly.directory, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
      return JSON.parse(readFileSync(join(asset, 'selfheal-document-patterns.json'), 'utf8'));
    });
    const expected = documentPatternsOf(engine.documents.rendered);
    for (const patterns of shipped) expect(patterns).toEqual(expected);
    expect(expected['cleanup-directory'].Directory).toBe(
      engine.documents.rendered['cleanup-directory'].parameters.Directory?.allowedPattern,
    );
    expect(expected['cleanup-directory'].Directory).toContain('/srv/data/');
    expect(expected['restart-service']).toMatchObject({ InstanceId: '^i-[0-9a-f]{8,17}$' });
  }, 60_000);
});
