import {
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as cwActions,
  Duration,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_lambda_nodejs as nodejs,
  type aws_sns as sns,
  aws_sqs as sqs,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LOG_RETENTION_DAYS } from '../config/schema';
import { PutMetricDataPolicy } from '../iam/put-metric-data-policy';
import { LOCK_FILE, PROJECT_ROOT } from '../project-paths';
import { bundledFiles } from './bundled-files';

/** Props of {@link SelfhealFunction}. */
export interface SelfhealFunctionProps {
  /** Absolute path of the TypeScript handler module; it must export `handler`. */
  readonly entry: string;
  /** @default - no description */
  readonly description?: string;
  /** @default 60 */
  readonly timeoutSec?: number;
  /** @default 512 */
  readonly memoryMiB?: number;
  /** One of the retention values CloudWatch Logs accepts. @default 30 */
  readonly logRetentionDays?: number;
  /** @default - no reserved concurrency (the function uses the account's unreserved pool) */
  readonly reservedConcurrency?: number;
  /** Retries of a failed asynchronous invocation before it goes to the dead-letter queue. @default 2 */
  readonly asyncRetryAttempts?: number;
  /** Age after which an unprocessed asynchronous event goes to the dead-letter queue. @default 21600 (6 h) */
  readonly maxEventAgeSec?: number;
  /** Topic the function's alarms (errors, dead letters, metric alarms) notify. @default - the alarms notify no one */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Powertools service name: `POWERTOOLS_SERVICE_NAME`, and the `service` dimension of the
   * function's metrics, which {@link SelfhealFunction.addMetricAlarm} alarms on; the handler must
   * use the same name. @default - the construct id
   */
  readonly serviceName?: string;
  /** Environment variables. @default - only the Powertools service name and source-map support */
  readonly environment?: Readonly<Record<string, string>>;
  /** Files (name → content) shipped next to the handler; see `bundledFiles`. @default - none */
  readonly files?: Readonly<Record<string, string>>;
}

/** Props of {@link SelfhealFunction.addMetricAlarm}. */
export interface MetricAlarmProps {
  /** Name of a Count metric the handler emits through Powertools Metrics. */
  readonly metricName: string;
  /** What the alarm means and where to look; prefixed with the function's construct path. */
  readonly description: string;
  /** The alarm fires when the metric's sum over one period is 1 or more. @default 300 */
  readonly periodSec?: number;
}

/** Props of {@link SelfhealFunction.metric}. */
export interface FunctionMetricProps {
  /** CloudWatch statistic, e.g. `Sum` for counts or `p90` for durations. */
  readonly statistic: string;
  readonly periodSec: number;
  /** Legend label. @default - CloudWatch's own (the metric name) */
  readonly label?: string;
}

/**
 * The one Lambda function construct: fixes every default. Node.js 24 on ARM64, bundled with the
 * local esbuild (never Docker) as minified ESM with the AWS SDK inside and external source maps,
 * its own role (no managed policies), an explicit log group with retention, JSON logs, X-Ray
 * tracing, an encrypted SSL-only dead-letter queue for failed asynchronous invocations, and
 * alarms on errors and on dead-lettered events.
 */
export class SelfhealFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterQueue: sqs.Queue;
  readonly errorsAlarm: cloudwatch.Alarm;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Powertools service name: the `service` dimension of the function's metrics. */
  readonly serviceName: string;
  private readonly alarmAction: cwActions.SnsAction | undefined;
  private metricNamespace: string | undefined;
  private metricsPolicy: PutMetricDataPolicy | undefined;

  constructor(scope: Construct, id: string, props: SelfhealFunctionProps) {
    super(scope, id);
    this.serviceName = props.serviceName ?? id;
    this.alarmAction = props.alarmTopic === undefined ? undefined : new cwActions.SnsAction(props.alarmTopic);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: toRetentionDays(props.logRetentionDays ?? 30, this.node.path),
    });
    this.logGroup.grantWrite(this.role);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const files = bundledFiles(this, props.files ?? {});
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(props.timeoutSec ?? 60),
      memorySize: props.memoryMiB ?? 512,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrency,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: props.asyncRetryAttempts ?? 2,
      maxEventAge: Duration.seconds(props.maxEventAgeSec ?? 21_600),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: this.serviceName,
      },
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LOCK_FILE,
      bundling: {
        forceDockerBundling: false,
        format: nodejs.OutputFormat.ESM,
        // Runs on Lambda's Node.js 24, and the same bundle still loads on the Node.js 20 we test with.
        target: 'node20',
        mainFields: ['module', 'main'],
        // CommonJS dependencies bundled into ESM still call require(); give them one.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        externalModules: [],
        bundleAwsSDK: true,
        commandHooks: files.commandHooks,
        environment: files.environment,
      },
    });
    // X-Ray's PutTraceSegments/PutTelemetryRecords land in the role's default policy.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions; every other statement of this role names its resources or conditions.',
    });
    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `${this.node.path}: the function failed (an invocation threw or timed out)`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: `${this.node.path}: events exhausted their retries and wait in the dead-letter queue`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.notify(this.errorsAlarm);
    this.notify(this.deadLetterAlarm);
  }

  /** Sets an environment variable of the function. */
  addEnvironment(name: string, value: string): this {
    this.function.addEnvironment(name, value);
    return this;
  }

  /**
   * Lets the function publish metrics to one CloudWatch namespace: sets `envName` (and
   * Powertools' `POWERTOOLS_METRICS_NAMESPACE`) to the namespace and grants
   * `cloudwatch:PutMetricData` limited to it, together, so neither exists without the other.
   */
  publishMetricsTo(envName: string, namespace: string): this {
    if (this.metricsPolicy !== undefined) {
      throw new Error(
        `${this.node.path}: publishMetricsTo was already called; a function publishes to one namespace`,
      );
    }
    this.addEnvironment(envName, namespace);
    this.setMetricNamespace(namespace);
    this.metricsPolicy = new PutMetricDataPolicy(this, 'PutMetricDataPolicy', { role: this.role, namespace });
    return this;
  }

  /**
   * Sets Powertools' `POWERTOOLS_METRICS_NAMESPACE`, the namespace of the function's embedded
   * metric format output (written to its logs: no PutMetricData needed), which
   * {@link addMetricAlarm} alarms on. {@link publishMetricsTo} calls it.
   */
  setMetricNamespace(namespace: string): this {
    if (this.metricNamespace !== undefined) {
      throw new Error(
        `${this.node.path}: the metric namespace is already ${this.metricNamespace}; a function emits to one namespace`,
      );
    }
    this.metricNamespace = namespace;
    return this.addEnvironment('POWERTOOLS_METRICS_NAMESPACE', namespace);
  }

  /**
   * An alarm on a Count metric the handler emits through Powertools: namespace from
   * {@link setMetricNamespace}, dimension `service` = {@link serviceName} (the only one Powertools
   * adds without default dimensions), sum over `periodSec` of 1 or more, missing data not
   * breaching; it notifies the alarm topic on ALARM and OK, like the errors alarm.
   */
  addMetricAlarm(id: string, props: MetricAlarmProps): cloudwatch.Alarm {
    if (this.metricNamespace === undefined) {
      throw new Error(
        `${this.node.path}: call setMetricNamespace (or publishMetricsTo) before addMetricAlarm(${id})`,
      );
    }
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: `${this.node.path}: ${props.description}`,
      metric: this.metric(props.metricName, { statistic: 'Sum', periodSec: props.periodSec ?? 300 }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.notify(alarm);
    return alarm;
  }

  /**
   * A metric the handler emits through Powertools, as CloudWatch stores it: namespace from
   * {@link setMetricNamespace}, dimension `service` = {@link serviceName}. {@link addMetricAlarm}
   * alarms on it and the dashboard graphs it, so both read exactly what the handler writes.
   */
  metric(metricName: string, props: FunctionMetricProps): cloudwatch.Metric {
    if (this.metricNamespace === undefined) {
      throw new Error(
        `${this.node.path}: call setMetricNamespace (or publishMetricsTo) before metric(${metricName})`,
      );
    }
    return new cloudwatch.Metric({
      namespace: this.metricNamespace,
      metricName,
      dimensionsMap: { service: this.serviceName },
      statistic: props.statistic,
      period: Duration.seconds(props.periodSec),
      ...(props.label === undefined ? {} : { label: props.label }),
    });
  }

  private notify(alarm: cloudwatch.Alarm): void {
    if (this.alarmAction === undefined) return;
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
  }
}

function toRetentionDays(days: number, path: string): logs.RetentionDays {
  const found = Object.values(logs.RetentionDays).find(
    (value) => value === days && (LOG_RETENTION_DAYS as readonly number[]).includes(value),
  );
  if (typeof found !== 'number') {
    throw new Error(
      `${path}: logRetentionDays ${days} is not a CloudWatch Logs retention value; use one of ${LOG_RETENTION_DAYS.join(', ')}`,
    );
  }
  return found;
}
