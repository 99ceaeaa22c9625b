/**
 * What every remediation handler builds once per module (cold start): the validated
 * environment and configuration, SDK clients, adapters, the engine's ports, and the Powertools
 * logger and metrics with one record per event.
 */
import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { parseDocumentPatterns } from '../../lib/config/document-patterns';
import { REMEDIATION_METRICS as M } from '../../lib/config/metric-names';
import { OPS_ITEM_STACK_TAG_KEY } from '../../lib/config/ops-item-tag';
import { parseAppConfig } from '../../lib/config/parse';
import { CloudWatchAlarmState } from '../adapters/alarm-state';
import { AutoScalingMembership } from '../adapters/asg-membership';
import { DynamoDbLedger, ledgerDocumentClient } from '../adapters/dynamodb-ledger';
import { OpsCenterItems } from '../adapters/ops-center';
import { SnsEscalator } from '../adapters/sns-escalation';
import { SsmAutomation } from '../adapters/ssm-automation';
import type { EngineDeps } from '../core/remediation/engine-ports';
import {
  distinctUnreadable,
  type EngineOutcome,
  type EngineResult,
  opsItemCallsFailedIn,
} from '../core/remediation/engine-result';
import type { UnreadableItem } from '../core/remediation/escalation';
import { EscalationNotDeliveredError } from '../core/remediation/escalation-send';
import { claimLeaseSec } from '../core/remediation/event-claim';
import type { EventRejection } from '../core/remediation/events';
import { InvocationDeadline } from '../runtime/invocation-deadline';
import { sdkClientConfig } from '../runtime/sdk-client-config';
import { loadRemediationEnv } from './env';

/** Share of the function timeout kept to log and emit an event's record after a call timed out. */
const RECORD_RESERVE = 0.1;
/**
 * The longest one attempt of a remediation function's AWS call waits (DynamoDB, SSM, SNS,
 * CloudWatch and Auto Scaling control-plane calls answer in well under a second): a call that gets
 * no answer fails after at most 3 attempts × 5 s and the backoff, several times within 60 s.
 */
const REMEDIATION_MAX_ATTEMPT_MS = 5000;

/** A handler's module-level state. */
export interface RemediationRuntime {
  readonly deps: EngineDeps;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /**
   * Starts an invocation with `remainingMs` left (`context.getRemainingTimeInMillis()`): from
   * then on every AWS call gives up ({@link InvocationDeadline}) a reserve of the function timeout
   * before Lambda's deadline, so the handler still logs its error, and Lambda retries the event.
   */
  beginInvocation(remainingMs: number): void;
  /**
   * Logs the event's decision record and emits its metrics (published at once), `OpsItemsFailed`
   * the OpsItem calls its escalation made that failed; when it names unreadable ledger items,
   * reports them ({@link reportUnreadable}) unless the options say otherwise.
   */
  record(result: EngineResult, options?: RecordOptions): void;
  /**
   * For an invocation that fails: when `error` is an escalation SNS did not take
   * (`EscalationNotDeliveredError`) whose OpsItem calls failed too, counts them in
   * `OpsItemsFailed` (published at once), as {@link record} would have.
   */
  recordFailure(error: unknown): void;
  /**
   * Logs each of `items` once (by key) at ERROR as `ledger item unreadable` with its key, problem
   * and `eventId`, and adds `UnreadableLedgerItems`, their count (0 too), to the metrics to
   * publish. Such an item is a bug or a hand edit the engine went on without, so it fails no
   * function: the metric's alarm is what tells a human.
   */
  reportUnreadable(items: readonly UnreadableItem[], eventId: string): void;
}

/** Options of {@link RemediationRuntime.record}. */
export interface RecordOptions {
  /**
   * The caller reports the result's unreadable ledger items itself, once for all its results (the
   * sweeper: several of its records may meet the same item). @default false
   */
  readonly unreadableReportedApart?: boolean;
  /**
   * The caller counts the CreateOpsItem calls that failed itself (the sweeper: its re-sends and
   * OpsItem retries are not among the results it records). @default false
   */
  readonly opsItemsFailedReportedApart?: boolean;
}

const METRIC: Readonly<Record<EngineOutcome, readonly string[]>> = {
  started: [M.started],
  dryRun: [M.dryRun],
  observed: [M.observed],
  escalated: [M.escalated],
  skipped: [M.skipped],
  duplicate: [M.duplicate],
  startFailed: [M.startFailed, M.escalated],
  startUncertain: [M.startUncertain],
  resolved: [M.resolved],
  verifying: [M.verifying],
  verificationFailed: [M.verificationFailed, M.escalated],
  untrackedExecution: [M.untrackedExecution, M.escalated],
  ignored: [M.ignored],
  rejected: [M.rejected],
};

/**
 * Level of each outcome's decision record: WARN when people were told or nothing was done, ERROR
 * for an automation that runs with nothing tracking it (a human must find and judge it).
 */
const LEVEL: Readonly<Record<EngineOutcome, 'info' | 'warn' | 'error'>> = {
  started: 'info',
  dryRun: 'info',
  observed: 'info',
  escalated: 'warn',
  skipped: 'info',
  duplicate: 'info',
  startFailed: 'warn',
  startUncertain: 'warn',
  resolved: 'info',
  verifying: 'info',
  verificationFailed: 'warn',
  untrackedExecution: 'error',
  ignored: 'info',
  rejected: 'warn',
};

/**
 * Builds everything once; the environment's `POWERTOOLS_SERVICE_NAME` (which carries the stack's
 * name) names the function in logs and metrics.
 */
export function remediationRuntime(): RemediationRuntime {
  const env = loadRemediationEnv(process.env);
  const config = parseAppConfig(JSON.parse(readFileSync(env.configPath, 'utf8')), env.configPath).remediation;
  const documentPatterns = parseDocumentPatterns(
    JSON.parse(readFileSync(env.documentPatternsPath, 'utf8')),
    env.documentPatternsPath,
  );
  const logger = new Logger({ serviceName: env.serviceName });
  const metrics = new Metrics({ namespace: env.metricNamespace, serviceName: env.serviceName });
  const reserveMs = env.functionTimeoutSec * 1000 * RECORD_RESERVE;
  const clients = sdkClientConfig({
    maxAttempts: env.sdkMaxAttempts,
    // Every call, retries included, ends with time left to record the event before Lambda's timeout.
    callBudgetMs: env.functionTimeoutSec * 1000 - reserveMs,
    maxAttemptMs: REMEDIATION_MAX_ATTEMPT_MS,
  });
  // Several calls that get no answer, one after the other, end at the invocation's deadline.
  const deadline = new InvocationDeadline(reserveMs);
  const ssm = new SSMClient(clients);
  const dynamodb = new DynamoDBClient(clients);
  const cloudwatch = new CloudWatchClient(clients);
  const autoscaling = new AutoScalingClient(clients);
  const sns = new SNSClient(clients);
  deadline.guard(ssm);
  deadline.guard(dynamodb);
  deadline.guard(cloudwatch);
  deadline.guard(autoscaling);
  deadline.guard(sns);
  const clock = { nowSec: () => Math.floor(Date.now() / 1000) };
  const deps: EngineDeps = {
    ledger: new DynamoDbLedger({
      client: ledgerDocumentClient(dynamodb),
      tableName: env.ledgerTable,
      clock,
      retentionDays: config.ledgerRetentionDays,
    }),
    automation: new SsmAutomation(ssm),
    alarms: new CloudWatchAlarmState(cloudwatch),
    groups: new AutoScalingMembership(autoscaling),
    escalator: new SnsEscalator(
      sns,
      env.escalationTopicArn,
      new OpsCenterItems(ssm, { key: OPS_ITEM_STACK_TAG_KEY, value: env.stackName }),
    ),
    clock,
    config,
    engine: {
      home: env.home,
      automationRoleArn: env.automationRoleArn,
      documentNames: env.documentNames,
      documentPatterns,
    },
    eventClaimLeaseSec: claimLeaseSec(env.functionTimeoutSec),
  };
  const reportUnreadable = (items: readonly UnreadableItem[], eventId: string) => {
    // One line per item, with the key to find it.
    const distinct = distinctUnreadable(items);
    for (const { key, problem } of distinct)
      logger.error('ledger item unreadable', { key, problem, eventId });
    metrics.addMetric(M.unreadableLedgerItems, MetricUnit.Count, distinct.length);
  };
  const record = (result: EngineResult, options: RecordOptions = {}) => {
    logger[LEVEL[result.outcome]]('decision', { decision: result });
    const unreadable = result.unreadableLedgerItems ?? [];
    if (unreadable.length > 0 && options.unreadableReportedApart !== true) {
      reportUnreadable(unreadable, result.eventId);
    }
    for (const name of METRIC[result.outcome]) metrics.addMetric(name, MetricUnit.Count, 1);
    const opsItemsFailed = opsItemCallsFailedIn(result);
    if (opsItemsFailed > 0 && options.opsItemsFailedReportedApart !== true) {
      metrics.addMetric(M.opsItemsFailed, MetricUnit.Count, opsItemsFailed);
    }
    if (result.timeToRecoverSec !== undefined) {
      metrics.addMetric(M.timeToRecover, MetricUnit.Seconds, result.timeToRecoverSec);
    }
    metrics.publishStoredMetrics();
  };
  const recordFailure = (error: unknown) => {
    if (!(error instanceof EscalationNotDeliveredError) || error.opsItemCallsFailed === 0) return;
    metrics.addMetric(M.opsItemsFailed, MetricUnit.Count, error.opsItemCallsFailed);
    metrics.publishStoredMetrics();
  };
  const beginInvocation = (remainingMs: number) => deadline.begin(remainingMs);
  return { deps, logger, metrics, beginInvocation, record, recordFailure, reportUnreadable };
}

/** The record of an event {@link parseEvent} refused: `invalid` is rejected, `otherKind` ignored. */
export function refused(rejection: EventRejection, raw: unknown): EngineResult {
  return {
    eventId: eventIdOf(raw),
    outcome: rejection.reason === 'invalid' ? 'rejected' : 'ignored',
    reason: rejection.message,
  };
}

/** The raw event's id when it has one, for records of events that did not parse. */
export function eventIdOf(raw: unknown): string {
  if (raw !== null && typeof raw === 'object' && 'id' in raw && typeof raw.id === 'string') return raw.id;
  return '(no id)';
}
