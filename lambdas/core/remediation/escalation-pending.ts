/**
 * The sweeper's step over pending escalations (`Ledger.listPendingEscalations`): one SNS has not
 * taken is re-sent (./escalation-resend), one SNS took whose OpsItem CreateOpsItem refused (or
 * whose addition to the open OpsItem failed) gets its OpsItem retried alone
 * (./escalation-opsitem-retry).
 */
import type { EngineDeps } from './engine-ports';
import type { EngineResult } from './engine-result';
import { type OpsItemRetry, retryOpsItem } from './escalation-opsitem-retry';
import { resendEscalation, STALE_ESCALATION_SEC } from './escalation-resend';
import { OVERDUE_LIMIT } from './ledger';
import { forEachListed, type SweepError } from './sweep-steps';

/** What the step did. */
export interface PendingEscalationsHandled {
  /** The re-sends SNS took. */
  readonly resent: readonly EngineResult[];
  /** The OpsItem retries, whatever CreateOpsItem answered. */
  readonly opsItemRetries: readonly OpsItemRetry[];
}

/**
 * Escalations pending since before `nowSec - STALE_ESCALATION_SEC`, at most `OVERDUE_LIMIT`,
 * oldest first. One SNS refuses again stays pending (its error in `errors`) and the next sweep
 * retries it; an OpsItem CreateOpsItem refuses again (or an update of the open OpsItem that fails
 * again) is recorded, not an error (the `OpsItemsFailed` metric counts it), and retried while its
 * bound allows.
 */
export async function handlePendingEscalations(
  deps: EngineDeps,
  sweepId: string,
  nowSec: number,
  errors: SweepError[],
): Promise<PendingEscalationsHandled> {
  const olderThanSec = nowSec - STALE_ESCALATION_SEC;
  const { done } = await forEachListed(
    're-send escalations',
    () => deps.ledger.listPendingEscalations(olderThanSec, OVERDUE_LIMIT),
    async (record) =>
      record.escalation?.snsMessageId === undefined
        ? { resent: await resendEscalation(record, deps, sweepId, { takeOverStale: true }) }
        : { retried: await retryOpsItem(record, deps) },
    errors,
  );
  return {
    resent: done.flatMap((d) => ('resent' in d && d.resent !== undefined ? [d.resent] : [])),
    opsItemRetries: done.flatMap((d) => ('retried' in d && d.retried !== undefined ? [d.retried] : [])),
  };
}
