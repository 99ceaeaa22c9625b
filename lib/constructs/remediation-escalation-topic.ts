import { aws_kms as kms, aws_sns as sns, aws_sns_subscriptions as subscriptions } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Props of {@link RemediationEscalationTopic}. */
export interface RemediationEscalationTopicProps {
  /** Address subscribed to the topic. @default - no subscription (subscribe later, e.g. a chat integration) */
  readonly email?: string;
}

/**
 * The SNS topic escalations go to: encrypted with its own rotating KMS key, SSL-only, with an
 * optional e-mail subscription (confirmed by the recipient).
 */
export class RemediationEscalationTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: RemediationEscalationTopicProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts ${this.node.path}: remediation escalations`,
      enableKeyRotation: true,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'selfheal remediation escalations',
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.email !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    }
  }
}
