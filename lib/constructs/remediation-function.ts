import {
  Duration,
  type aws_dynamodb as dynamodb,
  type aws_events as events,
  aws_events_targets as eventsTargets,
  type aws_iam as iam,
  Stack,
  type aws_sns as sns,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DocumentPatterns } from '../config/document-patterns';
import { BUNDLED_CONFIG_FILE, BUNDLED_DOCUMENT_PATTERNS_FILE, REMEDIATION_ENV } from '../config/env-names';
import { REMEDIATION_METRIC_NAMESPACE } from '../config/metric-names';
import type { AppConfig } from '../config/schema';
import { RemediationEscalationPolicy } from '../iam/remediation-escalation-policy';
import { RemediationLedgerPolicy } from '../iam/remediation-ledger-policy';
import type { RemediationEscalationTopic } from './remediation-escalation-topic';
import { SelfhealFunction } from './selfheal-function';

/** Timeout of every remediation function; its handlers read it as `SELFHEAL_FUNCTION_TIMEOUT_SEC`. */
export const REMEDIATION_TIMEOUT_SEC = 60;

/** What every remediation function shares. */
export interface RemediationFunctionProps {
  /** Handler module (exports `handler`). */
  readonly entry: string;
  readonly description: string;
  /**
   * Powertools service name (`serviceName(<stackName>, …)`): the `POWERTOOLS_SERVICE_NAME` the
   * handler reads, and the `service` dimension of its metrics.
   */
  readonly serviceName: string;
  /** Age after which an unprocessed event goes to the dead-letter queue (function and rule target). */
  readonly maxEventAgeSec: number;
  /** The validated configuration bundled next to the handler. */
  readonly config: AppConfig;
  readonly ledger: dynamodb.ITable;
  readonly escalation: RemediationEscalationTopic;
  readonly automationRole: iam.IRole;
  /** Deployed name per shipped document key. */
  readonly documentNames: Readonly<Record<string, string>>;
  /** The shipped documents' parameter patterns, bundled next to the handler like the config. */
  readonly documentPatterns: DocumentPatterns;
  /** Topic the function's alarms notify. @default - none */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * A remediation Lambda through {@link SelfhealFunction}: the REMEDIATION_ENV environment, the
 * bundled config (as the predictive scaler does it) and document patterns, and the grants every
 * remediation function needs (ledger items; escalation to SNS and OpsCenter).
 */
export function remediationFunction(
  scope: Construct,
  id: string,
  props: RemediationFunctionProps,
): SelfhealFunction {
  const opsItemStackTag = Stack.of(scope).stackName;
  const fn = new SelfhealFunction(scope, id, {
    entry: props.entry,
    description: `selfheal remediation: ${props.description}`,
    timeoutSec: REMEDIATION_TIMEOUT_SEC,
    memoryMiB: 512,
    logRetentionDays: props.config.logRetentionDays,
    maxEventAgeSec: props.maxEventAgeSec,
    alarmTopic: props.alarmTopic,
    serviceName: props.serviceName,
    environment: {
      [REMEDIATION_ENV.configFile]: BUNDLED_CONFIG_FILE,
      [REMEDIATION_ENV.ledgerTable]: props.ledger.tableName,
      [REMEDIATION_ENV.escalationTopicArn]: props.escalation.topic.topicArn,
      [REMEDIATION_ENV.automationRoleArn]: props.automationRole.roleArn,
      [REMEDIATION_ENV.documentNames]: JSON.stringify(props.documentNames),
      [REMEDIATION_ENV.documentPatternsFile]: BUNDLED_DOCUMENT_PATTERNS_FILE,
      // The alarm handler's event claims outlive the function by a lease derived from this.
      [REMEDIATION_ENV.functionTimeoutSec]: String(REMEDIATION_TIMEOUT_SEC),
      // The tag on its OpsItems, the only ones its policy lets it read and update.
      [REMEDIATION_ENV.stackName]: opsItemStackTag,
    },
    // Files, not environment variables: the patterns, like the config, can outgrow Lambda's 4 KiB.
    files: {
      [BUNDLED_CONFIG_FILE]: `${JSON.stringify(props.config, null, 2)}\n`,
      [BUNDLED_DOCUMENT_PATTERNS_FILE]: `${JSON.stringify(props.documentPatterns, null, 2)}\n`,
    },
  });
  // Embedded metric format through the logs: no PutMetricData grant.
  fn.setMetricNamespace(REMEDIATION_METRIC_NAMESPACE);
  new RemediationLedgerPolicy(fn, 'LedgerPolicy', { role: fn.role, table: props.ledger });
  new RemediationEscalationPolicy(fn, 'EscalationPolicy', {
    role: fn.role,
    topic: props.escalation.topic,
    topicKey: props.escalation.key,
    opsItemStackTag,
  });
  return fn;
}

/** Sends the rule's events to the function: 2 retries, then its dead-letter queue. */
export function targetFunction(rule: events.Rule, fn: SelfhealFunction, maxEventAgeSec: number): void {
  rule.addTarget(
    new eventsTargets.LambdaFunction(fn.function, {
      retryAttempts: 2,
      maxEventAge: Duration.seconds(maxEventAgeSec),
      deadLetterQueue: fn.deadLetterQueue,
    }),
  );
}
