/**
 * What a human receives when the engine could not or would not fix something: one evidence
 * object (alarm, resource, the automation's execution when it failed or did not fix it, actions
 * taken with execution ids, guardrail verdicts, timeline),
 * rendered as an SNS message and as a CreateOpsItem input in ./escalation-render.
 */
import type { AlarmMetric, AlarmStateChange } from './alarm-event';
import type { AutomationEvidence } from './escalation-automation';
import type { NewRemediation, RecordedVerdict, RemediationState } from './ledger-records';
import { type StateFacts, stateHistory } from './state-log';

/** Why the engine escalates. */
export type EscalationKind =
  | 'frequencyLimit'
  | 'errorBudget'
  | 'ruleDefect'
  | 'startFailed'
  | 'automationFailed'
  | 'verificationFailed'
  /**
   * The automation was still running when the deadline sweep had waited its longest past the
   * verification deadline (./verification-overrun): the remediation is closed keeping its holds
   * until they lapse, and the automation may run on after that.
   */
  | 'automationOverran'
  /**
   * A blocked remediation's blocker did not go away before its deadline, or a resumed start's
   * recheck found its document or cleanup path no longer allowed (./start-recheck).
   */
  | 'blocked'
  /**
   * An attempt that lost the race to close a start got an execution the ledger does not track (the
   * winner closed the remediation without it): an automation runs with no record and no holds.
   */
  | 'untrackedExecution'
  /** Not an escalation: an observe-mode rule reports what it would have run. */
  | 'observed';

/** One remediation already run on the resource (the escalated one included). */
export interface ActionTaken {
  readonly remediationId: string;
  readonly state: RemediationState;
  readonly atSec: number;
  readonly documentName?: string;
  readonly executionId?: string;
  /**
   * Closed from `started` without a recorded execution (`keepsHoldsClosed`): its starter died in,
   * or was overtaken inside, StartAutomationExecution, so its start may have reached SSM.
   */
  readonly closedWithoutExecution?: true;
}

/**
 * A ledger item the evidence's history read could not decode, left out of the actions: its key as
 * `aws dynamodb get-item --key` takes it and the first bad field (`MalformedRecordError`).
 */
export interface UnreadableItem {
  readonly key: string;
  readonly problem: string;
}

/** The remediation as far as it is known (a stored record, or one about to be created). */
export type EscalatedRemediation = NewRemediation & StateFacts;

/** Everything an escalation carries. */
export interface EscalationInput {
  readonly kind: EscalationKind;
  readonly reason: string;
  readonly remediation: EscalatedRemediation;
  /**
   * The alarm as last seen (state read at escalation time when the verification side knows it),
   * with its metrics when the rule could not resolve the resource from them.
   */
  readonly alarm: {
    readonly name: string;
    readonly arn?: string;
    readonly state?: string;
    readonly metrics?: readonly AlarmMetric[];
  };
  /** Earlier remediations of the resource by the rule, newest first (at most the newest 50). */
  readonly actions: readonly ActionTaken[];
  /** Items of the ledger read for `actions` that are not records, so left out of them. */
  readonly unreadable?: readonly UnreadableItem[];
  /** The resource has older actions than those listed (`actions` and `unreadable`). */
  readonly moreActions?: boolean;
  /** The rule was (or is now) frozen by its error budget. */
  readonly ruleFrozen: boolean;
  /**
   * The remediation's execution as read to escalate, for a failed automation or verification
   * (./escalation-automation `automationEvidenceFor`).
   */
  readonly automation?: AutomationEvidence;
  readonly nowSec: number;
}

/** The escalation's evidence as plain data (logged, published, stored in the OpsItem). */
export interface Evidence {
  readonly kind: EscalationKind;
  readonly reason: string;
  readonly ruleId: string;
  readonly mode: string;
  readonly resourceId: string;
  readonly alarm: EscalationInput['alarm'];
  readonly remediation: {
    readonly id: string;
    readonly state: RemediationState;
    readonly eventId: string;
    readonly documentName?: string;
    readonly parameters?: Readonly<Record<string, readonly string[]>>;
    readonly executionId?: string;
    readonly deadline?: string;
  };
  /** The execution's summary and console link (./escalation-automation), when it was read. */
  readonly automation?: AutomationEvidence;
  readonly ruleFrozen: boolean;
  readonly guardrails: readonly RecordedVerdict[];
  readonly actions: ReadonlyArray<ActionTaken & { readonly at: string }>;
  /** Present when some ledger items could not be read: `actions` may miss what they held. */
  readonly unreadableLedgerItems?: readonly UnreadableItem[];
  /** Present when the resource has older actions than `actions` lists (only the newest are). */
  readonly olderActionsNotListed?: true;
  readonly timeline: ReadonlyArray<{ readonly at: string; readonly what: string }>;
}

/** What each kind says in a subject or title. */
const TITLES: Readonly<Record<EscalationKind, string>> = {
  frequencyLimit: 'keeps recurring; not remediated again',
  errorBudget: 'rule frozen by its error budget; not remediated',
  ruleDefect: 'rule cannot be applied',
  startFailed: 'automation could not be started',
  automationFailed: 'automation did not succeed',
  verificationFailed: 'alarm still in ALARM after the fix',
  automationOverran: 'automation overran its verification deadline',
  blocked: 'could not remediate: blocked by a guardrail',
  untrackedExecution: 'untracked automation running',
  observed: 'observe mode: would remediate',
};

/** Every escalation kind, once each (the keys of the titles, which the compiler checks are complete). */
export const ESCALATION_KINDS = Object.keys(TITLES) as [EscalationKind, ...EscalationKind[]];

/** What an escalation of `kind` is about, as its subject and OpsItem title say it. */
export function escalationTitle(kind: EscalationKind): string {
  return TITLES[kind];
}

/** The alarm as an escalation names it, from the state change that raised it. */
export function alarmOfEvent(event: AlarmStateChange): EscalationInput['alarm'] {
  return {
    name: event.alarmName,
    ...(event.alarmArn === undefined ? {} : { arn: event.alarmArn }),
    state: `${event.state.value}: ${event.state.reason}`,
  };
}

/**
 * The alarm as an escalation names it, from the remediation's record: every path that escalates a
 * recorded remediation (a re-send, the verification side, the sweeper) names the same alarm ARN as
 * the first send ({@link alarmOfEvent}), so OpsCenter, which deduplicates on the dedup string and
 * the related resource, keeps one OpsItem. `state` is the alarm's state as the caller knows it.
 */
export function alarmOfRecord(
  record: Pick<NewRemediation, 'alarmName' | 'alarmArn' | 'alarmMetrics'>,
  state?: string,
): EscalationInput['alarm'] {
  return {
    name: record.alarmName,
    ...(record.alarmArn === undefined ? {} : { arn: record.alarmArn }),
    ...(state === undefined ? {} : { state }),
    ...(record.alarmMetrics === undefined ? {} : { metrics: record.alarmMetrics }),
  };
}

const iso = (sec: number) => new Date(sec * 1000).toISOString();

/**
 * An action's state as the evidence's lines say it: closed without an execution, with the note
 * that its start may have reached SSM.
 */
export function actionOutcome(a: ActionTaken): string {
  return a.closedWithoutExecution === true
    ? `${a.state} (closed without a recorded execution; its start may have reached SSM)`
    : a.state;
}

/** How a timeline entry about one of the earlier actions starts (./escalation-operational-data). */
const EARLIER_ENTRY = 'earlier remediation ';

/**
 * Whether timeline entry `what` is about one of the earlier actions, not the escalated
 * remediation's own history (its states and the escalation), which the OpsItem always keeps.
 */
export function isEarlierActionEntry(what: string): boolean {
  return what.startsWith(EARLIER_ENTRY);
}

/**
 * The escalated remediation's own timeline entries: every state it entered (./state-log), and
 * where a full state log left some out, a note at the time of the first newer entry it kept.
 */
function ownStates(r: EscalatedRemediation): { sec: number; what: string }[] {
  const { entries, gap } = stateHistory(r);
  const states = entries.map((e) => ({ sec: e.atSec, what: `remediation ${e.state}` }));
  const noteSec = gap === undefined ? undefined : (entries[gap.after] ?? entries.at(-1))?.atSec;
  if (gap === undefined || noteSec === undefined) return states;
  const note = { sec: noteSec, what: `remediation: ${gap.count} more state change(s) not kept` };
  return [...states.slice(0, gap.after), note, ...states.slice(gap.after)];
}

/** Builds the evidence of one escalation. */
export function buildEvidence(input: EscalationInput): Evidence {
  const r = input.remediation;
  const timeline = [
    ...input.actions.flatMap((a) =>
      a.remediationId === r.id
        ? []
        : [{ sec: a.atSec, what: `${EARLIER_ENTRY}${a.remediationId}: ${actionOutcome(a)}` }],
    ),
    ...ownStates(r),
    { sec: input.nowSec, what: `escalated: ${input.kind}` },
  ].sort((a, b) => a.sec - b.sec);
  return {
    kind: input.kind,
    reason: input.reason,
    ruleId: r.ruleId,
    mode: r.mode,
    resourceId: r.resourceId,
    alarm: input.alarm,
    remediation: {
      id: r.id,
      state: r.state,
      eventId: r.eventId,
      ...(r.documentName === undefined ? {} : { documentName: r.documentName }),
      ...(r.parameters === undefined ? {} : { parameters: r.parameters }),
      ...(r.executionId === undefined ? {} : { executionId: r.executionId }),
      ...(r.deadlineSec === undefined ? {} : { deadline: iso(r.deadlineSec) }),
    },
    ...(input.automation === undefined ? {} : { automation: input.automation }),
    ruleFrozen: input.ruleFrozen,
    guardrails: r.verdicts,
    actions: input.actions.map((a) => ({ ...a, at: iso(a.atSec) })),
    ...(input.unreadable === undefined || input.unreadable.length === 0
      ? {}
      : { unreadableLedgerItems: input.unreadable }),
    ...(input.moreActions === true ? { olderActionsNotListed: true as const } : {}),
    timeline: timeline.map((t) => ({ at: iso(t.sec), what: t.what })),
  };
}
