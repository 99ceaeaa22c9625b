/**
 * Sends an escalation through both channels and says what happened: OpsCenter first, so the SNS
 * message can name the OpsItem or say why there is none; SNS always goes. The caller records the
 * returned {@link EscalationRecord} and throws {@link EscalationNotDeliveredError} when SNS failed,
 * so EventBridge retries the event and a retry re-sends (the OpsItem is deduplicated).
 */

import { keepsHoldsClosed } from './engine-closed-holds';
import { describeError, type Escalator } from './engine-ports';
import { buildEvidence, type EscalationInput, type Evidence } from './escalation';
import { notificationFor, opsItemFor } from './escalation-render';
import { type Ledger, splitMalformed, unreadableItem } from './ledger';
import type { EscalationRecord } from './ledger-records';

/** SNS did not take the escalation; the record says so, and the event must be retried. */
export class EscalationNotDeliveredError extends Error {
  override readonly name = 'EscalationNotDeliveredError';
  constructor(
    readonly remediationId: string,
    readonly escalation: EscalationRecord,
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
}

/**
 * Opens (or finds) the OpsItem, then publishes to SNS; never throws. `earlier` is what an earlier
 * attempt at the same escalation recorded (a re-send): the OpsItem it opened is named again, not
 * asked for a second time, so a re-send never forgets it, whatever OpsCenter answers now.
 */
export async function sendEscalation(
  escalator: Escalator,
  input: EscalationInput,
  earlier?: EscalationRecord,
): Promise<SentEscalation> {
  const evidence = buildEvidence(input);
  let ops: { opsItemId: string; deduplicated: boolean } | undefined;
  let opsItemError: string | undefined;
  if (earlier?.opsItemId !== undefined) {
    ops = { opsItemId: earlier.opsItemId, deduplicated: false };
  } else {
    try {
      ops = await escalator.openOpsItem(opsItemFor(evidence));
    } catch (error) {
      opsItemError = describeError(error);
    }
  }
  const base = notificationFor(evidence);
  const opsLine =
    ops === undefined
      ? `OpsItem: could not be created (${opsItemError ?? 'unknown error'})`
      : `OpsItem: ${ops.opsItemId}${ops.deduplicated ? ' (already open for this rule and resource)' : ''}`;
  let snsMessageId: string | undefined;
  let snsError: string | undefined;
  try {
    snsMessageId = await escalator.notify({ ...base, message: `${opsLine}\n${base.message}` });
  } catch (error) {
    snsError = describeError(error);
  }
  return {
    evidence,
    opsItemDeduplicated: ops?.deduplicated ?? false,
    record: {
      reason: input.reason,
      atSec: input.nowSec,
      kind: input.kind,
      ...(snsMessageId === undefined ? {} : { snsMessageId }),
      ...(snsError === undefined ? {} : { snsError }),
      ...(ops === undefined ? {} : { opsItemId: ops.opsItemId }),
      ...(opsItemError === undefined ? {} : { opsItemError }),
    },
  };
}

/** Throws {@link EscalationNotDeliveredError} when the escalation's SNS message did not go. */
export function assertDelivered(remediationId: string, escalation: EscalationRecord | undefined): void {
  if (escalation !== undefined && escalation.snsMessageId === undefined) {
    throw new EscalationNotDeliveredError(remediationId, escalation);
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
