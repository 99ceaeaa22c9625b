import { aws_iam as iam, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  SCHEDULED_ACTION_MUTATIONS,
  ScheduledActionsPolicy,
  type ScheduledActionsPolicyProps,
} from '../../lib/iam/scheduled-actions-policy';
import { appWithoutBundling, newStack } from './helpers';

type Options = Omit<ScheduledActionsPolicyProps, 'role' | 'autoScalingGroupNames'>;

function policyFor(
  autoScalingGroupNames: string[],
  options: Options = {},
  stack: Stack = newStack(),
): ScheduledActionsPolicy {
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return new ScheduledActionsPolicy(stack, 'ScheduledActionsPolicy', {
    role,
    autoScalingGroupNames,
    ...options,
  });
}

const names = (count: number) => Array.from({ length: count }, (_, i) => `web-frontend-asg-${i}`);

/** `value` as IAM receives it from a stack whose Region and account are known: the partition resolved. */
function withPartition(value: unknown, partition: string): unknown {
  if (Array.isArray(value)) return value.map((v) => withPartition(v, partition));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record.Ref === 'AWS::Partition') return partition;
  if (Array.isArray(record['Fn::Join'])) {
    const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
    return parts.map((v) => withPartition(v, partition)).join(separator);
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, withPartition(v, partition)]));
}

/** The policy documents of the template's managed policies, in template order. */
function managedDocuments(stack: Stack): Array<{ Statement: Array<{ Resource: unknown }> }> {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')).map(
    (p) => p.Properties.PolicyDocument,
  );
}

describe('ScheduledActionsPolicy', () => {
  it('accepts group names IAM and cdk-nag can scope', () => {
    expect(() => policyFor(['web-asg', 'batch_workers.1', 'web[1]-café'])).not.toThrow();
  });

  it.each([
    ['web-*', 'must not contain *, ? or :'],
    ['web:1', 'must not contain *, ? or :'],
    ['batch workers', 'must not contain a space or other whitespace'],
    ['web-asg]', 'must pair its brackets'],
    ['web-グループ', 'must hold only characters from U+0020 to U+00FF'],
  ])('fails when a group name is %j, naming it and the rule', (name, rule) => {
    expect(() => policyFor(['ok-asg', name])).toThrow(
      `ScheduledActionsPolicy: autoScalingGroupNames ${JSON.stringify(name)}: a forecastAndScale group's name ${rule}`,
    );
  });

  it('fails when autoScalingGroupNames is empty', () => {
    expect(() => policyFor([])).toThrow('autoScalingGroupNames is empty');
  });

  it('puts the ARNs in customer-managed policies attached to the role, none inline', () => {
    const stack = newStack();
    const { policies } = policyFor(['web-asg', 'api-asg', 'web-asg'], {}, stack);
    const t = Template.fromStack(stack);
    expect(policies).toHaveLength(1);
    t.resourceCountIs('AWS::IAM::Policy', 0);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: stack.getLogicalId(stack.node.findChild('Role').node.defaultChild as iam.CfnRole) }],
    });
    const [document] = managedDocuments(stack);
    expect(JSON.stringify(document)).toContain('autoScalingGroupName/web-asg');
    expect(document?.Statement[0]?.Resource).toHaveLength(2);
  });

  it('packs the names in order into as few policies as keep each within 6,144 characters', () => {
    const stack = new Stack(appWithoutBundling(), 'Pinned', {
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    const { policies } = policyFor(names(200), {}, stack);
    const documents = managedDocuments(stack);
    // The partition stays unknown until deploy: sized as the longest, aws-us-gov.
    const resolvedDocuments = documents.map(
      (d) => withPartition(d, 'aws-us-gov') as (typeof documents)[number],
    );
    const sizes = resolvedDocuments.map((d) => JSON.stringify(d).length);
    expect(policies).toHaveLength(documents.length);
    expect(documents.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(6144);
    // As few as possible: the next part's first ARN, with its comma, would not have fitted in the
    // part before.
    sizes.slice(0, -1).forEach((size, i) => {
      const next = [resolvedDocuments[i + 1]?.Statement[0]?.Resource].flat()[0];
      expect(size + 1 + JSON.stringify(next).length).toBeGreaterThan(6144);
    });
    const listed = documents.flatMap((d) => [d.Statement[0]?.Resource].flat());
    expect(JSON.stringify(listed).match(/web-frontend-asg-\d+/g)).toEqual(names(200));
  });

  it('fails when the names need more managed policies than the role may have, naming the count and groupTag', () => {
    expect(() => policyFor(names(60), { maxManagedPolicies: 1 })).toThrow(
      "TestStack/ScheduledActionsPolicy: the ARNs of 60 forecastAndScale groups need 2 managed policies of at most 6144 characters, more than the 1 this role may have (IAM's default quota is 10 managed policies per role); the first ",
    );
    expect(() => policyFor(names(60), { maxManagedPolicies: 1 })).toThrow(
      /groups fit\. Tag the groups and set predictiveScaling\.scaledGroupTag \(the groupTag prop\)/,
    );
  });

  it('allows the groups carrying groupTag in one policy, whatever their number', () => {
    const stack = newStack();
    const { policies } = policyFor(names(2000), { groupTag: { key: 'selfheal', value: 'scale' } }, stack);
    expect(policies).toHaveLength(1);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Action: [...SCHEDULED_ACTION_MUTATIONS],
            Condition: { StringEquals: { 'aws:ResourceTag/selfheal': 'scale' } },
          },
        ],
      },
    });
    expect(JSON.stringify(managedDocuments(stack))).not.toContain('web-frontend-asg');
  });

  it.each([
    [{ key: 'aws:owner', value: 'x' }, 'must not start with aws:'],
    [{ key: 'team name', value: 'x' }, 'letters, digits and _ . : / = + - @'],
    [{ key: 'team', value: 'é' }, 'letters, digits, spaces and'],
  ])('fails when groupTag is %j, naming it', (groupTag, why) => {
    expect(() => policyFor(['web-asg'], { groupTag })).toThrow(
      `TestStack/ScheduledActionsPolicy: groupTag ${JSON.stringify(groupTag)} cannot scope a policy (`,
    );
    expect(() => policyFor(['web-asg'], { groupTag })).toThrow(why);
  });
});
