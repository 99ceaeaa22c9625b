import { Stack, type StackProps, aws_sns as sns } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config/schema';
import { PredictiveScaler } from '../constructs/predictive-scaler';

/** Props of {@link SelfhealStack}. */
export interface SelfhealStackProps extends StackProps {
  /** The validated app configuration (`parseAppConfig`). */
  readonly config: AppConfig;
}

/** The selfheal stack: composes the constructs, holds no logic. */
export class SelfhealStack extends Stack {
  readonly predictiveScaler: PredictiveScaler;

  constructor(scope: Construct, id: string, props: SelfhealStackProps) {
    super(scope, id, props);
    const { config } = props;
    const alarmTopic =
      config.alarmTopicArn === undefined
        ? undefined
        : sns.Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn);
    this.predictiveScaler = new PredictiveScaler(this, 'PredictiveScaler', {
      ...config.predictiveScaling,
      logRetentionDays: config.logRetentionDays,
      alarmTopic,
    });
  }
}
