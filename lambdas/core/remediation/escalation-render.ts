/**
 * An escalation's evidence rendered for people: the SNS subject and message, and the CreateOpsItem
 * input deduplicated per rule and resource (the evidence itself is built in ./escalation).
 */
import type { Notification, OpsItemRequest } from './engine-ports';
import { actionOutcome, type EscalationKind, type Evidence, escalationTitle } from './escalation';
import { automationLines } from './escalation-automation-lines';
import { operationalDataFor } from './escalation-operational-data';
import { ESCALATION_KEY, escalationValue } from './escalation-opsitem-identity';

/** OpsCenter severity (1 highest) per kind. */
const SEVERITY: Readonly<Record<EscalationKind, string>> = {
  frequencyLimit: '3',
  errorBudget: '2',
  ruleDefect: '3',
  startFailed: '2',
  automationFailed: '2',
  verificationFailed: '2',
  automationOverran: '2',
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

/**
 * The one-line headline of an escalation, the SNS subject and the OpsItem title alike: printable
 * ASCII only, anything else (a line break in a hostile resource id, say) as `?`. SNS rejects a
 * subject with anything else, and CreateOpsItem a title with a line terminator (its pattern
 * `^(?!\s*$).+`); the raw values are in the evidence.
 */
function headlineFor(e: Evidence): string {
  const text = `selfheal: ${e.ruleId} on ${e.resourceId}: ${escalationTitle(e.kind)}`;
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** SNS subject: the headline, at most {@link MAX_SUBJECT_CHARS}. */
export function subjectFor(e: Evidence): string {
  return headlineFor(e).slice(0, MAX_SUBJECT_CHARS);
}

/** Longest OpsItem title: the CreateOpsItem API reference's "Maximum length of 1024". */
export const MAX_TITLE_CHARS = 1024;

/** The SNS message: a readable summary, then the evidence as JSON. */
export function notificationFor(e: Evidence): Notification {
  const lines = [
    `${escalationTitle(e.kind)}.`,
    `Reason: ${e.reason}`,
    `Rule: ${e.ruleId} (${e.mode})  Resource: ${e.resourceId}  Alarm: ${e.alarm.name}${e.alarm.state === undefined ? '' : ` (${e.alarm.state})`}`,
    `Remediation: ${e.remediation.id} ${e.remediation.state}${e.remediation.executionId === undefined ? '' : `, execution ${e.remediation.executionId}`}`,
    ...(e.automation === undefined ? [] : automationLines(e.automation)),
    ...unreadableNote(e),
    ...olderActionsNote(e),
    ...(e.ruleFrozen ? ['The rule is frozen until a human resets it.'] : []),
    '',
    'Evidence:',
    JSON.stringify(e, null, 2),
  ];
  return { subject: subjectFor(e), message: lines.join('\n') };
}

/** Longest OpsItem description: the CreateOpsItem API reference's "Maximum length of 2048". */
export const MAX_DESCRIPTION_CHARS = 2048;

/**
 * Characters a new OpsItem's description leaves free for the line a later escalation
 * deduplicated into it writes (./escalation-opsitem-update), its line break included.
 */
export const LATER_LINE_RESERVE_CHARS = 300;

/** Longest description CreateOpsItem is sent: {@link LATER_LINE_RESERVE_CHARS} less than the limit. */
export const CREATE_DESCRIPTION_MAX_CHARS = MAX_DESCRIPTION_CHARS - LATER_LINE_RESERVE_CHARS;

/**
 * The CreateOpsItem input: Source `selfheal`, deduplicated per rule and resource, its operational
 * data fitted to OpsCenter's limits (./escalation-operational-data) and its description to
 * {@link CREATE_DESCRIPTION_MAX_CHARS}, each saying what it left out.
 */
export function opsItemFor(e: Evidence): OpsItemRequest {
  const searchable = (Value: string) => ({ Value, Type: 'SearchableString' as const });
  const { data, actionsListed } = operationalDataFor(e, {
    '/aws/dedup': searchable(JSON.stringify({ dedupString: dedupStringFor(e.ruleId, e.resourceId) })),
    ...(e.alarm.arn === undefined
      ? {}
      : { '/aws/resources': searchable(JSON.stringify([{ arn: e.alarm.arn }])) }),
    'selfheal:rule': searchable(e.ruleId),
    'selfheal:resource': searchable(e.resourceId),
    'selfheal:kind': searchable(e.kind),
    // Which escalation created it, so a CreateOpsItem made again knows its own OpsItem.
    [ESCALATION_KEY]: {
      Value: escalationValue({ kind: e.kind, remediationId: e.remediation.id }),
      Type: 'String',
    },
  });
  const head = [
    `${escalationTitle(e.kind)}: ${e.reason}`,
    `Alarm ${e.alarm.name}; resource ${e.resourceId}; rule ${e.ruleId} (${e.mode}).`,
    ...(e.automation === undefined ? [] : automationLines(e.automation)),
    // Before the actions, whose line (up to 50 of them) is what the length limit shortens.
    ...unreadableNote(e),
    ...olderActionsNote(e),
    ...(data['selfheal:omitted'] === undefined
      ? []
      : [
          "Some operational data lists leave out their oldest entries to fit OpsCenter's size limit (selfheal:omitted says how many); the SNS message has them all.",
        ]),
    `See the operational data for the guardrail verdicts${e.automation === undefined ? '' : ', the automation (selfheal:automation)'} and the timeline.`,
  ];
  return {
    Source: 'selfheal',
    Title: headlineFor(e).slice(0, MAX_TITLE_CHARS),
    Description: fitDescription([...head, ...actionsLines(e, head, actionsListed)].join('\n')),
    Category: 'Availability',
    Severity: SEVERITY[e.kind],
    OperationalData: data,
  };
}

/**
 * `text` when it fits in {@link CREATE_DESCRIPTION_MAX_CHARS}, else its start with a last line saying how
 * many characters were left out and where they are. Only a head longer than the limit comes here
 * (a long reason, many unreadable items); the Actions line is fitted on its own ({@link actionsLines}).
 */
function fitDescription(text: string): string {
  if (text.length <= CREATE_DESCRIPTION_MAX_CHARS) return text;
  const note = (cut: number) =>
    `\n[cut: the last ${cut} characters of this description are left out; the SNS message has the whole evidence]`;
  // The note with the whole length in place of the count cut is at least as long as the note itself.
  let kept = text.slice(0, CREATE_DESCRIPTION_MAX_CHARS - note(text.length).length);
  // Never half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}${note(text.length - kept.length)}`;
}

/**
 * The description's Actions line, with as many of the newest actions, whole, as fit after `head`,
 * and before it, when not all fit, a note saying how many it lists of how many, and where the
 * others are (`inData`: how many `selfheal:actions` lists).
 */
function actionsLines(e: Evidence, head: readonly string[], inData: number): string[] {
  const total = e.actions.length;
  if (total === 0) return ['Actions: none.'];
  const entries = e.actions.map(
    (a) =>
      `${a.remediationId} ${actionOutcome(a)}${a.executionId === undefined ? '' : ` (${a.executionId})`}`,
  );
  const all = `Actions: ${entries.join('; ')}.`;
  const headChars = head.reduce((n, line) => n + line.length + 1, 0);
  if (headChars + all.length <= CREATE_DESCRIPTION_MAX_CHARS) return [all];
  // The note with `total` in place of the count shown is at least as long as the note itself.
  const room = CREATE_DESCRIPTION_MAX_CHARS - headChars - shownNote(total, total, inData).length - 1;
  let line = 'Actions:';
  let shown = 0;
  for (const entry of entries) {
    const next = `${line}${shown === 0 ? ' ' : '; '}${entry}`;
    if (next.length + 1 > room) break;
    line = next;
    shown += 1;
  }
  return [shownNote(shown, total, inData), `${shown === 0 ? 'Actions: none listed here' : line}.`];
}

/** The note saying that the Actions line lists `shown` of the `total` actions, and where the rest are. */
function shownNote(shown: number, total: number, inData: number): string {
  const elsewhere =
    inData === total
      ? `the operational data (selfheal:actions) and the SNS message list all ${total}`
      : `the operational data (selfheal:actions) lists the newest ${inData}, the SNS message all ${total}`;
  return `The Actions line lists the newest ${shown} of the ${total} earlier actions; ${elsewhere}.`;
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
