/**
 * An escalation's evidence rendered for people: the SNS subject and message, and the CreateOpsItem
 * input deduplicated per rule and resource (the evidence itself is built in ./escalation).
 */
import type { Notification, OpsItemRequest } from './engine-ports';
import { actionOutcome, type EscalationKind, type Evidence, escalationTitle } from './escalation';

/** OpsCenter severity (1 highest) per kind. */
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
  const text = `selfheal: ${e.ruleId} on ${e.resourceId}: ${escalationTitle(e.kind)}`;
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_SUBJECT_CHARS);
}

/** The SNS message: a readable summary, then the evidence as JSON. */
export function notificationFor(e: Evidence): Notification {
  const lines = [
    `${escalationTitle(e.kind)}.`,
    `Reason: ${e.reason}`,
    `Rule: ${e.ruleId} (${e.mode})  Resource: ${e.resourceId}  Alarm: ${e.alarm.name}${e.alarm.state === undefined ? '' : ` (${e.alarm.state})`}`,
    `Remediation: ${e.remediation.id} ${e.remediation.state}${e.remediation.executionId === undefined ? '' : `, execution ${e.remediation.executionId}`}`,
    ...unreadableNote(e),
    ...olderActionsNote(e),
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
    `${escalationTitle(e.kind)}: ${e.reason}`,
    `Alarm ${e.alarm.name}; resource ${e.resourceId}; rule ${e.ruleId} (${e.mode}).`,
    // Before the actions, whose line (up to 50 of them) is what the 2,048-character cut shortens.
    ...unreadableNote(e),
    ...olderActionsNote(e),
    'See the operational data for the guardrail verdicts and the timeline.',
    `Actions: ${e.actions.map((a) => `${a.remediationId} ${actionOutcome(a)}${a.executionId === undefined ? '' : ` (${a.executionId})`}`).join('; ') || 'none'}.`,
  ].join('\n');
  const searchable = (Value: string) => ({ Value, Type: 'SearchableString' as const });
  const plain = (Value: string) => ({ Value, Type: 'String' as const });
  return {
    Source: 'selfheal',
    Title: `selfheal: ${e.ruleId} on ${e.resourceId}: ${escalationTitle(e.kind)}`.slice(0, 1024),
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
      ...(e.unreadableLedgerItems === undefined
        ? {}
        : { 'selfheal:unreadable': plain(json(e.unreadableLedgerItems)) }),
      'selfheal:guardrails': plain(json(e.guardrails)),
      'selfheal:timeline': plain(json(e.timeline)),
    },
  };
}

/**
 * The line saying which ledger items the evidence could not read and left out of its actions
 * (each by key and first bad field), or none.
 */
function unreadableNote(e: Evidence): string[] {
  const items = e.unreadableLedgerItems ?? [];
  if (items.length === 0) return [];
  const count =
    items.length === 1
      ? '1 ledger item could not be read and is left out'
      : `${items.length} ledger items could not be read and are left out`;
  return [`${count} of the earlier actions: ${items.map((i) => `${i.key} (${i.problem})`).join('; ')}.`];
}

/** The line saying that the resource has older actions than the evidence lists, or none. */
function olderActionsNote(e: Evidence): string[] {
  if (e.olderActionsNotListed !== true) return [];
  const listed = e.actions.length + (e.unreadableLedgerItems?.length ?? 0);
  return [`Only the newest ${listed} earlier actions on the resource are listed; it has older ones.`];
}
