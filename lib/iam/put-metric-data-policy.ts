import { aws_iam as iam, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Props of {@link PutMetricDataPolicy}. */
export interface PutMetricDataPolicyProps {
  /** Role the policy is attached to. */
  readonly role: iam.IRole;
  /** The one CloudWatch namespace the role may publish to. */
  readonly namespace: string;
}

/**
 * `cloudwatch:PutMetricData`, limited to one namespace with the `cloudwatch:namespace`
 * condition key (PutMetricData has no resource-level permissions, so the condition is the scope).
 */
export class PutMetricDataPolicy extends iam.Policy {
  constructor(scope: Construct, id: string, props: PutMetricDataPolicyProps) {
    super(scope, id, {
      roles: [props.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'PublishOnlyToOwnNamespace',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': props.namespace } },
        }),
      ],
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'cloudwatch:PutMetricData supports no resource-level permissions; the statement is scoped by the cloudwatch:namespace condition to the forecast namespace only.',
    });
  }
}
