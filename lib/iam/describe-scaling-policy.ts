import { aws_iam as iam, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Props of {@link DescribeScalingPolicy}. */
export interface DescribeScalingPolicyProps {
  /** Role the policy is attached to. */
  readonly role: iam.IRole;
}

/**
 * Read the groups' current state and their existing scheduled actions (to replace only the
 * forecaster's own), and describe the `forecastOnly` targets' groups to check them for
 * `forecastAndScale`. Read-only.
 */
export class DescribeScalingPolicy extends iam.Policy {
  constructor(scope: Construct, id: string, props: DescribeScalingPolicyProps) {
    super(scope, id, {
      roles: [props.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'DescribeGroupsAndScheduledActions',
          actions: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeScheduledActions'],
          resources: ['*'],
        }),
      ],
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'autoscaling:Describe* actions are read-only and support no resource-level permissions (the Service Authorization Reference lists no resource type for them).',
    });
  }
}
