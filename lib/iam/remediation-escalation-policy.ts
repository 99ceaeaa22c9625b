import { aws_iam as iam, type aws_kms as kms, type aws_sns as sns, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Props of {@link RemediationEscalationPolicy}. */
export interface RemediationEscalationPolicyProps {
  /** Role the policy is attached to. */
  readonly role: iam.IRole;
  /** The escalation topic. */
  readonly topic: sns.ITopic;
  /** The key the topic is encrypted with (publishing needs a data key). */
  readonly topicKey: kms.IKey;
}

/**
 * Escalate: publish to the escalation topic (and use its key), and create OpsCenter OpsItems.
 * OpsCenter itself deduplicates them per rule and resource (the `/aws/dedup` operational data),
 * so the functions never read, update or tag an existing OpsItem and get no permission to.
 */
export class RemediationEscalationPolicy extends iam.Policy {
  constructor(scope: Construct, id: string, props: RemediationEscalationPolicyProps) {
    super(scope, id, {
      roles: [props.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'PublishEscalations',
          actions: ['sns:Publish'],
          resources: [props.topic.topicArn],
        }),
        new iam.PolicyStatement({
          sid: 'EncryptForTheEscalationTopic',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.topicKey.keyArn],
        }),
        new iam.PolicyStatement({
          sid: 'CreateOpsItems',
          actions: ['ssm:CreateOpsItem'],
          resources: ['*'],
        }),
      ],
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ssm:CreateOpsItem supports no resource-level permissions (an OpsItem has no ARN before it exists); it only creates, and the OpsItems carry no tags.',
    });
  }
}
