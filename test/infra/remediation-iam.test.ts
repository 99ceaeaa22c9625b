import { describe, expect, it } from 'vitest';
import {
  allowing,
  exampleRules,
  type RuleInput,
  ssmArn,
  statements,
  synthEngine,
} from './remediation-fixtures';

const enforceAll = () => synthEngine({ rules: exampleRules('enforce') });

/** Read-only actions that support no resource-level permissions (Resource "*" is their only form). */
const READ_ONLY_UNSCOPED = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'ssm:ListCommands',
  'ssm:ListCommandInvocations',
  'ssm:GetCommandInvocation',
  'ssm:DescribeInstanceInformation',
  'autoscaling:DescribeAutoScalingInstances',
  'autoscaling:DescribeAutoScalingGroups',
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceStatus',
  'cloudwatch:DescribeAlarms',
]);

describe('remediation IAM', () => {
  it('starts exactly the documents of enforce rules (example: cleanup-directory only)', () => {
    const [start, ...others] = allowing(synthEngine(), 'ssm:StartAutomationExecution');
    expect(others).toEqual([]);
    expect(start?.Resource).toEqual([
      ssmArn('automation-definition/TestStack-cleanup-directory:*'),
      ssmArn('document/TestStack-cleanup-directory'),
    ]);
  });

  it('lets the alarm handler and the sweeper (re-driving blocked remediations) start them', () => {
    const policies = Object.values(synthEngine().findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('ssm:StartAutomationExecution'),
    );
    expect(policies).toHaveLength(1);
    const roles = JSON.stringify(policies[0]?.Properties?.Roles);
    expect(roles).toMatch(/AlarmHandler/);
    expect(roles).toMatch(/Sweeper/);
  });

  it('lets the alarm handler, the verification handler and the sweeper read this account’s executions, nothing more', () => {
    const t = synthEngine();
    const [read, ...others] = allowing(t, 'ssm:GetAutomationExecution');
    expect(others).toEqual([]);
    expect(read).toMatchObject({
      Sid: 'ReadStartedExecutions',
      Action: 'ssm:GetAutomationExecution',
      Resource: ssmArn('automation-execution/*'),
    });
    expect(read?.Condition).toBeUndefined();
    expect(read?.policy).toMatch(/^RemediationReadExecutionsPolicy/);
    const roles = JSON.stringify(t.findResources('AWS::IAM::Policy')[read?.policy ?? '']?.Properties?.Roles);
    expect(roles).toMatch(/AlarmHandler/);
    // It escalates failed automations, whose evidence summarises the execution it reads.
    expect(roles).toMatch(/VerifyHandler/);
    expect(roles).toMatch(/Sweeper/);
  });

  it('lets the verification handler start nothing', () => {
    const t = synthEngine();
    const [start] = allowing(t, 'ssm:StartAutomationExecution');
    const roles = JSON.stringify(t.findResources('AWS::IAM::Policy')[start?.policy ?? '']?.Properties?.Roles);
    expect(roles).toMatch(/AlarmHandler/);
    expect(roles).not.toMatch(/VerifyHandler/);
  });

  it('lets the alarm handler read alarm states when it starts automations (it settles one already ended)', () => {
    const rolesAllowing = (t: ReturnType<typeof synthEngine>, action: string) =>
      allowing(t, action).map((s) =>
        JSON.stringify(t.findResources('AWS::IAM::Policy')[s.policy]?.Properties?.Roles),
      );
    const enforced = rolesAllowing(synthEngine(), 'cloudwatch:DescribeAlarms');
    expect(enforced.some((roles) => /AlarmHandler/.test(roles))).toBe(true);
    const observed = rolesAllowing(
      synthEngine({ rules: exampleRules('observe') }),
      'cloudwatch:DescribeAlarms',
    );
    expect(observed.some((roles) => /AlarmHandler/.test(roles))).toBe(false);
  });

  it('grants no status read when no rule enforces (nothing is started)', () => {
    expect(allowing(synthEngine({ rules: exampleRules('observe') }), 'ssm:GetAutomationExecution')).toEqual(
      [],
    );
  });

  it('names AWS-owned runbooks without an account, next to the shipped ones', () => {
    const [start] = allowing(enforceAll(), 'ssm:StartAutomationExecution');
    expect(start?.Resource).toEqual([
      ssmArn('automation-definition/TestStack-cleanup-directory:*'),
      ssmArn('document/TestStack-cleanup-directory'),
      ssmArn('automation-definition/TestStack-replace-unhealthy-instance:*'),
      ssmArn('document/TestStack-replace-unhealthy-instance'),
      ssmArn('automation-definition/AWS-RestartEC2Instance:*', false),
      ssmArn('document/AWS-RestartEC2Instance', false),
    ]);
    expect(start?.policy).toMatch(/^RemediationStartAutomationPolicy/);
  });

  it('lets the alarm handler and the sweeper list the versions of exactly the documents they may start', () => {
    const t = enforceAll();
    const [list, ...others] = allowing(t, 'ssm:ListDocumentVersions');
    expect(others).toEqual([]);
    expect(list).toMatchObject({
      Sid: 'ReadVersionsOfStartableDocuments',
      Action: 'ssm:ListDocumentVersions',
      Resource: [
        ssmArn('document/TestStack-cleanup-directory'),
        ssmArn('document/TestStack-replace-unhealthy-instance'),
        ssmArn('document/AWS-RestartEC2Instance', false),
      ],
    });
    expect(list?.Condition).toBeUndefined();
    expect(list?.policy).toMatch(/^RemediationDocumentVersionsPolicy/);
    const roles = JSON.stringify(t.findResources('AWS::IAM::Policy')[list?.policy ?? '']?.Properties?.Roles);
    expect(roles).toMatch(/AlarmHandler/);
    expect(roles).toMatch(/Sweeper/);
    expect(roles).not.toMatch(/VerifyHandler/);
  });

  it('lists the versions of the enforced documents only (example: cleanup-directory only), none when no rule enforces', () => {
    const [list] = allowing(synthEngine(), 'ssm:ListDocumentVersions');
    expect(list?.Resource).toEqual(ssmArn('document/TestStack-cleanup-directory'));
    expect(allowing(synthEngine({ rules: exampleRules('observe') }), 'ssm:ListDocumentVersions')).toEqual([]);
  });

  it('passes only the automation role, only to SSM', () => {
    const pass = allowing(enforceAll(), 'iam:PassRole');
    expect(pass).toHaveLength(1);
    expect(pass[0]).toMatchObject({
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^RemediationAutomationRole/), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
    });
  });

  it('lets SSM Automation of this account only assume the automation role', () => {
    const t = synthEngine();
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'ssm.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': ssmArn('automation-execution/*') },
            },
          },
        ],
      },
    });
  });

  it('grants the automation role only what the enforced documents do', () => {
    const cleanupOnly = statements(synthEngine()).filter((s) =>
      s.policy.startsWith('RemediationAutomationPolicy'),
    );
    expect(cleanupOnly.map((s) => s.Sid)).toEqual(['RunShellScriptOnInstances', 'FollowCommands']);
    const all = statements(enforceAll()).filter((s) => s.policy.startsWith('RemediationAutomationPolicy'));
    expect(all.map((s) => s.Sid)).toEqual([
      'RunShellScriptOnInstances',
      'FollowCommands',
      'ReadAutoScaling',
      'MarkInstanceUnhealthy',
      'StopAndStartInstances',
      'WaitForInstanceState',
    ]);
    expect(allowing(enforceAll(), 'autoscaling:TerminateInstanceInAutoScalingGroup')).toEqual([]);
    expect(allowing(enforceAll(), 'ec2:RebootInstances')).toEqual([]);
  });

  it('sends shell commands only through AWS-RunShellScript', () => {
    const [send] = allowing(synthEngine(), 'ssm:SendCommand');
    expect(send?.Resource).toContainEqual(ssmArn('document/AWS-RunShellScript', false));
    expect(JSON.stringify(send?.Resource)).not.toContain('document/*');
  });

  it('puts no mutating action on "*" without a condition', () => {
    const starred = statements(enforceAll()).filter((s) => [s.Resource].flat().includes('*'));
    const unscoped = starred
      .filter((s) => s.Condition === undefined)
      .flatMap((s) => [s.Action].flat())
      .filter((a) => !READ_ONLY_UNSCOPED.has(a) && a !== 'ssm:CreateOpsItem');
    expect(unscoped).toEqual([]);
  });

  it('limits ledger access to the item reads and writes the adapters send, on the ledger table', () => {
    const ledger = statements(synthEngine()).filter((s) => s.Sid === 'ReadWriteLedgerItems');
    expect(ledger).toHaveLength(3);
    for (const s of ledger) {
      expect(s.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^RemediationLedger/), 'Arn'] });
      // Get, BatchGet, Query, Put, Update, Delete, and TransactWrite of Put/Update/Delete items:
      // no Scan, no BatchWriteItem, no ConditionCheckItem (no ConditionCheck item is sent).
      expect(new Set([s.Action].flat())).toEqual(
        new Set([
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ]),
      );
    }
  });

  // AddTagsToResource on create: the CreateOpsItem API reference (`Tags`),
  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateOpsItem.html; the
  // opsitem resource type and its aws:ResourceTag condition: the Service Authorization Reference,
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html.
  it('lets the functions create OpsItems tagged with their stack, and read or update only OpsItems with that tag', () => {
    const t = enforceAll();
    const opsActions = statements(t)
      .flatMap((s) => [s.Action].flat())
      .filter((a) => /^ssm:.*Ops/.test(a));
    expect(new Set(opsActions)).toEqual(
      new Set(['ssm:CreateOpsItem', 'ssm:GetOpsItem', 'ssm:UpdateOpsItem']),
    );
    // One escalation policy per function: the alarm handler, the verification handler, the sweeper.
    // `*` as AWS's own AWSSSMOpsInsightsServiceRolePolicy grants it for CreateOpsItem's tags
    // (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSSSMOpsInsightsServiceRolePolicy.html),
    // limited by the request's tag key and value.
    const tags = allowing(t, 'ssm:AddTagsToResource').filter(
      (s) => s.Sid === 'TagCreatedOpsItemsWithTheStack',
    );
    expect(tags).toHaveLength(3);
    for (const tag of tags) {
      expect(tag).toMatchObject({
        Action: 'ssm:AddTagsToResource',
        Resource: '*',
        Condition: {
          StringEqualsIfExists: { 'aws:RequestTag/selfheal:stack': 'TestStack' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['selfheal:stack'] },
        },
      });
    }
    const updates = allowing(t, 'ssm:UpdateOpsItem');
    expect(updates).toHaveLength(3);
    for (const update of updates) {
      expect(update).toMatchObject({
        Sid: 'UpdateTheStacksOpsItems',
        Action: ['ssm:GetOpsItem', 'ssm:UpdateOpsItem'],
        Resource: ssmArn('opsitem/*'),
        Condition: { StringEquals: { 'aws:ResourceTag/selfheal:stack': 'TestStack' } },
      });
    }
    expect(allowing(t, 'ssm:GetOpsItem')).toEqual(updates);
  });

  it('tells the functions the stack tag their policy scopes OpsItem updates to', () => {
    const fns = Object.values(enforceAll().findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Environment?.Variables?.SELFHEAL_ESCALATION_TOPIC_ARN !== undefined,
    );
    expect(fns).toHaveLength(3);
    for (const fn of fns) expect(fn.Properties.Environment.Variables.SELFHEAL_STACK_NAME).toBe('TestStack');
  });

  it('grants no start permission for rules in observe or dry-run mode', () => {
    const rules: RuleInput[] = exampleRules('observe');
    expect(allowing(synthEngine({ rules }), 'ssm:StartAutomationExecution')).toEqual([]);
  });
});
