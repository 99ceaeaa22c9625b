/**
 * Which escalation an OpsItem, or an entry in it, is about, and whether OpsCenter still keeps the
 * OpsItem open. One remediation may be escalated twice (its own escalation, then the
 * `untrackedExecution` one of a start race's loser: ./engine-start-overtaken), so an escalation
 * is named by its kind and its remediation's id together.
 *
 * - The create path writes {@link ESCALATION_KEY} into the OpsItem's OperationalData: an
 *   OpsItem OpsCenter "deduplicates" a CreateOpsItem into may be the one that very escalation
 *   created, when the first call's answer was lost (a timeout, the SDK's retry, a Lambda killed
 *   mid-call) and the call is made again; that OpsItem is the escalation's own, not one it is a
 *   later escalation of.
 * - A later escalation's evidence goes under {@link laterKeyFor}, which a re-send of the same
 *   escalation finds again, and another escalation about the same remediation does not.
 * - OpsCenter deduplicates only into an OpsItem whose status is open or in progress: "If the
 *   status of an existing OpsItem is open or in progress, the OpsItem is not created. If the
 *   existing OpsItem is resolved, Systems Manager creates a new OpsItem."
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/OpsCenter-working-deduplication.html).
 *   GetOpsItem answers `Status`, one of `Open`, `InProgress`, `Resolved` and the change-request
 *   and runbook statuses (`Pending`, `Closed`, `Failed`, …:
 *   https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetOpsItem.html, the
 *   `OpsItem` data type); only `Open` and `InProgress` count as open ({@link keptOpen}).
 */
import type { OpsItemContent, OpsItemDataValue } from './engine-ports';
import type { EscalationKind } from './escalation';

/** The escalation an OpsItem, or a later entry in it, is about. */
export interface EscalationIdentity {
  readonly kind: EscalationKind;
  readonly remediationId: string;
}

/** OperationalData key, written on create, naming the escalation that created the OpsItem. */
export const ESCALATION_KEY = 'selfheal:escalation';

/** Prefix of the key each later escalation's evidence is stored under. */
export const LATER_KEY_PREFIX = 'selfheal:later:';

/** Longest OperationalData key: the API references' "maximum length of 128 characters". */
export const MAX_KEY_CHARS = 128;

/** The statuses in which OpsCenter deduplicates a CreateOpsItem into the OpsItem. */
const OPEN_STATUSES: ReadonlySet<string> = new Set(['Open', 'InProgress']);

/** The {@link ESCALATION_KEY} value of escalation `e`: JSON of its kind and remediation id. */
export function escalationValue(e: EscalationIdentity): string {
  return JSON.stringify({ kind: e.kind, remediationId: e.remediationId });
}

/**
 * Whether `content` is the OpsItem escalation `e` itself created: its {@link ESCALATION_KEY}, or
 * for an OpsItem created before that key was written, its `selfheal:kind` and the id in its
 * `selfheal:remediation`, name `e`.
 */
export function createdBy(content: OpsItemContent, e: EscalationIdentity): boolean {
  const own = parsed(content.OperationalData[ESCALATION_KEY]);
  if (own !== undefined) return own.kind === e.kind && own.remediationId === e.remediationId;
  const remediation = parsed(content.OperationalData['selfheal:remediation']);
  return content.OperationalData['selfheal:kind']?.Value === e.kind && remediation?.id === e.remediationId;
}

/**
 * Whether OpsCenter keeps the OpsItem open (`Open` or `InProgress`). An answer without a status
 * (GetOpsItem does not promise one) counts as open, as OpsCenter's own deduplication answered.
 */
export function keptOpen(content: Pick<OpsItemContent, 'Status'>): boolean {
  return content.Status === undefined || OPEN_STATUSES.has(content.Status);
}

/**
 * The key of escalation `e`'s later entry, `selfheal:later:<kind>:<remediation id>`: at most
 * {@link MAX_KEY_CHARS}, the kind always kept and the id's end kept.
 */
export function laterKeyFor(e: EscalationIdentity): string {
  const head = `${LATER_KEY_PREFIX}${e.kind}:`;
  return `${head}${e.remediationId.slice(-(MAX_KEY_CHARS - head.length))}`;
}

/**
 * Whether `data` already holds escalation `e`'s later entry: under its key, or under the key
 * written before keys named the kind (`selfheal:later:<remediation id>`) with `e`'s kind.
 */
export function holdsLaterEntry(
  data: Readonly<Record<string, OpsItemDataValue>>,
  e: EscalationIdentity,
): boolean {
  if (data[laterKeyFor(e)] !== undefined) return true;
  const legacy =
    data[`${LATER_KEY_PREFIX}${e.remediationId.slice(-(MAX_KEY_CHARS - LATER_KEY_PREFIX.length))}`];
  return legacy !== undefined && parsed(legacy)?.kind === e.kind;
}

function parsed(v: OpsItemDataValue | undefined): Record<string, unknown> | undefined {
  if (v === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(v.Value);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
