/**
 * What a human receives when the engine could not or would not fix something: one evidence
 * object (alarm, resource, actions taken with execution ids, guardrail verdicts, timeline),
 * rendered as an SNS message and as a CreateOpsItem input deduplicated per rule and resource.
 */
import type { Notification, OpsItemRequest } from './engine-ports';
import type { NewRemediation, RecordedVerdict, RemediationState } from './ledger-records';

/** Why the engine escalates. */
export type EscalationKind =
  | 'frequencyLimit'
  | 'errorBudget'
  | 'ruleDefect'
  | 'startFailed'
  | 'automationFailed'
  | 'verificationFailed'
  /** A blocked remediation's blocker did not go away before its deadline. */
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
}

/** The remediation as far as it is known (a stored record, or one about to be created). */
export type EscalatedRemediation = NewRemediation & {
  readonly stateTimes?: Readonly<Partial<Record<RemediationState, number>>>;
};

/** Everything an escalation carries. */
export interface EscalationInput {
  readonly kind: EscalationKind;
  readonly reason: string;
  readonly remediation: EscalatedRemediation;
  /** The alarm as last seen (state read at escalation time when the verification side knows it). */
  readonly alarm: { readonly name: string; readonly arn?: string; readonly state?: string };
  /** Earlier remediations of the resource by the rule, newest first. */
  readonly actions: readonly ActionTaken[];
  /** The rule was (or is now) frozen by its error budget. */
  readonly ruleFrozen: boolean;
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
  readonly ruleFrozen: boolean;
  readonly guardrails: readonly RecordedVerdict[];
  readonly actions: ReadonlyArray<ActionTaken & { readonly at: string }>;
  readonly timeline: ReadonlyArray<{ readonly at: string; readonly what: string }>;
}

const TITLES: Readonly<Record<EscalationKind, string>> = {
  frequencyLimit: 'keeps recurring; not remediated again',
  errorBudget: 'rule frozen by its error budget; not remediated',
  ruleDefect: 'rule cannot be applied',
  startFailed: 'automation could not be started',
  automationFailed: 'automation did not succeed',
  verificationFailed: 'alarm still in ALARM after the fix',
  blocked: 'could not remediate: blocked by a guardrail',
  untrackedExecution: 'untracked automation running',
  observed: 'observe mode: would remediate',
};

/** Every escalation kind, once each (the keys of the titles, which the compiler checks are complete). */
export const ESCALATION_KINDS = Object.keys(TITLES) as [EscalationKind, ...EscalationKind[]];

const SEVERITY: Readonly<Record<EscalationKind, string>> = {
  frequencyLimit: '3',
  errorBudget: '2',
  ruleDefect: '3',
  startFailed: '2',
  automationFailed: '2',
  verificationFailed: '2',
  blocked: '2',
  untrackedExecution: '2',
  observed: '4',
};

const iso = (sec: number) => new Date(sec * 1000).toISOString();

/** Builds the evidence of one escalation. */
export function buildEvidence(input: EscalationInput): Evidence {
  const r = input.remediation;
  const timeline = [
    ...input.actions.flatMap((a) =>
      a.remediationId === r.id
        ? []
        : [{ sec: a.atSec, what: `earlier remediation ${a.remediationId}: ${a.state}` }],
    ),
    ...Object.entries(r.stateTimes ?? {}).map(([state, sec]) => ({
      sec: sec ?? 0,
      what: `remediation ${state}`,
    })),
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
    ruleFrozen: input.ruleFrozen,
    guardrails: r.verdicts,
    actions: input.actions.map((a) => ({ ...a, at: iso(a.atSec) })),
    timeline: timeline.map((t) => ({ at: iso(t.sec), what: t.what })),
  };
}

/** The dedup string: one open OpsItem per rule and resource. */
export function dedupStringFor(ruleId: string, resourceId: string): string {
  return `selfheal:${ruleId}:${resourceId}`;
}

/**
 * Longest SNS subject: the Publish API reference says subjects must be "less than 100 characters
 * long", so 100 itself is refused.
 */
export const MAX_SUBJECT_CHARS = 99;

/** SNS subject: printable ASCII only, at most {@link MAX_SUBJECT_CHARS} (SNS rejects anything else). */
export function subjectFor(e: Evidence): string {
  const text = `selfheal: ${e.ruleId} on ${e.resourceId}: ${TITLES[e.kind]}`;
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_SUBJECT_CHARS);
}

/** The SNS message: a readable summary, then the evidence as JSON. */
export function notificationFor(e: Evidence): Notification {
  const lines = [
    `${TITLES[e.kind]}.`,
    `Reason: ${e.reason}`,
    `Rule: ${e.ruleId} (${e.mode})  Resource: ${e.resourceId}  Alarm: ${e.alarm.name}${e.alarm.state === undefined ? '' : ` (${e.alarm.state})`}`,
    `Remediation: ${e.remediation.id} ${e.remediation.state}${e.remediation.executionId === undefined ? '' : `, execution ${e.remediation.executionId}`}`,
    ...(e.ruleFrozen ? ['The rule is frozen until a human resets it.'] : []),
    '',
    'Evidence:',
    JSON.stringify(e, null, 2),
  ];
  return { subject: subjectFor(e), message: lines.join('\n') };
}

// OperationalData values are strings; keep each well inside the 20 KB the whole map may take.
const VALUE_MAX = 3000;
const json = (v: unknown) => {
  const text = JSON.stringify(v);
  return text.length <= VALUE_MAX ? text : `${text.slice(0, VALUE_MAX - 14)}…(truncated)`;
};

/** The CreateOpsItem input: Source `selfheal`, deduplicated per rule and resource. */
export function opsItemFor(e: Evidence): OpsItemRequest {
  const description = [
    `${TITLES[e.kind]}: ${e.reason}`,
    `Alarm ${e.alarm.name}; resource ${e.resourceId}; rule ${e.ruleId} (${e.mode}).`,
    `Actions: ${e.actions.map((a) => `${a.remediationId} ${a.state}${a.executionId === undefined ? '' : ` (${a.executionId})`}`).join('; ') || 'none'}.`,
    'See the operational data for the guardrail verdicts and the timeline.',
  ].join('\n');
  const searchable = (Value: string) => ({ Value, Type: 'SearchableString' as const });
  const plain = (Value: string) => ({ Value, Type: 'String' as const });
  return {
    Source: 'selfheal',
    Title: `selfheal: ${e.ruleId} on ${e.resourceId}: ${TITLES[e.kind]}`.slice(0, 1024),
    Description: description.slice(0, 2048),
    Category: 'Availability',
    Severity: SEVERITY[e.kind],
    OperationalData: {
      '/aws/dedup': searchable(JSON.stringify({ dedupString: dedupStringFor(e.ruleId, e.resourceId) })),
      ...(e.alarm.arn === undefined
        ? {}
        : { '/aws/resources': searchable(JSON.stringify([{ arn: e.alarm.arn }])) }),
      'selfheal:rule': searchable(e.ruleId),
      'selfheal:resource': searchable(e.resourceId),
      'selfheal:kind': searchable(e.kind),
      'selfheal:alarm': plain(json(e.alarm)),
      'selfheal:remediation': plain(json(e.remediation)),
      'selfheal:actions': plain(json(e.actions)),
      'selfheal:guardrails': plain(json(e.guardrails)),
      'selfheal:timeline': plain(json(e.timeline)),
    },
  };
}
