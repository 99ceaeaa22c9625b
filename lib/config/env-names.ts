/**
 * Environment variable names shared by the CDK constructs (which set them) and the Lambda
 * handlers (which read them, once, through a zod schema). Names only: no values, no logic.
 */
export const FORECASTER_ENV = {
  /** Path, relative to the function's code root, of the validated JSON config bundled with it. */
  configFile: 'SELFHEAL_CONFIG_FILE',
  /** CloudWatch namespace for published forecasts (PutMetricData is limited to it). */
  metricNamespace: 'SELFHEAL_METRIC_NAMESPACE',
  /**
   * Name of the stack the forecaster belongs to: the `StackName` dimension of every forecast it
   * publishes and reads back, so two stacks in one account and Region never share a forecast.
   */
  stackName: 'SELFHEAL_STACK_NAME',
} as const;

/** File name of the configuration bundled next to each handler. */
export const BUNDLED_CONFIG_FILE = 'selfheal-config.json';

/** File name of the shipped documents' parameter patterns bundled next to each remediation handler. */
export const BUNDLED_DOCUMENT_PATTERNS_FILE = 'selfheal-document-patterns.json';

/** Environment of the remediation functions (alarm handler, verification handler, deadline sweeper). */
export const REMEDIATION_ENV = {
  /** Path, relative to the code root, of the validated JSON config bundled next to the handler. */
  configFile: 'SELFHEAL_CONFIG_FILE',
  /** DynamoDB ledger table name. */
  ledgerTable: 'SELFHEAL_LEDGER_TABLE',
  /** SNS escalation topic ARN. */
  escalationTopicArn: 'SELFHEAL_ESCALATION_TOPIC_ARN',
  /** Role SSM Automation assumes (passed as AutomationAssumeRole). */
  automationRoleArn: 'SELFHEAL_AUTOMATION_ROLE_ARN',
  /** JSON object mapping each shipped document key (e.g. cleanup-directory) to its deployed name. */
  documentNames: 'SELFHEAL_DOCUMENT_NAMES',
  /**
   * Path, relative to the code root, of the bundled JSON of each shipped document's parameter
   * patterns (`DocumentPatterns`): the engine checks resolved parameters against them before a start.
   */
  documentPatternsFile: 'SELFHEAL_DOCUMENT_PATTERNS_FILE',
  /**
   * The function's configured timeout in seconds: the alarm handler derives the lease of its event
   * claims from it (a claim older than the lease belongs to an attempt Lambda has killed).
   */
  functionTimeoutSec: 'SELFHEAL_FUNCTION_TIMEOUT_SEC',
  /**
   * Name of the stack the function belongs to: the value of the `selfheal:stack` tag on every
   * OpsItem it creates (lib/config/ops-item-tag), which its policy lets it read and update only.
   */
  stackName: 'SELFHEAL_STACK_NAME',
} as const;
