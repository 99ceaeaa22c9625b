/**
 * What the remediation ledger stores about one remediation, and the state machine its life
 * follows. Plain data only: the decision core, the handlers and the CLI all read these shapes.
 */
import type { RecoveredState } from '../../../lib/config/remediation-schema';
import type { AlarmMetric } from './alarm-event';
import type { EscalationKind } from './escalation';

/** How the rule was configured to act when the remediation was recorded. */
export type RemediationMode = 'observe' | 'dryRun' | 'enforce';

/**
 * Life of a remediation. Acting ones go `started → verifying → resolved | escalated | failed`;
 * `dryRun` and `observed` record what would have happened in the non-acting modes; `skipped`
 * records an alarm a guardrail stopped without escalating (duplicate, the alarm's own remediation
 * by its rule already open). `blocked` waits for a blocker that will go away (another rule's or
 * another alarm's remediation on the resource, the cooldown, the blast radius, the global cap)
 * until its `deadlineSec`: the sweeper starts it once the blocker is gone, skips it when the alarm
 * is OK, escalates at the end.
 */
export type RemediationState =
  | 'started'
  | 'verifying'
  | 'resolved'
  | 'escalated'
  | 'failed'
  | 'dryRun'
  | 'observed'
  | 'skipped'
  | 'blocked';

/** States a record may be created in. `escalated`/`failed` cover alarms refused or starts that failed. */
export const INITIAL_STATES: ReadonlySet<RemediationState> = new Set<RemediationState>([
  'started',
  'escalated',
  'failed',
  'dryRun',
  'observed',
  'skipped',
  'blocked',
]);

/** States in which the remediation still awaits an outcome (holds a lock and a deadline). */
export const OPEN_STATES: ReadonlySet<RemediationState> = new Set<RemediationState>(['started', 'verifying']);

/**
 * Legal moves. `started → resolved` covers the alarm's OK event arriving before the automation's
 * success event; `started → blocked` a resumed start that could not take back the holds an
 * earlier attempt gave up (./engine-start); `started → skipped` a resumed start no longer wanted
 * (alarm out of ALARM, rule no longer enforcing: ./start-recheck); no move leaves a closed
 * state, so a late event cannot reopen a remediation.
 */
export const TRANSITIONS: Readonly<Record<RemediationState, readonly RemediationState[]>> = {
  started: ['verifying', 'resolved', 'escalated', 'failed', 'blocked', 'skipped'],
  verifying: ['resolved', 'escalated', 'failed'],
  resolved: [],
  escalated: [],
  failed: [],
  dryRun: [],
  observed: [],
  skipped: [],
  blocked: ['started', 'escalated', 'skipped'],
};

/** Whether `from → to` is a legal move. */
export function isLegalTransition(from: RemediationState, to: RemediationState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Whether a remediation in `state` is still open. */
export function isOpen(state: RemediationState): boolean {
  return OPEN_STATES.has(state);
}

/** One guardrail's verdict as recorded (the decision core's verdicts fit this shape). */
export interface RecordedVerdict {
  readonly guardrail: string;
  /** e.g. `pass`, `block`, `escalate`. */
  readonly outcome: string;
  readonly reason: string;
}

/** `verdicts` with the one of `verdict.guardrail` replaced by `verdict` (a guardrail decided again). */
export function replaceVerdict(
  verdicts: readonly RecordedVerdict[],
  verdict: RecordedVerdict,
): RecordedVerdict[] {
  const { guardrail, outcome, reason } = verdict;
  return verdicts.map((v) => (v.guardrail === guardrail ? { guardrail, outcome, reason } : v));
}

/**
 * What escalation did; a failed OpsItem is recorded, never hidden: `opsItemId` once OpsCenter gave
 * one, else `opsItemError`, why the last CreateOpsItem call failed.
 */
export interface EscalationRecord {
  readonly reason: string;
  readonly atSec: number;
  readonly snsMessageId?: string;
  readonly snsError?: string;
  readonly opsItemId?: string;
  readonly opsItemError?: string;
  /**
   * How many CreateOpsItem calls failed for this escalation (kept once one succeeds). While the
   * OpsItem is missing and this is below `MAX_OPS_ITEM_ATTEMPTS`, the escalation stays pending for
   * its OpsItem alone (./ledger-apply `pendingSince`) and the sweeper calls CreateOpsItem again,
   * never SNS. Absent on escalations recorded before failures were counted: not retried.
   */
  readonly opsItemFailures?: number;
  /**
   * OpsCenter kept an OpsItem already open for the rule, resource and alarm (`opsItemId`): the
   * escalation is added to it (./escalation-opsitem-update), which `opsItemUpdated` or
   * `opsItemUpdateError` records.
   */
  readonly opsItemDeduplicated?: true;
  /** The escalation was added to the open OpsItem (or found already there). */
  readonly opsItemUpdated?: true;
  /** Why the last attempt to add the escalation to the open OpsItem failed (GetOpsItem or UpdateOpsItem). */
  readonly opsItemUpdateError?: string;
  /**
   * How many attempts to add the escalation to the open OpsItem failed (kept once one succeeds).
   * Below `MAX_OPS_ITEM_ATTEMPTS`, the escalation stays pending for that update alone, and the
   * sweeper retries it as it retries a CreateOpsItem.
   */
  readonly opsItemUpdateFailures?: number;
  /**
   * The event whose handler escalates (recorded before sending): only its redelivery re-sends an
   * escalation SNS did not take, so a racing event cannot send it twice.
   */
  readonly byEventId?: string;
  /**
   * What is escalated, recorded with the pending escalation so a re-send carries the same title.
   * Absent on records written before it was kept: a re-send infers it (`resentKind`).
   */
  readonly kind?: EscalationKind;
}

/** The fields a caller supplies when recording a remediation. */
export interface NewRemediation {
  readonly id: string;
  readonly ruleId: string;
  readonly resourceId: string;
  readonly alarmName: string;
  /**
   * The alarm's ARN, from the state change that triggered it (the event's `resources`): every
   * escalation of the remediation names it, so its OpsItem carries the same related resource
   * (`/aws/resources`) whichever path sends it. Absent on records written before it was kept.
   */
  readonly alarmArn?: string;
  /**
   * The alarm's metrics, as its state change carried them: kept only when the rule could not
   * resolve its resource from them (./unresolved-resource), so every send of the escalation
   * carries them as evidence.
   */
  readonly alarmMetrics?: readonly AlarmMetric[];
  /** EventBridge event id of the alarm state change that triggered it. */
  readonly eventId: string;
  /**
   * Epoch milliseconds of the state change that triggered it (its `detail.state.timestamp`): an
   * OK or INSUFFICIENT_DATA timestamped earlier belongs to an earlier episode of the alarm and
   * does not close it (./alarm-episode). Absent on records written before it was kept.
   */
  readonly alarmStateAtMs?: number;
  readonly mode: RemediationMode;
  readonly state: RemediationState;
  readonly verdicts: readonly RecordedVerdict[];
  /** Auto Scaling group the resource belongs to, for the blast-radius guardrail. */
  readonly autoScalingGroupName?: string;
  readonly documentName?: string;
  readonly parameters?: Readonly<Record<string, readonly string[]>>;
  readonly executionId?: string;
  /** SSM ClientToken sent with StartAutomationExecution. */
  readonly clientToken?: string;
  /** Epoch seconds by which the alarm must be back to OK; required for open states. */
  readonly deadlineSec?: number;
  readonly reason?: string;
  readonly escalation?: EscalationRecord;
  /** The guardrail a `blocked` remediation waits on. */
  readonly blockedBy?: string;
}

/** Fields a transition may set or replace. */
export interface RemediationPatch {
  readonly verdicts?: readonly RecordedVerdict[];
  readonly clientToken?: string;
  readonly executionId?: string;
  readonly deadlineSec?: number;
  readonly reason?: string;
  readonly timeToRecoverSec?: number;
  readonly escalation?: EscalationRecord;
  /** The guardrail a remediation moved to `blocked` waits on. */
  readonly blockedBy?: string;
  /** The alarm state that counted as recovered (set when resolving). */
  readonly recoveredState?: RecoveredState;
}

/** One state a remediation entered, and when (epoch seconds). */
export interface StateEntry {
  readonly state: RemediationState;
  readonly atSec: number;
}

/** The state changes a full {@link RemediationRecord.stateLog} left out: `count`, after its first `after` entries. */
export interface StateLogGap {
  readonly after: number;
  readonly count: number;
}

/** A remediation as stored. */
export interface RemediationRecord extends NewRemediation {
  /**
   * Epoch seconds at which each state was last entered: a re-drive `blocked → started` overwrites
   * the earlier `started`. The engine times and compares by these (./start-lease,
   * ./engine-closed-holds); {@link stateLog} keeps every entry.
   */
  readonly stateTimes: Readonly<Partial<Record<RemediationState, number>>>;
  /**
   * Every state entered, oldest first, a state entered twice (`started → blocked → started`)
   * each time: what `selfheal history --id` and an escalation's timeline show. Capped
   * (./state-log); absent on records written before it was kept, whose `stateTimes` stand in.
   */
  readonly stateLog?: readonly StateEntry[];
  /** Present when the capped {@link stateLog} left entries out. */
  readonly stateLogGap?: StateLogGap;
  readonly createdAtSec: number;
  readonly updatedAtSec: number;
  readonly timeToRecoverSec?: number;
  /**
   * When the automation's success event arrived while the alarm had not recovered yet: only then
   * may INSUFFICIENT_DATA count as recovered (see ./recovery.ts).
   */
  readonly automationSucceededAtSec?: number;
  /** The alarm state that counted as recovered, for a `resolved` remediation. */
  readonly recoveredState?: RecoveredState;
  /** DynamoDB TTL: epoch seconds after which the record may disappear. */
  readonly expiresAt: number;
}

/** Error-budget freeze of one rule. */
export interface RuleFreeze {
  readonly ruleId: string;
  readonly frozen: boolean;
  readonly reason: string;
  readonly frozenAtSec: number;
  /** Who reset it and when; failures before `resetAtSec` should not count towards a new freeze. */
  readonly resetBy?: string;
  readonly resetAtSec?: number;
}
