import { Stack, type StackProps, aws_sns as sns } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config/schema';
import { PredictiveScaler } from '../constructs/predictive-scaler';
import { RemediationEngine } from '../constructs/remediation-engine';
import { SelfHealDashboard } from '../constructs/selfheal-dashboard';

/** Props of {@link SelfhealStack}. */
export interface SelfhealStackProps extends StackProps {
  /** The validated app configuration (`parseAppConfig`). */
  readonly config: AppConfig;
}

/** The selfheal stack: composes the constructs, holds no logic. */
export class SelfhealStack extends Stack {
  readonly predictiveScaler: PredictiveScaler;
  /** The remediation engine; `undefined` when the config has no remediation rules (nothing is deployed for it). */
  readonly remediation: RemediationEngine | undefined;
  /** The CloudWatch dashboards; `undefined` when `dashboard.enabled` is false. */
  readonly dashboard: SelfHealDashboard | undefined;

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
    const { remediation } = config;
    this.remediation =
      remediation.rules.length === 0
        ? undefined
        : new RemediationEngine(this, 'Remediation', {
            ...remediation,
            logRetentionDays: config.logRetentionDays,
            alarmTopic,
          });
    this.dashboard = config.dashboard.enabled
      ? new SelfHealDashboard(this, 'Dashboard', {
          predictiveScaler: this.predictiveScaler,
          remediation: this.remediation,
          targetsPerDashboard: config.dashboard.targetsPerDashboard,
          targetIds: config.dashboard.targetIds,
        })
      : undefined;
  }
}
