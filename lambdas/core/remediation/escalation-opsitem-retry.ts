/**
 * Retrying the OpsItem of an escalation SNS took but CreateOpsItem refused (a throttled burst,
 * access denied, a quota), or whose addition to the OpsItem OpsCenter kept open failed: the
 * escalation stays pending for its OpsItem alone (./ledger-apply `opsItemPending`) and the sweeper
 * calls CreateOpsItem (or GetOpsItem and UpdateOpsItem) again, at most `MAX_OPS_ITEM_ATTEMPTS`
 * calls of each in all. SNS is never sent again: people were told, and the message said the
 * OpsItem was missing (or not updated) and would be retried.
 */
import type { EngineDeps } from './engine-ports';
import type { UnreadableItem } from './escalation';
import { buildEvidence } from './escalation';
import { reachOpsItem } from './escalation-opsitem';
import { recordedEscalation } from './escalation-resend';
import { opsItemPending } from './ledger-apply';
import type { RemediationRecord } from './ledger-records';

/** What one retry of an escalation's OpsItem did. */
export interface OpsItemRetry {
  readonly remediationId: string;
  readonly ruleId: string;
  readonly resourceId: string;
  /** The OpsItem this retry created (or found open: `deduplicated`), or the one it updated. */
  readonly opsItemId?: string;
  readonly deduplicated?: boolean;
  /** Why this retry's CreateOpsItem failed. */
  readonly opsItemError?: string;
  /** CreateOpsItem calls that failed for the escalation so far, this one included. */
  readonly opsItemFailures: number;
  /** The escalation was added to the OpsItem OpsCenter kept open (./escalation-opsitem-update). */
  readonly opsItemUpdated?: true;
  /** Why this retry's attempt to add the escalation to the open OpsItem failed. */
  readonly opsItemUpdateError?: string;
  /** Attempts to add it that failed so far, this one included (when one was made). */
  readonly opsItemUpdateFailures?: number;
  /** A call failed and the sweeper tries again (below `MAX_OPS_ITEM_ATTEMPTS`). */
  readonly retriedAgain: boolean;
  /** Ledger items the evidence's earlier actions left out (./escalation-send `actionsOn`). */
  readonly unreadableLedgerItems?: readonly UnreadableItem[];
}

/** Whether retry `r` had a call fail: what the `OpsItemsFailed` metric counts. */
export function retryFailed(r: OpsItemRetry): boolean {
  return r.opsItemError !== undefined || r.opsItemUpdateError !== undefined;
}

/**
 * Calls CreateOpsItem again for `record`'s escalation, or adds it again to the OpsItem OpsCenter
 * kept open for it, and records what it gave; undefined when the escalation does not wait for its
 * OpsItem (SNS has not taken it: that is a re-send, or it has its OpsItem, or the retries are
 * spent). The OpsItem describes the escalation as it was sent (its time, kind and reason), with
 * the alarm the record names, so OpsCenter deduplicates it against the same rule, resource and
 * alarm; an OpsItem found open that way gets the escalation added, one found resolved since is
 * asked for again, and one the escalation created itself is recorded as created
 * (./escalation-opsitem).
 */
export async function retryOpsItem(
  record: RemediationRecord,
  deps: EngineDeps,
): Promise<OpsItemRetry | undefined> {
  const previous = record.escalation;
  if (previous?.snsMessageId === undefined || !opsItemPending(previous)) return undefined;
  const evidence = buildEvidence(await recordedEscalation(record, previous, deps, previous.atSec));
  const { ops, update } = await reachOpsItem(deps.escalator, evidence, previous.atSec, previous);
  const {
    opsItemId: _id,
    opsItemDeduplicated: _deduplicated,
    opsItemUpdated: _updated,
    opsItemError: _error,
    opsItemFailures: _failures,
    opsItemUpdateError: _updateError,
    opsItemUpdateFailures: _updateFailures,
    ...kept
  } = previous;
  const { deduplicated, ...opsRecord } = ops;
  const escalation = {
    ...kept,
    ...opsRecord,
    ...(deduplicated === true ? { opsItemDeduplicated: true as const } : {}),
    ...update,
  };
  await deps.ledger.recordEscalation(record.id, escalation);
  const unreadable = evidence.unreadableLedgerItems ?? [];
  return {
    remediationId: record.id,
    ruleId: record.ruleId,
    resourceId: record.resourceId,
    ...('opsItemId' in ops ? { opsItemId: ops.opsItemId, deduplicated: deduplicated === true } : {}),
    ...('opsItemError' in ops ? { opsItemError: ops.opsItemError } : {}),
    opsItemFailures: escalation.opsItemFailures ?? 0,
    ...update,
    retriedAgain: opsItemPending(escalation),
    ...(unreadable.length === 0 ? {} : { unreadableLedgerItems: unreadable }),
  };
}
