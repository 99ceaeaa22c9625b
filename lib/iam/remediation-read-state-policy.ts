import { aws_iam as iam, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Props of {@link RemediationReadStatePolicy}. */
export interface RemediationReadStatePolicyProps {
  /** Role the policy is attached to. */
  readonly role: iam.IRole;
  /** Alarm state (verification: is the alarm back to OK?). @default false */
  readonly alarms?: boolean;
  /** Auto Scaling membership and group size (blast radius). @default false */
  readonly autoScaling?: boolean;
}

/** Read-only state the guardrails and the verification look at. */
export class RemediationReadStatePolicy extends iam.Policy {
  constructor(scope: Construct, id: string, props: RemediationReadStatePolicyProps) {
    const actions = [
      ...(props.alarms === true ? ['cloudwatch:DescribeAlarms'] : []),
      ...(props.autoScaling === true
        ? ['autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeAutoScalingGroups']
        : []),
    ];
    if (actions.length === 0) {
      throw new Error(
        `${scope.node.path}/${id}: set alarms or autoScaling (or both); the policy would be empty`,
      );
    }
    super(scope, id, {
      roles: [props.role],
      statements: [new iam.PolicyStatement({ sid: 'ReadRemediationState', actions, resources: ['*'] })],
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Read-only: the alarms and instances come from events at run time; autoscaling:Describe* support no resource-level permissions, and cloudwatch:DescribeAlarms is called for alarms matched by name patterns.',
    });
  }
}
