/**
 * The deadline sweeper: open remediations past their deadline whose automation still runs stay
 * open with their holds until it ends, escalated as overrun if it runs too long
 * (./verification-overrun); the others are escalated as failed automations
 * when their execution ended failed without its status event being handled, resolved when the
 * alarm is OK after all (its OK event was lost), or in INSUFFICIENT_DATA for a rule that accepts it
 * once the automation succeeded (./recovery), and escalated as failed verifications otherwise (one
 * still `started`, whose starter died or got no certain answer from SSM and was never resumed,
 * saying no execution was recorded, and resolved or escalated keeping its holds until they
 * expire: ./engine-closed-holds); blocked
 * remediations are re-driven (./redrive-blocked); starts left `started` past their lease are
 * resumed (./resume-stalled); escalations pending for more than
 * `STALE_ESCALATION_SEC` (their sender died between the closing write and SNS) are re-sent, and
 * those SNS took whose OpsItem CreateOpsItem refused get it retried (./escalation-pending);
 * expired global slots are reclaimed. Expired resource locks need no sweep: acquiring one
 * overwrites an expired lock in the same conditional write. Each step keeps its failures to
 * itself (./sweep-steps): one bad record is reported and the rest of the sweep still runs.
 */
import { type AutomationOutcome, type AutomationStatus, automationOutcome } from './automation-event';
import { type AutomationExecutionRead, describeError, type EngineDeps } from './engine-ports';
import { distinctUnreadable, type EngineResult, opsItemCallsFailedIn } from './engine-result';
import type { UnreadableItem } from './escalation';
import { type OpsItemRetry, retryFailed } from './escalation-opsitem-retry';
import { handlePendingEscalations } from './escalation-pending';
import { OVERDUE_LIMIT } from './ledger';
import type { RemediationRecord } from './ledger-records';
import { acceptedStates, automationSucceeded, recoveredBy, whyNotRecovered } from './recovery';
import { redriveBlocked } from './redrive-blocked';
import { resumeStalledStarts } from './resume-stalled';
import { forEachListed, reportUncertainStarts, runStep, type SweepError, unreadableIn } from './sweep-steps';
import { failVerification, recoveredWording, resolve } from './verification';
import { settleOverrun } from './verification-overrun';

/** What one sweep did. */
export interface SweepSummary {
  /** Overdue items looked at (malformed ones included). */
  readonly checked: number;
  readonly resolved: number;
  readonly escalated: number;
  /**
   * Blocked remediations the sweep started because their blocker went away, whatever their start
   * then did (one whose automation had already ended also counts as resolved or escalated).
   */
  readonly redriven: number;
  /** Blocked remediations looked at. */
  readonly blocked: number;
  /**
   * Stalled starts (`started`, no execution recorded, the lease since entering `started` over) the
   * sweep resumed, whatever their start then did (./resume-stalled).
   */
  readonly resumed: number;
  /** Stale pending escalations the sweep re-sent (SNS took them). */
  readonly resentEscalations: number;
  /**
   * The OpsItems the sweep asked CreateOpsItem for again (their escalation's SNS message went),
   * whatever it answered (./escalation-opsitem-retry).
   */
  readonly opsItemRetries: readonly OpsItemRetry[];
  /**
   * OpsItem calls of this sweep that failed (CreateOpsItem, or GetOpsItem and UpdateOpsItem adding
   * a later escalation): escalations it sent (`results`) or re-sent, SNS taking them or not, and
   * those whose OpsItem it retried. The handler counts them in `OpsItemsFailed`.
   */
  readonly opsItemsFailed: number;
  readonly reclaimedSlots: number;
  /** What each step could not finish (retried next minute), in step order (./sweep-steps). */
  readonly errors: readonly SweepError[];
  /**
   * The ledger items the sweep met that are not records, each once (the same may be met by several
   * steps and records): left out of a step's listing, or failing a record's handling (both also in
   * `errors`), a lock or slot holder counted as holding (re-drives), left out of an escalation's
   * earlier actions (re-sends too). The handler logs and counts them.
   */
  readonly unreadableLedgerItems: readonly UnreadableItem[];
  /**
   * What the sweep did with each record it handled (re-sent escalations and OpsItem retries apart:
   * `resentEscalations`, `opsItemRetries`).
   */
  readonly results: readonly EngineResult[];
}

/**
 * Runs every step of one sweep (at most `OVERDUE_LIMIT` records each), one record at a time. A
 * failing listing or record is reported in `errors` and never stops the other records or steps.
 */
export async function sweepDeadlines(deps: EngineDeps, sweepId: string): Promise<SweepSummary> {
  const nowSec = deps.clock.nowSec();
  const errors: SweepError[] = [];
  const overdue = await forEachListed(
    'handle overdue remediations',
    () => deps.ledger.listOverdue(nowSec, OVERDUE_LIMIT),
    (record) => sweepOverdue(record, deps, sweepId, nowSec),
    errors,
  );
  const blocked = await forEachListed(
    're-drive blocked remediations',
    () => deps.ledger.listBlocked(OVERDUE_LIMIT),
    (record) => redriveBlocked(record, deps, sweepId),
    errors,
  );
  reportUncertainStarts(
    're-drive blocked remediations',
    blocked.done.map((r) => r.result),
    errors,
  );
  const stalled = await resumeStalledStarts(deps, sweepId, errors);
  reportUncertainStarts('resume stalled starts', stalled.results, errors);
  const { resent, opsItemRetries } = await handlePendingEscalations(deps, sweepId, nowSec, errors);
  const reclaimed = await runStep('reclaim expired slots', () => deps.ledger.reclaimExpiredSlots(), errors);
  const results = [...overdue.done, ...blocked.done.map((r) => r.result), ...stalled.results];
  return {
    checked: overdue.listed,
    resolved: results.filter((r) => r.outcome === 'resolved').length,
    escalated: results.filter((r) => r.outcome === 'verificationFailed' || r.outcome === 'escalated').length,
    redriven: blocked.done.filter((r) => r.redriven).length,
    blocked: blocked.listed,
    resumed: stalled.resumed,
    resentEscalations: resent.length,
    opsItemRetries,
    opsItemsFailed:
      sum([...results, ...resent].map(opsItemCallsFailedIn)) +
      opsItemRetries.filter(retryFailed).length +
      sum(errors.map((e) => e.opsItemCallsFailed ?? 0)),
    reclaimedSlots: reclaimed ?? 0,
    errors,
    unreadableLedgerItems: distinctUnreadable([
      ...unreadableIn(errors),
      ...[...results, ...resent, ...opsItemRetries].flatMap((r) => r.unreadableLedgerItems ?? []),
    ]),
    results,
  };
}

/**
 * One overdue remediation. Its automation's status is read first when the ledger does not know
 * how it ended (the status event was not handled, or the start died before reading it): one still
 * running keeps it open (./verification-overrun), whatever the alarm says; a failed automation is
 * escalated as such, a success counts for the recovered state; then the alarm decides. An
 * unreadable status leaves the alarm to decide, and the reason says so.
 */
async function sweepOverdue(
  record: RemediationRecord,
  deps: EngineDeps,
  sweepId: string,
  nowSec: number,
): Promise<EngineResult> {
  const automation = await automationAtDeadline(record, deps);
  // Still running: its holds stand and its end decides, for at most OVERRUN_LIMIT_SEC.
  if (automation.read !== undefined && automation.outcome === 'running' && record.executionId !== undefined) {
    return settleOverrun(record, record.executionId, automation.read, deps, sweepId, nowSec);
  }
  if (
    automation.outcome !== undefined &&
    automation.outcome !== 'succeeded' &&
    automation.outcome !== 'running'
  ) {
    return failVerification(
      record,
      'automationFailed',
      `automation ${record.executionId} ended ${automation.status}, read by the deadline sweep (its status event was not handled)`,
      deps,
      sweepId,
      { execution: automation.read?.execution },
    );
  }
  const state = await deps.alarms.stateOf(record.alarmName, record.alarmArn);
  const late = nowSec - (record.deadlineSec ?? nowSec);
  const check = {
    alarmState: state,
    accepted: acceptedStates(deps.config.rules, record.ruleId),
    automationSucceeded: automationSucceeded(record) || automation.outcome === 'succeeded',
  };
  const recovered = recoveredBy(check);
  if (recovered !== undefined) {
    const why = `alarm ${record.alarmName} found ${recoveredWording(recovered)} by the deadline sweep`;
    return resolve(record, deps, why, sweepId, recovered);
  }
  const not = whyNotRecovered(check);
  const notes = [not, automation.note].filter((n) => n !== undefined).join('; ');
  return failVerification(
    record,
    'verificationFailed',
    `verification deadline passed ${late} s ago with alarm ${record.alarmName} ${state ?? 'gone'}${notes === '' ? '' : ` (${notes})`}`,
    deps,
    sweepId,
    { alarmState: state, execution: automation.read?.execution },
  );
}

/** What the sweep knows of an overdue remediation's automation, and what its reason should add. */
interface AutomationAtDeadline {
  readonly status?: AutomationStatus;
  /** GetAutomationExecution's answer the status came from, passed on to an escalation's evidence. */
  readonly read?: AutomationExecutionRead;
  readonly outcome?: AutomationOutcome;
  readonly note?: string;
}

/** Why an overdue `started` remediation has no status to read. */
const NO_EXECUTION =
  "no automation execution recorded: its StartAutomationExecution never got a certain answer (its starter died, the request failed in transit or on SSM's side, or SSM refused a resume in a way that says nothing about the earlier request) and no resume recorded one, so the start may have reached SSM and its automation may have run or be running";

/** The status of `record`'s execution when the ledger does not say it succeeded (see sweepOverdue). */
async function automationAtDeadline(
  record: RemediationRecord,
  deps: EngineDeps,
): Promise<AutomationAtDeadline> {
  // Still `started`: its starter died in or right after StartAutomationExecution, or got no
  // certain answer, and no retry resumed it: the failed verification must not read as if the
  // automation had run, nor as if it had not.
  if (record.executionId === undefined) return record.state === 'started' ? { note: NO_EXECUTION } : {};
  if (automationSucceeded(record)) return {};
  try {
    const read = await deps.automation.statusOf(record.executionId);
    if (read === undefined) return { note: `SSM knows no execution ${record.executionId}` };
    // One still running is kept open (./verification-overrun), so it needs no note.
    return { status: read.status, read, outcome: automationOutcome(read.status) };
  } catch (error) {
    return { note: `automation status unknown: ${describeError(error)}` };
  }
}

function sum(counts: readonly number[]): number {
  return counts.reduce((n, c) => n + c, 0);
}
