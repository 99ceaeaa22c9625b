/**
 * Retrying the OpsItem of an escalation SNS took but CreateOpsItem refused (a throttled burst,
 * access denied, a quota): the escalation stays pending for its OpsItem alone (./ledger-apply
 * `opsItemPending`) and the sweeper calls CreateOpsItem again, at most `MAX_OPS_ITEM_ATTEMPTS`
 * calls in all. SNS is never sent again: people were told, and the message said the OpsItem was
 * missing and would be retried.
 */
import type { EngineDeps } from './engine-ports';
import type { UnreadableItem } from './escalation';
import { buildEvidence } from './escalation';
import { recordedEscalation } from './escalation-resend';
import { openOpsItem } from './escalation-send';
import { opsItemPending } from './ledger-apply';
import type { RemediationRecord } from './ledger-records';

/** What one retry of an escalation's OpsItem did. */
export interface OpsItemRetry {
  readonly remediationId: string;
  readonly ruleId: string;
  readonly resourceId: string;
  /** The OpsItem this retry created (or found open: `deduplicated`). */
  readonly opsItemId?: string;
  readonly deduplicated?: boolean;
  /** Why this retry's CreateOpsItem failed. */
  readonly opsItemError?: string;
  /** CreateOpsItem calls that failed for the escalation so far, this one included. */
  readonly opsItemFailures: number;
  /** The call failed and the sweeper calls again (below `MAX_OPS_ITEM_ATTEMPTS`). */
  readonly retriedAgain: boolean;
  /** Ledger items the evidence's earlier actions left out (./escalation-send `actionsOn`). */
  readonly unreadableLedgerItems?: readonly UnreadableItem[];
}

/**
 * Calls CreateOpsItem again for `record`'s escalation and records what it gave; undefined when
 * the escalation does not wait for its OpsItem (SNS has not taken it: that is a re-send, or it has
 * its OpsItem, or the retries are spent). The OpsItem describes the escalation as it was sent (its
 * time, kind and reason), with the alarm the record names, so OpsCenter deduplicates it against
 * the same rule, resource and alarm.
 */
export async function retryOpsItem(
  record: RemediationRecord,
  deps: EngineDeps,
): Promise<OpsItemRetry | undefined> {
  const previous = record.escalation;
  if (previous?.snsMessageId === undefined || !opsItemPending(previous)) return undefined;
  const evidence = buildEvidence(await recordedEscalation(record, previous, deps, previous.atSec));
  const ops = await openOpsItem(deps.escalator, evidence, previous);
  const { opsItemError: _error, opsItemFailures: _failures, ...kept } = previous;
  const { deduplicated, ...opsRecord } = ops;
  const escalation = { ...kept, ...opsRecord };
  await deps.ledger.recordEscalation(record.id, escalation);
  const failures = escalation.opsItemFailures ?? 0;
  const unreadable = evidence.unreadableLedgerItems ?? [];
  return {
    remediationId: record.id,
    ruleId: record.ruleId,
    resourceId: record.resourceId,
    ...('opsItemId' in ops ? { opsItemId: ops.opsItemId, deduplicated: deduplicated === true } : {}),
    ...('opsItemError' in ops ? { opsItemError: ops.opsItemError } : {}),
    opsItemFailures: failures,
    retriedAgain: opsItemPending(escalation),
    ...(unreadable.length === 0 ? {} : { unreadableLedgerItems: unreadable }),
  };
}
