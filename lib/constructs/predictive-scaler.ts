import {
  type aws_cloudwatch as cloudwatch,
  Duration,
  aws_events as events,
  aws_events_targets as eventsTargets,
  Stack,
  type aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BUNDLED_CONFIG_FILE, FORECASTER_ENV } from '../config/env-names';
import { FORECASTER_METRICS, serviceName } from '../config/metric-names';
import { parseAppConfig } from '../config/parse';
import type { AppConfig, AppConfigInput } from '../config/schema';
import { DescribeScalingPolicy } from '../iam/describe-scaling-policy';
import { ReadMetricsPolicy } from '../iam/read-metrics-policy';
import { ScheduledActionsPolicy } from '../iam/scheduled-actions-policy';
import { FORECASTER_ENTRY } from '../project-paths';
import { SelfhealFunction } from './selfheal-function';

type PredictiveScalingInput = AppConfigInput['predictiveScaling'];

/** Props of {@link PredictiveScaler}: the `predictiveScaling` section of the config, flat. */
export interface PredictiveScalerProps {
  /** The Auto Scaling groups to forecast for (see the README's configuration reference). */
  readonly targets: PredictiveScalingInput['targets'];
  /**
   * EventBridge schedule expression of the forecaster runs; hourly: `rate(1 hour)`,
   * `rate(60 minutes)` or `cron(<minute> * * * ? *)`. @default 'rate(1 hour)'
   */
  readonly schedule?: string;
  /** CloudWatch namespace the forecasts are published to. @default 'SelfHeal/PredictiveScaling' */
  readonly metricNamespace?: string;
  /** Retention of the forecaster's logs. @default 30 */
  readonly logRetentionDays?: number;
  /** Topic the forecaster's alarms notify. @default - the alarms notify no one */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Concurrent runs allowed. 1 keeps a slow run and the next scheduled one from writing the
   * same groups' scheduled actions at once. Needs 11+ unreserved concurrency in the account
   * (new accounts may have a limit of 10: pass `undefined` there).
   * @default 1
   */
  readonly reservedConcurrency?: number | undefined;
  /**
   * Scope the scheduled-action permissions by this tag on the `forecastAndScale` groups (every
   * one must carry it) instead of by their names, whose ARNs fit the role's managed-policy quota
   * only up to a few hundred groups (see ScheduledActionsPolicy).
   * @default - by the groups' names
   */
  readonly scaledGroupTag?: PredictiveScalingInput['scaledGroupTag'];
  /** @default 300 */
  readonly timeoutSec?: number;
  /** More memory is more CPU for the forecasts. @default 1024 */
  readonly memoryMiB?: number;
}

/**
 * Predictive scaling: an EventBridge schedule runs the forecaster Lambda, which reads each
 * target's load history, forecasts it, publishes the forecast to CloudWatch and, for targets in
 * `forecastAndScale` mode, writes scheduled actions raising the group's minimum ahead of the load.
 *
 * The props are validated with the app's zod schema (a bad value throws a `ConfigError` listing
 * every problem), and the validated configuration is bundled next to the handler as
 * `BUNDLED_CONFIG_FILE`; the handler finds it through `FORECASTER_ENV.configFile`.
 */
export class PredictiveScaler extends Construct {
  readonly forecaster: SelfhealFunction;
  /** Fires when a run failed one target or more (its `TargetsFailed` metric); notifies the alarm topic. */
  readonly targetsFailedAlarm: cloudwatch.Alarm;
  readonly schedule: events.Rule;
  /** The validated configuration bundled with the forecaster. */
  readonly config: AppConfig;
  /**
   * The `StackName` dimension of every forecast the forecaster publishes (beside `TargetId`): the
   * name of the stack it is in, so another stack in the account and Region never shares a forecast.
   */
  readonly forecastStackName: string;

  constructor(scope: Construct, id: string, props: PredictiveScalerProps) {
    super(scope, id);
    this.config = validate(this, props);
    const { predictiveScaling } = this.config;
    const { stackName } = Stack.of(this);
    this.forecastStackName = stackName;

    this.forecaster = new SelfhealFunction(this, 'Forecaster', {
      entry: FORECASTER_ENTRY,
      description: 'selfheal predictive scaler: forecasts load and raises Auto Scaling floors ahead of it',
      timeoutSec: props.timeoutSec ?? 300,
      memoryMiB: props.memoryMiB ?? 1024,
      logRetentionDays: this.config.logRetentionDays,
      reservedConcurrency: 'reservedConcurrency' in props ? props.reservedConcurrency : 1,
      // A run older than an hour has been superseded by the next scheduled one.
      maxEventAgeSec: 3600,
      alarmTopic: props.alarmTopic,
      // The stack's name in both keeps this stack's metrics apart from another stack's in the account.
      serviceName: serviceName(stackName, 'forecaster'),
      environment: {
        [FORECASTER_ENV.configFile]: BUNDLED_CONFIG_FILE,
        [FORECASTER_ENV.stackName]: stackName,
      },
      files: { [BUNDLED_CONFIG_FILE]: `${JSON.stringify(this.config, null, 2)}\n` },
    });
    this.forecaster.publishMetricsTo(FORECASTER_ENV.metricNamespace, predictiveScaling.metricNamespace);
    // A run that fails some targets but not all does not throw (the errors alarm stays quiet), yet
    // a target failing every hour never gets its group scaled. The schedule is hourly: one period
    // covers one run, and the next run without failures sets the alarm back to OK.
    this.targetsFailedAlarm = this.forecaster.addMetricAlarm('TargetsFailedAlarm', {
      metricName: FORECASTER_METRICS.targetsFailed,
      periodSec: 3600,
      description: `the last hourly run failed one target or more (${FORECASTER_METRICS.targetsFailed} >= 1 in namespace ${predictiveScaling.metricNamespace}): those targets were not forecast or their scheduled actions were not written, so their groups are not scaled ahead of load. In the function's log group, find the records with message "decision" at level ERROR: each names the target (decision.targetId) and the error (decision.error); the other targets ran.`,
    });

    const role = this.forecaster.role;
    new ReadMetricsPolicy(this, 'ReadMetricsPolicy', { role });
    new DescribeScalingPolicy(this, 'DescribeScalingPolicy', { role });
    const scaledGroups = predictiveScaling.targets
      .filter((t) => t.mode === 'forecastAndScale')
      .map((t) => t.autoScalingGroupName);
    if (scaledGroups.length > 0) {
      new ScheduledActionsPolicy(this, 'ScheduledActionsPolicy', {
        role,
        autoScalingGroupNames: scaledGroups,
        groupTag: predictiveScaling.scaledGroupTag,
      });
    }

    this.schedule = new events.Rule(this, 'Schedule', {
      description: `Runs the predictive scaler's forecaster (${predictiveScaling.schedule})`,
      schedule: events.Schedule.expression(predictiveScaling.schedule),
    });
    this.schedule.addTarget(
      new eventsTargets.LambdaFunction(this.forecaster.function, {
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.forecaster.deadLetterQueue,
      }),
    );
  }
}

function validate(scope: Construct, props: PredictiveScalerProps): AppConfig {
  const raw: AppConfigInput = {
    logRetentionDays: props.logRetentionDays,
    predictiveScaling: {
      schedule: props.schedule,
      metricNamespace: props.metricNamespace,
      targets: props.targets,
      scaledGroupTag: props.scaledGroupTag,
    },
  };
  return parseAppConfig(raw, `the props of ${scope.node.path}`);
}
