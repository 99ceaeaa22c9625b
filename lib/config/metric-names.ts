/**
 * The CloudWatch metrics the handlers emit (Powertools, in the embedded metric format) and the
 * alarms on them read: service names (Powertools adds each as the `service` dimension of every
 * metric), the remediation namespace and the metric names. Shared by the handlers, which emit,
 * and the constructs, which alarm, so the two cannot drift. Names only (and how a stack's service
 * names are made): no values, no other logic.
 *
 * CloudWatch identifies a metric by namespace, name and dimensions, per account and Region: two
 * stacks in one account and Region keep their metrics apart only by a dimension that names the
 * stack. So every service name starts with the stack name ({@link serviceName}), and every
 * forecast carries the stack name as a dimension ({@link FORECAST_DIMENSIONS}).
 */

/** The part of each function's Powertools service name after `<stackName>-`. */
const SERVICE_NAME_SUFFIXES = {
  forecaster: 'forecaster',
  remediationAlarm: 'remediation-alarm',
  remediationVerify: 'remediation-verify',
  remediationSweeper: 'remediation-sweeper',
} as const;

/**
 * Powertools service name of a stack's function, `<stackName>-<suffix>` (e.g.
 * `SelfHeal-remediation-alarm`): its `POWERTOOLS_SERVICE_NAME`, which the handler reads, the
 * `service` key of its logs and the `service` dimension of its metrics, which its alarms and the
 * dashboard read. The stack name keeps two stacks' metrics apart.
 */
export function serviceName(stackName: string, fn: keyof typeof SERVICE_NAME_SUFFIXES): string {
  return `${stackName}-${SERVICE_NAME_SUFFIXES[fn]}`;
}

/**
 * Namespace of the remediation functions' metrics (the forecaster's is
 * `predictiveScaling.metricNamespace`); each stack's are told apart by their `service` dimension.
 */
export const REMEDIATION_METRIC_NAMESPACE = 'SelfHeal/Remediation';

/** The forecaster's metrics: target counts, one datapoint each per run. */
export const FORECASTER_METRICS = {
  targetsSucceeded: 'TargetsSucceeded',
  /** Targets not forecast, or whose scheduled actions were not written (alarmed). */
  targetsFailed: 'TargetsFailed',
  targetsUntrusted: 'TargetsUntrusted',
} as const;

/**
 * The forecasts the forecaster publishes with PutMetricData to `predictiveScaling.metricNamespace`:
 * per target and forecast step, the load forecast and its upper bound, the capacity each needs
 * (`ceil(load / targetValue)`), and whether the run that made them trusted them (1) or its trust
 * gate refused them (0: that run planned no capacity on them), each with the dimensions
 * {@link FORECAST_DIMENSIONS}. The scaler core and its publisher
 * (lambdas/adapters/cloudwatch-publisher.ts) take them from here.
 */
export const FORECAST_METRICS = {
  load: 'LoadForecast',
  loadUpper: 'LoadForecastUpper',
  capacity: 'CapacityForecast',
  capacityUpper: 'CapacityForecastUpper',
  trusted: 'ForecastTrusted',
} as const;

/**
 * The dimensions of every forecast metric, all always present: the target's `id`, the name of the
 * stack whose forecaster published it, and the target's `periodSec` (as a decimal string).
 * Without the stack, two stacks in one account and Region that share the namespace and a target id
 * would write one series: each would graph the other's points, and each run's read-back would take
 * the other's points for its own and skip them. Without the period, a target whose `periodSec`
 * changed would write its new forecasts into the old series: CloudWatch combines every datapoint
 * within a period, so the hourly read-back after 300 → 3600 would take the hours holding 5-minute
 * forecasts for published (and never send their hourly ones), and the dashboard would average the
 * two scales. With it, a changed period starts a new series.
 */
export const FORECAST_DIMENSIONS = {
  targetId: 'TargetId',
  stackName: 'StackName',
  periodSec: 'PeriodSec',
} as const;

/**
 * The remediation functions' metrics: one count per event outcome, the sweeper's counts, the
 * unreadable ledger items an invocation met, and the OpsItems CreateOpsItem refused.
 */
export const REMEDIATION_METRICS = {
  started: 'RemediationsStarted',
  dryRun: 'RemediationsDryRun',
  observed: 'RemediationsObserved',
  escalated: 'RemediationsEscalated',
  skipped: 'RemediationsSkipped',
  duplicate: 'EventsDuplicate',
  startFailed: 'RemediationsStartFailed',
  /** Starts with no certain answer from SSM, kept `started` with their holds to be resumed. */
  startUncertain: 'RemediationsStartUncertain',
  resolved: 'RemediationsResolved',
  verifying: 'RemediationsVerifying',
  verificationFailed: 'VerificationsFailed',
  ignored: 'EventsIgnored',
  /** Automations started with no remediation tracking them (a lost start race; escalated). */
  untrackedExecution: 'UntrackedExecutions',
  /**
   * Distinct ledger items that are not records an invocation went on without (a lock or slot
   * holder counted as holding, an item left out of escalation evidence, an item a sweep step left
   * out): a bug or a hand edit to fix (alarmed).
   */
  unreadableLedgerItems: 'UnreadableLedgerItems',
  /** Events of a handled kind that did not parse: nothing was done or told (alarmed). */
  rejected: 'RemediationsRejected',
  timeToRecover: 'TimeToRecover',
  slotsReclaimed: 'SlotsReclaimed',
  /** Escalations the sweeper re-sent because their sender died before SNS took them (alarmed). */
  escalationsResent: 'EscalationsResent',
  /**
   * CreateOpsItem calls that failed, an escalation's first and each of the sweeper's retries: an
   * escalation whose SNS message went without its OpsItem (alarmed).
   */
  opsItemsFailed: 'OpsItemsFailed',
} as const;
