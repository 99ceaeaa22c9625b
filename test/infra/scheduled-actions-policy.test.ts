import { aws_iam as iam } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ScheduledActionsPolicy } from '../../lib/iam/scheduled-actions-policy';
import { newStack } from './helpers';

function policyFor(autoScalingGroupNames: string[]): ScheduledActionsPolicy {
  const stack = newStack();
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return new ScheduledActionsPolicy(stack, 'ScheduledActionsPolicy', { role, autoScalingGroupNames });
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
});
