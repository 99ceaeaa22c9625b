/** The one structured record the engine returns per event (logged by the handler as is). */
import type { RecoveredState } from '../../../lib/config/remediation-schema';
import type { Evidence, UnreadableItem } from './escalation';
import type { EscalationRecord, NewRemediation, RecordedVerdict } from './ledger-records';
import type { RuleEvaluation } from './match';

/** What the engine did with one event. */
export type EngineOutcome =
  /** StartAutomationExecution accepted; now verifying. */
  | 'started'
  /** dryRun rule: recorded what would run. */
  | 'dryRun'
  /** observe rule: recorded and notified. */
  | 'observed'
  /** A human was told; nothing (more) was started. */
  | 'escalated'
  /** A guardrail or the event itself gave nothing to do. */
  | 'skipped'
  /** The event id was processed before; nothing done. */
  | 'duplicate'
  /**
   * StartAutomationExecution refused by SSM: recorded failed and escalated (a first start
   * throttled or at the concurrent-automations quota is `skipped`, recorded blocked, until its
   * deadline).
   */
  | 'startFailed'
  /**
   * StartAutomationExecution got no certain answer (timeout, network error, failure on SSM's
   * side): SSM may have started it, so the remediation stays `started` with its holds, nobody
   * told yet, to be resumed with the same ClientToken. The alarm handler fails the invocation
   * after recording this, so Lambda's retry resumes it.
   */
  | 'startUncertain'
  /** The alarm is back to OK: remediation resolved. */
  | 'resolved'
  /** Automation finished but the alarm is not OK yet, or still running: waiting for the deadline. */
  | 'verifying'
  /** Automation failed, timed out or was cancelled, or the deadline passed: escalated. */
  | 'verificationFailed'
  /**
   * This attempt's start lost to a concurrent one that closed the remediation without recording the
   * execution SSM gave this attempt: an automation runs untracked, so it was escalated.
   */
  | 'untrackedExecution'
  /** A well-formed event the function does not handle, or one about something not ours. */
  | 'ignored'
  /** Not a valid event of a handled kind: no action. */
  | 'rejected';

/** One event's record. */
export interface EngineResult {
  readonly eventId: string;
  readonly outcome: EngineOutcome;
  readonly reason: string;
  readonly ruleId?: string;
  readonly resourceId?: string;
  readonly alarmName?: string;
  readonly remediationId?: string;
  readonly executionId?: string;
  readonly verdicts?: readonly RecordedVerdict[];
  readonly escalation?: EscalationRecord;
  readonly timeToRecoverSec?: number;
  /** For `resolved`: the alarm state that counted as recovered. */
  readonly recoveredState?: RecoveredState;
  /**
   * For an alarm no rule matched (`skipped`, nothing recorded): why each rule did not, as
   * `selfheal explain` prints them; the decision log is all that keeps them.
   */
  readonly ruleEvaluations?: readonly RuleEvaluation[];
  /** The rule was frozen by its error budget while handling this event. */
  readonly froze?: string;
  /**
   * Ledger items read for this event that are not records, gone on without, each once: a lock or
   * slot holder counted as holding (./engine-snapshot-holds), an item left out of the escalation's
   * earlier actions (./escalation-send). The handler logs each at ERROR and counts them.
   */
  readonly unreadableLedgerItems?: readonly UnreadableItem[];
  /**
   * OpsItem calls the escalation this result sent made that failed (./escalation-opsitem): its
   * CreateOpsItem, or its GetOpsItem or UpdateOpsItem adding it to the open OpsItem. A re-send
   * that named an earlier attempt's OpsItem, or whose attempts were spent, made none.
   */
  readonly opsItemCallsFailed?: number;
}

/** How many OpsItem calls the escalation this result sent failed: what `OpsItemsFailed` counts. */
export function opsItemCallsFailedIn(result: Pick<EngineResult, 'opsItemCallsFailed'>): number {
  return result.opsItemCallsFailed ?? 0;
}

/** `items` with each ledger item once (by key), in the order first met. */
export function distinctUnreadable(items: readonly UnreadableItem[]): UnreadableItem[] {
  return items.filter((item, i) => items.findIndex((o) => o.key === item.key) === i);
}

/** `result`, also naming `items` among its unreadable ledger items (each item once). */
export function withUnreadable(result: EngineResult, items: readonly UnreadableItem[]): EngineResult {
  const all = distinctUnreadable([...(result.unreadableLedgerItems ?? []), ...items]);
  return all.length === 0 ? result : { ...result, unreadableLedgerItems: all };
}

/** The result field naming the items an escalation's evidence left out of its earlier actions. */
export function leftOutOf(evidence: Evidence): Pick<EngineResult, 'unreadableLedgerItems'> {
  const items = evidence.unreadableLedgerItems ?? [];
  return items.length === 0 ? {} : { unreadableLedgerItems: items };
}

/** The fields of a result that say which remediation it is about, with its verdicts and execution. */
export function aboutRemediation(
  r: Pick<NewRemediation, 'id' | 'ruleId' | 'resourceId' | 'alarmName' | 'verdicts' | 'executionId'>,
): Pick<EngineResult, 'remediationId' | 'ruleId' | 'resourceId' | 'alarmName' | 'verdicts' | 'executionId'> {
  return {
    remediationId: r.id,
    ruleId: r.ruleId,
    resourceId: r.resourceId,
    alarmName: r.alarmName,
    verdicts: r.verdicts,
    ...(r.executionId === undefined ? {} : { executionId: r.executionId }),
  };
}
