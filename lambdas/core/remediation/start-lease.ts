/**
 * When a `started` remediation's starter can no longer be running. The record cannot tell a
 * starter inside StartAutomationExecution from one that died there, so the event claim's rules
 * decide (./event-claim), timed from when the record entered `started` (a re-drive from `blocked`
 * enters it again): abandoned at once for Lambda's retry of the claim's owner (it ended), else
 * only once the lease is over. Both who may resume such a start use this one rule: a redelivery of
 * its alarm event (./engine-redelivery) and the sweeper (./resume-stalled).
 */
import { type ClaimVerdict, judgeClaim, newClaim } from './event-claim';
import { startedAtSec } from './ledger-apply';
import type { RemediationRecord } from './ledger-records';

/** Who asks, for the owner rule; the sweeper knows no owner and is judged by the lease alone. */
export interface StartResumer {
  /** The request id of the attempt holding the event's claim, if known. */
  readonly ownerRequestId?: string | undefined;
  /** The asking attempt's Lambda request id. */
  readonly requestId?: string | undefined;
}

/** `held` while `record`'s starter may still be running; `abandoned` once it cannot be. */
export function judgeStartLease(
  record: RemediationRecord,
  nowSec: number,
  leaseSec: number,
  resumer: StartResumer = {},
): ClaimVerdict & { readonly startedAtSec: number } {
  const since = startedAtSec(record);
  // The claim's owner, with the lease running from the start instead of the claim.
  const asClaim = newClaim(since, leaseSec, resumer.ownerRequestId);
  return { ...judgeClaim(asClaim, nowSec, leaseSec, resumer.requestId), startedAtSec: since };
}
