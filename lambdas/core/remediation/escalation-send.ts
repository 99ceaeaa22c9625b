/**
 * Sends an escalation through both channels and says what happened: OpsCenter first (CreateOpsItem,
 * and for an OpsItem OpsCenter kept open, adding the escalation to it), so the SNS message can name
 * the OpsItem or say why there is none; SNS always goes. The caller records the
 * returned {@link EscalationRecord} and throws {@link EscalationNotDeliveredError} when SNS failed,
 * so EventBridge retries the event and a retry re-sends (the OpsItem is deduplicated).
 */

import { keepsHoldsClosed } from './engine-closed-holds';
import { describeError, type EngineDeps, type Escalator } from './engine-ports';
import { type EngineResult, leftOutOf } from './engine-result';
import { buildEvidence, type EscalationInput, type Evidence } from './escalation';
import { type OpsItemOutcome, reachOpsItem } from './escalation-opsitem';
import type { OpsItemUpdateOutcome } from './escalation-opsitem-update';
import { notificationFor } from './escalation-render';
import { type Ledger, splitMalformed, unreadableItem } from './ledger';
import { MAX_OPS_ITEM_ATTEMPTS } from './ledger-apply';
import type { EscalationRecord, RemediationRecord } from './ledger-records';

/** SNS did not take the escalation; the record says so, and the event must be retried. */
export class EscalationNotDeliveredError extends Error {
  override readonly name = 'EscalationNotDeliveredError';
  constructor(
    readonly remediationId: string,
    readonly escalation: EscalationRecord,
    /** OpsItem calls of the send that failed, for `OpsItemsFailed` (./escalation-opsitem). */
    readonly opsItemCallsFailed = 0,
  ) {
    super(
      `escalation of ${remediationId} not delivered: SNS ${escalation.snsError ?? 'ok'}; OpsItem ${escalation.opsItemError ?? escalation.opsItemId ?? 'none'}`,
    );
  }
}

/** What one escalation did. */
export interface SentEscalation {
  readonly record: EscalationRecord;
  readonly evidence: Evidence;
  readonly opsItemDeduplicated: boolean;
  /** OpsItem calls of this send that failed (./escalation-opsitem): what `OpsItemsFailed` counts. */
  readonly opsItemCallsFailed: number;
}

/** The result fields of a send: the ledger items its evidence left out, its failed OpsItem calls. */
export function sentFields(
  sent: SentEscalation,
): Pick<EngineResult, 'unreadableLedgerItems' | 'opsItemCallsFailed'> {
  return {
    ...leftOutOf(sent.evidence),
    ...(sent.opsItemCallsFailed === 0 ? {} : { opsItemCallsFailed: sent.opsItemCallsFailed }),
  };
}

/**
 * Opens (or finds) the OpsItem, adds the escalation to it when OpsCenter kept one already open
 * for another escalation (./escalation-opsitem), then publishes to SNS; never throws. `earlier` is
 * what an earlier attempt at the same escalation recorded (a re-send): the OpsItem it opened is
 * named again, not asked for a second time, so a re-send never forgets it, whatever OpsCenter
 * answers now (unless it is no longer open); its failed CreateOpsItem calls and failed updates
 * count towards their bounds, past which a re-send makes no such call (an update it made is not
 * made again).
 */
export async function sendEscalation(
  escalator: Escalator,
  input: EscalationInput,
  earlier?: EscalationRecord,
): Promise<SentEscalation> {
  const evidence = buildEvidence(input);
  const { ops, update, callsFailed } = await reachOpsItem(escalator, evidence, input.nowSec, earlier);
  const base = notificationFor(evidence);
  // An untracked execution's escalation is not recorded on a remediation, so nothing retries it.
  const line = opsLine(ops, update, input.kind !== 'untrackedExecution');
  let snsMessageId: string | undefined;
  let snsError: string | undefined;
  try {
    snsMessageId = await escalator.notify({ ...base, message: `${line}\n${base.message}` });
  } catch (error) {
    snsError = describeError(error);
  }
  const { deduplicated, ...opsRecord } = ops;
  return {
    evidence,
    opsItemDeduplicated: deduplicated === true,
    opsItemCallsFailed: callsFailed,
    record: {
      reason: input.reason,
      atSec: input.nowSec,
      kind: input.kind,
      ...(snsMessageId === undefined ? {} : { snsMessageId }),
      ...(snsError === undefined ? {} : { snsError }),
      ...opsRecord,
      ...(deduplicated === true ? { opsItemDeduplicated: true as const } : {}),
      ...update,
    },
  };
}

/**
 * The SNS message's first line: the OpsItem (and, for one OpsCenter kept open, whether this
 * escalation was added to it), or why there is none, and whether the sweeper retries what failed
 * (`retriable`: the escalation is recorded on its remediation, and its retries are not spent).
 */
function opsLine(
  ops: OpsItemOutcome,
  update: OpsItemUpdateOutcome | Record<string, never>,
  retriable: boolean,
): string {
  if ('opsItemId' in ops) {
    if (!ops.deduplicated) return `OpsItem: ${ops.opsItemId}`;
    const open = `OpsItem: ${ops.opsItemId} (already open for this rule and resource`;
    if ('opsItemUpdateError' in update) {
      const why = `${open}; this escalation could not be added to it: ${update.opsItemUpdateError})`;
      if (!retriable) return why;
      return update.opsItemUpdateFailures < MAX_OPS_ITEM_ATTEMPTS
        ? `${why}; the sweeper tries again within minutes (selfheal history shows whether it was added)`
        : `${why}; not retried after ${update.opsItemUpdateFailures} failed attempts`;
    }
    return `${open}; this escalation was added to it)`;
  }
  const why = `OpsItem: could not be created (${ops.opsItemError})`;
  if (!retriable) return why;
  return ops.opsItemFailures < MAX_OPS_ITEM_ATTEMPTS
    ? `${why}; the sweeper calls CreateOpsItem again within minutes (selfheal history shows the OpsItem id)`
    : `${why}; not retried after ${ops.opsItemFailures} failed attempts`;
}

/**
 * Sends the escalation of `closed`, the remediation as the write that closed it (or created it
 * closed) returned it: the evidence is built from that record, so its state and its timeline end
 * with the state it was closed in, as a re-send's built from the stored record do
 * (./escalation-resend). Records what the send did under `byEventId`; throws
 * {@link EscalationNotDeliveredError} when its SNS message did not go.
 */
export async function escalateClosed(
  deps: Pick<EngineDeps, 'escalator' | 'ledger'>,
  closed: RemediationRecord,
  input: Omit<EscalationInput, 'remediation'>,
  byEventId: string,
): Promise<{ readonly escalation: EscalationRecord; readonly sent: SentEscalation }> {
  const sent = await sendEscalation(deps.escalator, { ...input, remediation: closed });
  const escalation = { ...sent.record, byEventId };
  await deps.ledger.recordEscalation(closed.id, escalation);
  assertDelivered(closed.id, escalation, sent.opsItemCallsFailed);
  return { escalation, sent };
}

/**
 * Throws {@link EscalationNotDeliveredError} when the escalation's SNS message did not go, naming
 * the send's failed OpsItem calls (`opsItemCallsFailed`), which the function counts all the same.
 */
export function assertDelivered(
  remediationId: string,
  escalation: EscalationRecord | undefined,
  opsItemCallsFailed = 0,
): void {
  if (escalation !== undefined && escalation.snsMessageId === undefined) {
    throw new EscalationNotDeliveredError(remediationId, escalation, opsItemCallsFailed);
  }
}

/** How many of the resource's actions an escalation's evidence lists, newest first. */
const ACTIONS_LIMIT = 50;

/**
 * The evidence's earlier actions: the rule's actions on the resource (`isAction`: it ran, or tried
 * to run, its document), newest first, at most {@link ACTIONS_LIMIT}, read by a key Query on the
 * pair's own index however many other records the ledger holds; `moreActions` says that older ones
 * exist. The list is for a person, not a decision: an item that is not a record (hand-edited, or
 * written by a bug) is left out and returned in `unreadable`, for the evidence to name, so one
 * malformed item cannot hold back every escalation and re-send until it is fixed.
 */
export async function actionsOn(
  ledger: Ledger,
  ruleId: string,
  resourceId: string,
): Promise<Required<Pick<EscalationInput, 'actions' | 'unreadable' | 'moreActions'>>> {
  const listed = await ledger.listActions(ruleId, resourceId, ACTIONS_LIMIT + 1);
  const { records, malformed } = splitMalformed(listed.slice(0, ACTIONS_LIMIT));
  const actions = records.map((r) => ({
    remediationId: r.id,
    state: r.state,
    atSec: r.createdAtSec,
    ...(r.documentName === undefined ? {} : { documentName: r.documentName }),
    ...(r.executionId === undefined ? {} : { executionId: r.executionId }),
    ...(keepsHoldsClosed(r) ? { closedWithoutExecution: true as const } : {}),
  }));
  return {
    actions,
    unreadable: malformed.map(unreadableItem),
    moreActions: listed.length > ACTIONS_LIMIT,
  };
}
