/**
 * An escalation's evidence as the OpsItem's OperationalData, fitted to OpsCenter's limits. The
 * CreateOpsItem API reference documents a key of at most 128 characters and a value of at most
 * 20 KB; we keep the whole map under {@link OPERATIONAL_DATA_MAX_BYTES} as well, so it is never
 * refused whatever else OpsCenter counts, {@link LATER_RESERVE_BYTES} of it left free for a later
 * escalation deduplicated into the OpsItem (./escalation-opsitem-update). Every value stays valid
 * JSON: a list too long for its share leaves out whole entries (the oldest), and
 * `selfheal:omitted` says how many per key. The
 * escalated remediation's own timeline (its states and the escalation) is always kept; the
 * entries about earlier actions go first, oldest first. The SNS message carries everything.
 */
import type { OpsItemDataValue } from './engine-ports';
import { type Evidence, isEarlierActionEntry } from './escalation';
import { AUTOMATION_SUMMARY_MAX_BYTES, utf8Bytes } from './escalation-automation';

/** Bytes (UTF-8) the whole map, keys and values, may take. */
export const OPERATIONAL_DATA_MAX_BYTES = 20_000;

/**
 * Bytes a new OpsItem's map leaves free for one later escalation deduplicated into it
 * (./escalation-opsitem-update): its key (at most 128 characters), its value (at most
 * `LATER_ENTRY_MAX_BYTES`) and the count.
 */
export const LATER_RESERVE_BYTES = 2_000;

/**
 * The share of each value before the actions, which take what is left: the sum stays well under
 * the map's budget, so the actions always get some, and the timeline always has room for the
 * remediation's own entries (a handful of states and the escalation).
 */
const SHARE_BYTES = {
  'selfheal:alarm': 2_000,
  // The summary is fitted to this already (./escalation-automation), so it is always whole.
  'selfheal:automation': AUTOMATION_SUMMARY_MAX_BYTES,
  'selfheal:remediation': 2_500,
  'selfheal:guardrails': 3_000,
  'selfheal:unreadable': 2_500,
  'selfheal:timeline': 5_000,
} as const;

/** Room kept for `selfheal:omitted` (a few counts). */
const OMITTED_RESERVE_BYTES = 200;

/** The OperationalData, and how many of the evidence's actions `selfheal:actions` lists. */
interface FittedOperationalData {
  readonly data: Readonly<Record<string, OpsItemDataValue>>;
  readonly actionsListed: number;
}

/**
 * The CreateOpsItem OperationalData of evidence `e` (see the file comment): the `searchable` keys
 * the caller built, whole, then the evidence's values fitted to what they leave.
 */
export function operationalDataFor(
  e: Evidence,
  searchable: Readonly<Record<string, OpsItemDataValue>>,
): FittedOperationalData {
  const data: Record<string, OpsItemDataValue> = { ...searchable };
  const omitted: Record<string, number> = {};
  const put = (key: string, fitted: { value: string; omitted: number }) => {
    data[key] = plain(fitted.value);
    if (fitted.omitted > 0) omitted[key] = fitted.omitted;
  };
  put('selfheal:alarm', wholeOrNotice(e.alarm, SHARE_BYTES['selfheal:alarm']));
  put('selfheal:remediation', wholeOrNotice(e.remediation, SHARE_BYTES['selfheal:remediation']));
  if (e.automation !== undefined) {
    put('selfheal:automation', wholeOrNotice(e.automation, SHARE_BYTES['selfheal:automation']));
  }
  put('selfheal:guardrails', firstEntries(e.guardrails, SHARE_BYTES['selfheal:guardrails']));
  if (e.unreadableLedgerItems !== undefined) {
    put('selfheal:unreadable', firstEntries(e.unreadableLedgerItems, SHARE_BYTES['selfheal:unreadable']));
  }
  put('selfheal:timeline', ownTimelineFirst(e.timeline, SHARE_BYTES['selfheal:timeline']));
  const left =
    OPERATIONAL_DATA_MAX_BYTES -
    LATER_RESERVE_BYTES -
    sizeOf(data) -
    OMITTED_RESERVE_BYTES -
    utf8Bytes('selfheal:actions');
  // Newest first: the oldest are left out.
  const actions = firstEntries(e.actions, left);
  put('selfheal:actions', actions);
  if (Object.keys(omitted).length > 0) data['selfheal:omitted'] = plain(JSON.stringify(omitted));
  return { data, actionsListed: e.actions.length - actions.omitted };
}

/** Bytes of the map's keys and values. */
export function sizeOf(data: Readonly<Record<string, OpsItemDataValue>>): number {
  return Object.entries(data).reduce((n, [key, v]) => n + utf8Bytes(key) + utf8Bytes(v.Value), 0);
}

/** `entries` as a JSON array of at most `maxBytes`: the first ones that fit, whole. */
function firstEntries(entries: readonly unknown[], maxBytes: number): { value: string; omitted: number } {
  const kept: string[] = [];
  let size = 2; // the brackets
  for (const entry of entries) {
    const text = JSON.stringify(entry);
    const next = size + utf8Bytes(text) + (kept.length > 0 ? 1 : 0);
    if (next > maxBytes) break;
    kept.push(text);
    size = next;
  }
  return { value: `[${kept.join(',')}]`, omitted: entries.length - kept.length };
}

/**
 * The timeline (oldest first) as a JSON array of at most `maxBytes`: the remediation's own
 * entries always, and as many of the newest entries about earlier actions as fit.
 */
function ownTimelineFirst(
  timeline: Evidence['timeline'],
  maxBytes: number,
): { value: string; omitted: number } {
  const texts = timeline.map((entry) => ({ entry, text: JSON.stringify(entry) }));
  const own = texts.filter(({ entry }) => !isEarlierActionEntry(entry.what));
  let size = 2 + own.reduce((n, { text }) => n + utf8Bytes(text), 0) + Math.max(0, own.length - 1);
  const keep = new Set(own.map(({ entry }) => entry));
  const earlierNewestFirst = texts.filter(({ entry }) => isEarlierActionEntry(entry.what)).reverse();
  for (const { entry, text } of earlierNewestFirst) {
    const next = size + utf8Bytes(text) + (keep.size > 0 ? 1 : 0);
    if (next > maxBytes) break;
    keep.add(entry);
    size = next;
  }
  const kept = texts.filter(({ entry }) => keep.has(entry)).map(({ text }) => text);
  return { value: `[${kept.join(',')}]`, omitted: timeline.length - kept.length };
}

/** `value` as JSON when it fits in `maxBytes`, else a JSON notice saying where it is. */
function wholeOrNotice(value: unknown, maxBytes: number): { value: string; omitted: number } {
  const text = JSON.stringify(value);
  if (utf8Bytes(text) <= maxBytes) return { value: text, omitted: 0 };
  return {
    value: JSON.stringify({
      leftOut: `${utf8Bytes(text)} bytes, over this value's ${maxBytes}; see the SNS message`,
    }),
    omitted: 0,
  };
}

function plain(Value: string): OpsItemDataValue {
  return { Value, Type: 'String' };
}
