/**
 * A later escalation OpsCenter deduplicated into an open OpsItem (CreateOpsItem answered
 * OpsItemAlreadyExistsException for the same `/aws/dedup` string and related alarm) is added to
 * that OpsItem, so an SRE working it sees every failure, not only the first one:
 *
 * - its evidence, in short, under its own key `selfheal:later:<kind>:<remediation id>`
 *   (./escalation-opsitem-identity), which never overwrites the first escalation's keys nor another
 *   later escalation's (one about the same remediation included); a re-send of the same escalation
 *   finds its key already there and changes nothing (no second copy);
 * - `selfheal:laterCount`, how many later escalations were added;
 * - the Description's last line, replaced at each update, saying how many and which was newest.
 *
 * Limits (CreateOpsItem and UpdateOpsItem API references,
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_UpdateOpsItem.html and
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateOpsItem.html):
 * an OperationalData key of at most 128 characters, a value of at most 20 KB, and a Description of
 * at most 2,048 characters. The whole map is kept under `OPERATIONAL_DATA_MAX_BYTES` as the create
 * path keeps it (./escalation-operational-data); the create path leaves `LATER_RESERVE_BYTES` of it
 * and `LATER_LINE_RESERVE_CHARS` of the Description free for this. When the map is full, the oldest
 * `selfheal:later:*` keys are deleted (OperationalDataToDelete) until the new one fits: the
 * first escalation's keys are never touched, the count and the Description line still count the
 * deleted ones, and every escalation's SNS message and `selfheal history` keep the whole evidence.
 */
import {
  describeError,
  type Escalator,
  type OpsItemContent,
  type OpsItemDataValue,
  type OpsItemUpdateRequest,
} from './engine-ports';
import type { EscalationKind, Evidence } from './escalation';
import { utf8Bytes } from './escalation-automation';
import { OPERATIONAL_DATA_MAX_BYTES, sizeOf } from './escalation-operational-data';
import {
  createdBy,
  type EscalationIdentity,
  holdsLaterEntry,
  keptOpen,
  LATER_KEY_PREFIX,
  laterKeyFor,
} from './escalation-opsitem-identity';
import { LATER_LINE_RESERVE_CHARS, MAX_DESCRIPTION_CHARS } from './escalation-render';

/** Key of the count of later escalations added to the OpsItem. */
export const LATER_COUNT_KEY = 'selfheal:laterCount';

/** Bytes one later escalation's value may take (far below the 20 KB a value may have). */
export const LATER_ENTRY_MAX_BYTES = 1_700;

/** How the Description's later-escalations line starts (it is always the last line). */
const LINE_PREFIX = 'Later escalations deduplicated into this OpsItem: ';

/**
 * The UpdateOpsItem input adding escalation `e` (sent at `atSec`) to an OpsItem holding `current`,
 * or undefined when its key is already there (a re-send of an escalation already added).
 */
export function opsItemUpdateFor(
  current: OpsItemContent,
  e: Evidence,
  atSec: number,
): OpsItemUpdateRequest | undefined {
  const identity = identityOf(e);
  if (holdsLaterEntry(current.OperationalData, identity)) return undefined;
  const key = laterKeyFor(identity);
  const entry = plain(laterEntryFor(e, atSec));
  const count = plain(String(countOf(current.OperationalData) + 1));
  const { [LATER_COUNT_KEY]: _count, ...others } = current.OperationalData;
  let size = sizeOf(others) + sizeOf({ [key]: entry, [LATER_COUNT_KEY]: count });
  const older = laterEntriesOldestFirst(current.OperationalData);
  const toDelete: string[] = [];
  for (const old of older) {
    if (size <= OPERATIONAL_DATA_MAX_BYTES) break;
    toDelete.push(old.key);
    size -= old.bytes;
  }
  // A map full of other keys (an OpsItem created without the reserve): only the count and the line.
  const stored = size <= OPERATIONAL_DATA_MAX_BYTES;
  const line = laterLine({
    count: Number(count.Value),
    kept: older.length - (stored ? toDelete.length - 1 : 0),
    stored,
    newest: { atSec, kind: e.kind, remediationId: e.remediation.id },
  });
  return {
    Description: withLaterLine(current.Description, line),
    OperationalData: stored ? { [key]: entry, [LATER_COUNT_KEY]: count } : { [LATER_COUNT_KEY]: count },
    ...(stored && toDelete.length > 0 ? { OperationalDataToDelete: toDelete } : {}),
  };
}

/**
 * One later escalation's value: what happened, to which remediation, and why, as JSON of at most
 * {@link LATER_ENTRY_MAX_BYTES}; long texts are cut (the SNS message has them whole).
 */
export function laterEntryFor(e: Evidence, atSec: number): string {
  const entry = (textChars: number) =>
    JSON.stringify({
      at: iso(atSec),
      kind: e.kind,
      reason: cut(e.reason, textChars),
      remediation: {
        id: e.remediation.id,
        state: e.remediation.state,
        ...(e.remediation.documentName === undefined ? {} : { documentName: e.remediation.documentName }),
        ...(e.remediation.executionId === undefined ? {} : { executionId: e.remediation.executionId }),
      },
      ...(e.alarm.state === undefined ? {} : { alarmState: cut(e.alarm.state, textChars) }),
      ...(e.automation?.AutomationExecutionStatus === undefined
        ? {}
        : { automationStatus: e.automation.AutomationExecutionStatus }),
      ...(e.automation?.FailureMessage === undefined
        ? {}
        : { failureMessage: cut(e.automation.FailureMessage, textChars) }),
      ...(e.automation?.consoleUrl === undefined ? {} : { consoleUrl: e.automation.consoleUrl }),
      evidence: 'the SNS message of this escalation, and selfheal history',
    });
  // Halving the texts' share until it fits; ids, states and the console URL are short.
  for (let chars = 600; chars >= 25; chars = Math.floor(chars / 2)) {
    const text = entry(chars);
    if (utf8Bytes(text) <= LATER_ENTRY_MAX_BYTES) return text;
  }
  return JSON.stringify({ at: iso(atSec), kind: e.kind, remediation: e.remediation.id.slice(-200) });
}

/** The later escalations stored, oldest first (by their `at`; an unreadable one counts as oldest). */
function laterEntriesOldestFirst(
  data: Readonly<Record<string, OpsItemDataValue>>,
): { key: string; bytes: number; at: string }[] {
  return Object.entries(data)
    .filter(([key]) => key.startsWith(LATER_KEY_PREFIX))
    .map(([key, v]) => ({ key, bytes: utf8Bytes(key) + utf8Bytes(v.Value), at: atOf(v.Value) }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : 1));
}

function atOf(value: string): string {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null && 'at' in parsed && typeof parsed.at === 'string') {
      return parsed.at;
    }
  } catch {
    // not ours, or hand-edited: oldest
  }
  return '';
}

/** How many later escalations the OpsItem says it holds (0 when it says nothing readable). */
function countOf(data: Readonly<Record<string, OpsItemDataValue>>): number {
  const n = Number(data[LATER_COUNT_KEY]?.Value);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The Description's later-escalations line, at most {@link LATER_LINE_RESERVE_CHARS} characters. */
function laterLine(p: {
  count: number;
  kept: number;
  stored: boolean;
  newest: { atSec: number; kind: EscalationKind; remediationId: string };
}): string {
  const where = p.stored
    ? `the newest ${p.kept} under ${LATER_KEY_PREFIX}<kind>:<remediation id> in the operational data`
    : 'not in the operational data (full)';
  const text = `${LINE_PREFIX}${p.count} (newest ${iso(p.newest.atSec)}, ${p.newest.kind}, ${p.newest.remediationId}); ${where}; each SNS message has its whole evidence.`;
  return cut(text, LATER_LINE_RESERVE_CHARS - 1);
}

/**
 * `description` with `line` as its last line, in place of an earlier later-escalations line; the
 * description's end is cut only when the OpsItem was created without the reserve.
 */
function withLaterLine(description: string, line: string): string {
  const lines = description.split('\n');
  const base = lines.at(-1)?.startsWith(LINE_PREFIX) === true ? lines.slice(0, -1).join('\n') : description;
  const room = MAX_DESCRIPTION_CHARS - line.length - 1;
  let kept = base.length <= room ? base : base.slice(0, room);
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}\n${line}`;
}

/** What one UpdateOpsItem attempt (with its read) gave, and the failed attempts so far. */
export type OpsItemUpdateOutcome =
  | { readonly opsItemUpdated: true; readonly opsItemUpdateFailures?: number }
  | { readonly opsItemUpdateError: string; readonly opsItemUpdateFailures: number };

/**
 * What reading the OpsItem found before any update: it is the escalation's own (`own`: created by
 * it, its CreateOpsItem answer lost), or OpsCenter no longer keeps it open (`closed`: its status).
 */
export type OpsItemNotUpdated = { readonly own: true } | { readonly closed: string };

/**
 * Reads OpsItem `opsItemId` (GetOpsItem) and adds escalation `e` to it (UpdateOpsItem); never
 * throws. `failedBefore` attempts failed before this one; a failure is counted on top of them.
 * An escalation already there counts as updated, without an UpdateOpsItem call. Nothing is
 * written into an OpsItem the escalation created itself, nor into one that is no longer open
 * (./escalation-opsitem-identity): the answer says which.
 */
export async function addToOpsItem(
  escalator: Escalator,
  opsItemId: string,
  e: Evidence,
  atSec: number,
  failedBefore = 0,
): Promise<OpsItemUpdateOutcome | OpsItemNotUpdated> {
  try {
    const current = await escalator.readOpsItem(opsItemId);
    if (createdBy(current, identityOf(e))) return { own: true };
    if (!keptOpen(current)) return { closed: current.Status ?? '' };
    const update = opsItemUpdateFor(current, e, atSec);
    if (update !== undefined) await escalator.updateOpsItem(opsItemId, update);
    return { opsItemUpdated: true, ...(failedBefore === 0 ? {} : { opsItemUpdateFailures: failedBefore }) };
  } catch (error) {
    return { opsItemUpdateError: describeError(error), opsItemUpdateFailures: failedBefore + 1 };
  }
}

function identityOf(e: Evidence): EscalationIdentity {
  return { kind: e.kind, remediationId: e.remediation.id };
}

const iso = (sec: number) => new Date(sec * 1000).toISOString();

function cut(text: string, chars: number): string {
  if (text.length <= chars) return text;
  let kept = text.slice(0, Math.max(0, chars - 1));
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}…`;
}

function plain(Value: string): OpsItemDataValue {
  return { Value, Type: 'String' };
}
