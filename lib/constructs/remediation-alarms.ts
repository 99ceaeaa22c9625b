import type { aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { REMEDIATION_METRICS } from '../config/metric-names';
import type { SelfhealFunction } from './selfheal-function';

/** The remediation functions {@link remediationMetricAlarms} alarms on. */
export interface RemediationFunctions {
  readonly alarmHandler: SelfhealFunction;
  readonly verifyHandler: SelfhealFunction;
  readonly sweeper: SelfhealFunction;
}

/** The alarms on metrics that say the remediation engine itself failed without throwing. */
export interface RemediationMetricAlarms {
  /** The alarm handler refused events of its kind it could not read. */
  readonly alarmHandlerRejected: cloudwatch.Alarm;
  /** The verification handler refused events of its kinds it could not read. */
  readonly verifyHandlerRejected: cloudwatch.Alarm;
  /** The sweeper re-sent escalations whose sender died before SNS took them. */
  readonly escalationsResent: cloudwatch.Alarm;
  /** A start that lost a race got an execution no remediation tracks (alarm handler, sweeper). */
  readonly alarmHandlerUntracked: cloudwatch.Alarm;
  readonly sweeperUntracked: cloudwatch.Alarm;
  /** A function went on without ledger items it could not read (each function that reads them). */
  readonly alarmHandlerUnreadable: cloudwatch.Alarm;
  readonly verifyHandlerUnreadable: cloudwatch.Alarm;
  readonly sweeperUnreadable: cloudwatch.Alarm;
  /** CreateOpsItem failed for an escalation the function sent or retried (each function that escalates). */
  readonly alarmHandlerOpsItemsFailed: cloudwatch.Alarm;
  readonly verifyHandlerOpsItemsFailed: cloudwatch.Alarm;
  readonly sweeperOpsItemsFailed: cloudwatch.Alarm;
}

const REJECTED = REMEDIATION_METRICS.rejected;
const RESENT = REMEDIATION_METRICS.escalationsResent;
const UNTRACKED = REMEDIATION_METRICS.untrackedExecution;
const UNREADABLE = REMEDIATION_METRICS.unreadableLedgerItems;
const OPS_ITEMS_FAILED = REMEDIATION_METRICS.opsItemsFailed;
const UNREADABLE_DESCRIPTION = `${UNREADABLE} >= 1 in 5 minutes: the function met ledger items that are not remediation records (a field missing or of the wrong type: a bug or a hand edit) and went on without them: a lock or slot holder it could not read counted as holding (the CloudWatch alarm it handled was recorded blocked), an item left out of an escalation's earlier actions (the escalation names it), or, for the sweeper, an item a step left out (its run also fails). Find the ERROR records "ledger item unreadable" in this function's log group (key: the item's pk and sk; problem: its first bad field), then fix or delete the item.`;
const UNTRACKED_DESCRIPTION = `${UNTRACKED} >= 1 in 5 minutes: two attempts raced on one remediation's start, the one that recorded the outcome closed the remediation without an execution, and the other's StartAutomationExecution returned one: that automation runs with no ledger record and no resource lock, so nothing verifies it. It was escalated ("untracked automation running", naming the execution id) unless SNS failed; find the ERROR records with decision.outcome "untrackedExecution" in this function's log group, check the execution in Systems Manager > Automation and stop it if it must not run.`;

const OPS_ITEMS_FAILED_DESCRIPTION = `${OPS_ITEMS_FAILED} >= 1 in 5 minutes: CreateOpsItem failed for escalations this function sent or retried, so OpsCenter lacks their OpsItem (their SNS message went and says so). The sweeper calls CreateOpsItem again for each, about a minute apart, a few times: throttling usually clears on a retry; AccessDeniedException (the role's ssm:CreateOpsItem), OpsItemLimitExceededException (too many open OpsItems) or a refused request does not. In this function's log group find the "decision" records whose escalation.opsItemError says why, or the sweeper's "OpsItem retried" records (retry.opsItemError, retry.retriedAgain); selfheal history shows each escalation's OpsItem id or error. It also counts failed attempts to add a later escalation to the OpsItem OpsCenter kept open (GetOpsItem/UpdateOpsItem: escalation.opsItemUpdateError, retry.opsItemUpdateError), retried the same way.`;

/**
 * Alarms, on each function's alarm topic, for the failures the handlers record without throwing
 * (so the errors alarm stays quiet) and that no per-remediation escalation reports: an event of
 * a handled kind that does not parse (nothing was done, no one was told), and an escalation
 * re-sent by the sweeper (people were told late), and an automation started with no remediation
 * tracking it (its escalation may not have gone), a ledger item that could not be read (a
 * bug or a hand edit, gone on without), and an OpsItem CreateOpsItem refused (the escalation went
 * by SNS only). Failed starts and failed verifications are not here:
 * each is escalated to the escalation topic and OpsCenter with its reason.
 */
export function remediationMetricAlarms(fns: RemediationFunctions): RemediationMetricAlarms {
  const unreadable = (fn: SelfhealFunction) =>
    fn.addMetricAlarm('UnreadableLedgerItemsAlarm', {
      metricName: UNREADABLE,
      description: UNREADABLE_DESCRIPTION,
    });
  const opsItemsFailed = (fn: SelfhealFunction) =>
    fn.addMetricAlarm('OpsItemsFailedAlarm', {
      metricName: OPS_ITEMS_FAILED,
      description: OPS_ITEMS_FAILED_DESCRIPTION,
    });
  return {
    alarmHandlerRejected: fns.alarmHandler.addMetricAlarm('RejectedEventsAlarm', {
      metricName: REJECTED,
      description: `${REJECTED} >= 1 in 5 minutes: an event routed here as a CloudWatch alarm state change did not parse (a changed AWS event format, or a bug), so no remediation was considered for that alarm and no one was told. In the function's log group, find the records with message "decision" at level WARN and decision.outcome "rejected": decision.reason names the field and the value received.`,
    }),
    verifyHandlerRejected: fns.verifyHandler.addMetricAlarm('RejectedEventsAlarm', {
      metricName: REJECTED,
      description: `${REJECTED} >= 1 in 5 minutes: an automation status change or alarm state change routed here did not parse (a changed AWS event format, or a bug), so the remediation it was about was neither resolved nor escalated by it (the deadline sweeper escalates it once overdue). In the function's log group, find the records with message "decision" at level WARN and decision.outcome "rejected": decision.reason names the field and the value received.`,
    }),
    escalationsResent: fns.sweeper.addMetricAlarm('EscalationsResentAlarm', {
      metricName: RESENT,
      description: `${RESENT} >= 1 in 5 minutes: the sweeper re-sent escalations that had been pending for over a minute, because the function that closed the remediation failed or timed out before SNS took the message, so people were told late. Look at the errors alarms and the ERROR records ("remediation alarm handling failed", "remediation verification failed") of the alarm and verification handlers shortly before; selfheal history shows the escalated remediations.`,
    }),
    alarmHandlerUntracked: fns.alarmHandler.addMetricAlarm('UntrackedExecutionsAlarm', {
      metricName: UNTRACKED,
      description: UNTRACKED_DESCRIPTION,
    }),
    sweeperUntracked: fns.sweeper.addMetricAlarm('UntrackedExecutionsAlarm', {
      metricName: UNTRACKED,
      description: UNTRACKED_DESCRIPTION,
    }),
    alarmHandlerUnreadable: unreadable(fns.alarmHandler),
    verifyHandlerUnreadable: unreadable(fns.verifyHandler),
    sweeperUnreadable: unreadable(fns.sweeper),
    alarmHandlerOpsItemsFailed: opsItemsFailed(fns.alarmHandler),
    verifyHandlerOpsItemsFailed: opsItemsFailed(fns.verifyHandler),
    sweeperOpsItemsFailed: opsItemsFailed(fns.sweeper),
  };
}
