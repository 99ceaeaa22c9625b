import {
  CfnOutput,
  Duration,
  aws_dynamodb as dynamodb,
  aws_events as events,
  RemovalPolicy,
  Stack,
  type aws_sns as sns,
  Token,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { serviceName } from '../config/metric-names';
import { parseAppConfig } from '../config/parse';
import type { AppConfig, AppConfigInput } from '../config/schema';
import { RemediationAutomationPolicy } from '../iam/remediation-automation-policy';
import { RemediationAutomationRole } from '../iam/remediation-automation-role';
import { RemediationDocumentVersionsPolicy } from '../iam/remediation-document-versions-policy';
import { RemediationReadExecutionsPolicy } from '../iam/remediation-read-executions-policy';
import { RemediationReadStatePolicy } from '../iam/remediation-read-state-policy';
import { RemediationStartAutomationPolicy } from '../iam/remediation-start-automation-policy';
import {
  REMEDIATION_ALARM_ENTRY,
  REMEDIATION_SWEEPER_ENTRY,
  REMEDIATION_VERIFY_ENTRY,
} from '../project-paths';
import { documentPatternsOf } from '../ssm-documents/shipped-documents';
import { type RemediationMetricAlarms, remediationMetricAlarms } from './remediation-alarms';
import { RemediationDocuments } from './remediation-documents';
import { RemediationEscalationTopic } from './remediation-escalation-topic';
import {
  alarmStatePattern,
  assertPatternFits,
  automationStatusPattern,
  eventPatternMaxChars,
} from './remediation-event-patterns';
import { remediationFunction, targetFunction } from './remediation-function';
import { enforcedDocuments } from './remediation-rules';
import type { SelfhealFunction } from './selfheal-function';

type RemediationInput = NonNullable<AppConfigInput['remediation']>;

/** An alarm event older than an hour describes a past incident: the next state change supersedes it. */
const ALARM_EVENT_AGE_SEC = 3600;
/** Outcomes stay worth recording for the whole async retry window. */
const VERIFY_EVENT_AGE_SEC = 21_600;
/** A missed sweep is superseded by the next one a minute later. */
const SWEEP_EVENT_AGE_SEC = 120;

/** Props of {@link RemediationEngine}: the `remediation` section of the config, flat, plus wiring. */
export interface RemediationEngineProps {
  /** The remediation rules (see the README's configuration reference); at least one. */
  readonly rules: NonNullable<RemediationInput['rules']>;
  /** Global cap on remediations in progress at once. @default 5 */
  readonly maxConcurrentRemediations?: number;
  /** Directories the cleanup document may touch. @default ['/var/log/'] */
  readonly cleanupAllowedPathPrefixes?: string[];
  /** Address subscribed to the escalation topic. @default - no subscription */
  readonly escalationEmail?: string;
  /** How long ledger records are kept (DynamoDB TTL on `expiresAt`). @default 90 */
  readonly ledgerRetentionDays?: number;
  /** Retention of the functions' logs. @default 30 */
  readonly logRetentionDays?: number;
  /** Topic the functions' alarms (errors, dead letters, metric alarms) notify. @default - the alarms notify no one */
  readonly alarmTopic?: sns.ITopic;
  /** Prefix of the shipped documents' names. @default - the stack name */
  readonly documentNamePrefix?: string;
  /**
   * Longest event pattern the account's EventBridge accepts, in characters: raise it (at most
   * 4096) only after raising the "Event pattern size" quota. @default 2048
   */
  readonly eventPatternMaxChars?: number;
  /** Alarm handler module (exports `handler`). @default lambdas/remediation-alarm/handler.ts */
  readonly alarmHandlerEntry?: string;
  /** Verification handler module. @default lambdas/remediation-verify/handler.ts */
  readonly verifyHandlerEntry?: string;
  /** Deadline sweeper module. @default lambdas/remediation-sweeper/handler.ts */
  readonly sweeperHandlerEntry?: string;
}

/**
 * Reactive remediation: alarm state changes go to the alarm handler, which applies the
 * guardrails against the DynamoDB ledger and starts the rule's SSM Automation document with the
 * automation role; the execution's terminal status and the alarm's return to OK go to the
 * verification handler; a sweeper escalates remediations past their deadline, every minute.
 * Escalations go to an encrypted SNS topic and to OpsCenter.
 *
 * Least privilege follows the configuration: only documents of rules in `enforce` mode may be
 * started, and the automation role may do only what those documents do.
 */
export class RemediationEngine extends Construct {
  readonly config: AppConfig;
  readonly ledger: dynamodb.Table;
  readonly escalation: RemediationEscalationTopic;
  readonly documents: RemediationDocuments;
  readonly automationRole: RemediationAutomationRole;
  readonly alarmHandler: SelfhealFunction;
  readonly verifyHandler: SelfhealFunction;
  readonly sweeper: SelfhealFunction;
  /** Alarms on the failures the functions record without throwing; they notify the alarm topic. */
  readonly metricAlarms: RemediationMetricAlarms;

  constructor(scope: Construct, id: string, props: RemediationEngineProps) {
    super(scope, id);
    this.config = validate(this, props);
    const { remediation } = this.config;
    if (remediation.rules.length === 0) {
      throw new Error(
        `${this.node.path}: no remediation rules; add rules, or leave the engine out of the stack`,
      );
    }
    this.documents = new RemediationDocuments(this, 'Documents', {
      namePrefix: props.documentNamePrefix ?? Stack.of(this).stackName,
      cleanupAllowedPathPrefixes: remediation.cleanupAllowedPathPrefixes,
    });
    const enforced = enforcedDocuments(remediation.rules, this.documents.rendered);

    this.ledger = new dynamodb.Table(this, 'Ledger', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // `selfheal history --table <this>` reads the ledger; the output saves a console search.
    new CfnOutput(this, 'LedgerTableName', {
      value: this.ledger.tableName,
      description: 'Remediation ledger table: selfheal history --table <value>',
    });
    this.escalation = new RemediationEscalationTopic(this, 'Escalation', {
      email: remediation.escalationEmail,
    });
    this.automationRole = new RemediationAutomationRole(this, 'AutomationRole');
    if (enforced.shipped.length + enforced.aws.length > 0) {
      new RemediationAutomationPolicy(this, 'AutomationPolicy', { role: this.automationRole, ...enforced });
    }

    // The stack's name in each function's service name keeps its metrics, which its alarms and the
    // dashboard read, apart from those of another stack in the account and Region.
    const { stackName } = Stack.of(this);
    const common = {
      config: this.config,
      ledger: this.ledger,
      escalation: this.escalation,
      automationRole: this.automationRole,
      documentNames: this.documents.names,
      // The patterns the synth checked the rules' literal parameters against: the engine checks
      // the values it resolves from each alarm against the same ones before starting.
      documentPatterns: documentPatternsOf(this.documents.rendered),
      alarmTopic: props.alarmTopic,
    };
    this.alarmHandler = remediationFunction(this, 'AlarmHandler', {
      ...common,
      entry: props.alarmHandlerEntry ?? REMEDIATION_ALARM_ENTRY,
      serviceName: serviceName(stackName, 'remediationAlarm'),
      description: "alarms to ALARM: guardrails, then start the rule's SSM document",
      maxEventAgeSec: ALARM_EVENT_AGE_SEC,
    });
    this.verifyHandler = remediationFunction(this, 'VerifyHandler', {
      ...common,
      entry: props.verifyHandlerEntry ?? REMEDIATION_VERIFY_ENTRY,
      serviceName: serviceName(stackName, 'remediationVerify'),
      description: 'automation status changes and alarms back to OK: resolve or escalate',
      maxEventAgeSec: VERIFY_EVENT_AGE_SEC,
    });
    this.sweeper = remediationFunction(this, 'Sweeper', {
      ...common,
      entry: props.sweeperHandlerEntry ?? REMEDIATION_SWEEPER_ENTRY,
      serviceName: serviceName(stackName, 'remediationSweeper'),
      description: 'every minute: escalate overdue remediations, start blocked ones once unblocked',
      maxEventAgeSec: SWEEP_EVENT_AGE_SEC,
    });
    this.metricAlarms = remediationMetricAlarms(this);

    const ownDocumentNames = enforced.shipped.map((key) => this.documents.names[key]);
    const startable = [...ownDocumentNames, ...enforced.aws];
    if (startable.length > 0) {
      const start = new RemediationStartAutomationPolicy(this, 'StartAutomationPolicy', {
        role: this.alarmHandler.role,
        automationRole: this.automationRole,
        ownDocumentNames,
        awsDocumentNames: enforced.aws,
      });
      // The sweeper starts blocked remediations once their blocker is gone.
      start.attachToRole(this.sweeper.role);
      // Both resume starts, and read a document's versions when SSM refuses a resumed request.
      const versions = new RemediationDocumentVersionsPolicy(this, 'DocumentVersionsPolicy', {
        role: this.alarmHandler.role,
        ownDocumentNames,
        awsDocumentNames: enforced.aws,
      });
      versions.attachToRole(this.sweeper.role);
      // Each reads the executions: the starters their status, and every function that escalates a
      // failed automation or verification (the verification handler most of all) the execution
      // its evidence summarises.
      const executions = new RemediationReadExecutionsPolicy(this, 'ReadExecutionsPolicy', {
        role: this.alarmHandler.role,
      });
      executions.attachToRole(this.verifyHandler.role);
      executions.attachToRole(this.sweeper.role);
    }
    const read = (
      policyId: string,
      fn: SelfhealFunction,
      what: { alarms?: boolean; autoScaling?: boolean },
    ) => new RemediationReadStatePolicy(this, policyId, { role: fn.role, ...what });
    // The alarm handler reads alarm states only for enforced rules: a start that finds its
    // automation already ended settles it as the status event would (a success reads the alarm to
    // see whether it recovered), and a resumed start checks the alarm is still in ALARM first
    // (lambdas/core/remediation/start-recheck.ts, after the rule's mode).
    read('AlarmHandlerReadPolicy', this.alarmHandler, { autoScaling: true, alarms: startable.length > 0 });
    read('VerifyHandlerReadPolicy', this.verifyHandler, { alarms: true });
    read('SweeperReadPolicy', this.sweeper, { alarms: true, autoScaling: true });

    const matches = remediation.rules.map((r) => r.match);
    // The handlers act on this account's and Region's alarms only (lambdas/core/remediation/alarm-identity.ts).
    const home = { account: Stack.of(this).account, region: Stack.of(this).region };
    const maxChars = eventPatternMaxChars(this.node.path, props.eventPatternMaxChars);
    // Measured as EventBridge receives it: an environment-agnostic stack's account and Region are
    // tokens at synth, counted at their longest deployed lengths instead of as token text.
    const measured = deployedHome(home);
    const route = (
      ruleId: string,
      description: string,
      pattern: (h: typeof home) => events.EventPattern,
      fn: SelfhealFunction,
      ageSec: number,
    ) => {
      assertPatternFits(`${this.node.path}/${ruleId}`, pattern(measured), maxChars);
      targetFunction(new events.Rule(this, ruleId, { description, eventPattern: pattern(home) }), fn, ageSec);
    };
    route(
      'AlarmRule',
      'Alarms the remediation rules match, to ALARM',
      (h) => alarmStatePattern(matches, 'ALARM', h),
      this.alarmHandler,
      ALARM_EVENT_AGE_SEC,
    );
    route(
      'AlarmOkRule',
      'Alarms the remediation rules match, back to OK',
      (h) => alarmStatePattern(matches, 'OK', h),
      this.verifyHandler,
      VERIFY_EVENT_AGE_SEC,
    );
    // Only rules that count INSUFFICIENT_DATA as recovered need its events; the sweeper's
    // DescribeAlarms would find it too, but only at the deadline, holding the slots until then.
    const acceptInsufficient = remediation.rules
      .filter((r) => r.verificationRecoveredStates.includes('INSUFFICIENT_DATA'))
      .map((r) => r.match);
    if (acceptInsufficient.length > 0) {
      route(
        'AlarmInsufficientDataRule',
        'Alarms of rules that count INSUFFICIENT_DATA as recovered, to INSUFFICIENT_DATA',
        (h) => alarmStatePattern(acceptInsufficient, 'INSUFFICIENT_DATA', h),
        this.verifyHandler,
        VERIFY_EVENT_AGE_SEC,
      );
    }
    if (startable.length > 0) {
      route(
        'AutomationStatusRule',
        "Terminal status changes of the remediation documents' executions",
        () => automationStatusPattern(startable),
        this.verifyHandler,
        VERIFY_EVENT_AGE_SEC,
      );
    }
    const sweep = new events.Rule(this, 'SweeperSchedule', {
      description: 'Runs the remediation deadline sweeper every minute',
      schedule: events.Schedule.rate(Duration.minutes(1)),
    });
    targetFunction(sweep, this.sweeper, SWEEP_EVENT_AGE_SEC);
  }
}

/**
 * `home` with an unresolved account or Region (an environment-agnostic stack) replaced by a value
 * of the longest length it deploys as: 12 digits, and 14 characters (`ap-southeast-5`, the longest
 * Region code), for measuring event patterns.
 */
function deployedHome(home: { account: string; region: string }): { account: string; region: string } {
  return {
    account: Token.isUnresolved(home.account) ? '123456789012' : home.account,
    region: Token.isUnresolved(home.region) ? 'ap-southeast-5' : home.region,
  };
}

function validate(scope: Construct, props: RemediationEngineProps): AppConfig {
  const raw: AppConfigInput = {
    logRetentionDays: props.logRetentionDays,
    predictiveScaling: { targets: [] },
    remediation: {
      maxConcurrentRemediations: props.maxConcurrentRemediations,
      cleanupAllowedPathPrefixes: props.cleanupAllowedPathPrefixes,
      escalationEmail: props.escalationEmail,
      ledgerRetentionDays: props.ledgerRetentionDays,
      rules: props.rules,
    },
  };
  return parseAppConfig(raw, `the props of ${scope.node.path}`);
}
