/**
 * An escalation's OpsItem calls, for a first send, a re-send and the sweeper's retry alike: the
 * OpsItem (CreateOpsItem, or the one an earlier attempt recorded) and, for an OpsItem OpsCenter
 * kept open, the escalation added to it (./escalation-opsitem-update). Each kind of call gets
 * `MAX_OPS_ITEM_ATTEMPTS` failed attempts in all, whichever path makes them (a re-send while SNS is
 * down included), and each attempt's failed calls are counted once, for `OpsItemsFailed`.
 *
 * - An OpsItem OpsCenter answers (or an earlier attempt recorded) as deduplicated may be the one
 *   this very escalation created, its answer lost: it is recorded as created, and nothing is added.
 * - One no longer open (the SRE resolved it since it was recorded) gets nothing added: CreateOpsItem
 *   is called again, which opens a new OpsItem or names another open one
 *   (./escalation-opsitem-identity).
 */
import { describeError, type Escalator } from './engine-ports';
import type { Evidence } from './escalation';
import { addToOpsItem, type OpsItemUpdateOutcome } from './escalation-opsitem-update';
import { opsItemFor } from './escalation-render';
import { MAX_OPS_ITEM_ATTEMPTS } from './ledger-apply';
import type { EscalationRecord } from './ledger-records';

/**
 * What CreateOpsItem gave (`deduplicated` when OpsCenter kept an open one), or the OpsItem an
 * earlier attempt recorded; or why the last call failed and how many calls have failed for the
 * escalation.
 */
export type OpsItemOutcome =
  | { readonly opsItemId: string; readonly deduplicated: boolean; readonly opsItemFailures?: number }
  | { readonly opsItemError: string; readonly opsItemFailures: number; readonly deduplicated?: never };

/** What an escalation's OpsItem calls gave. */
export interface OpsItemReached {
  readonly ops: OpsItemOutcome;
  /** Empty when there is no OpsItem, or it is not one OpsCenter kept open for another escalation. */
  readonly update: OpsItemUpdateOutcome | Record<string, never>;
  /** Failed attempts of this call (CreateOpsItem, GetOpsItem and UpdateOpsItem): `OpsItemsFailed`. */
  readonly callsFailed: number;
}

/**
 * The OpsItem of `evidence` and, for one OpsCenter kept open, the escalation added to it (sent at
 * `atSec`); never throws. `earlier` is the same escalation as recorded before: the OpsItem it
 * recorded is named again rather than asked for, an update it made is not made again, and its
 * failed calls count towards the bounds (no call is made once they are spent; the last error is
 * kept).
 */
export async function reachOpsItem(
  escalator: Escalator,
  evidence: Evidence,
  atSec: number,
  earlier?: EscalationRecord,
): Promise<OpsItemReached> {
  const recordedId = earlier?.opsItemId;
  let asked = recordedId === undefined;
  let ops =
    recordedId === undefined
      ? await createOrSpent(escalator, evidence, earlier)
      : recorded(recordedId, earlier);
  let callsFailed = createFailed(ops, earlier) ? 1 : 0;
  const failedBefore = earlier?.opsItemUpdateFailures ?? 0;
  for (;;) {
    if (!('opsItemId' in ops) || !ops.deduplicated) return { ops, update: {}, callsFailed };
    if (earlier?.opsItemUpdated === true && earlier.opsItemId === ops.opsItemId) {
      return { ops, update: updated(failedBefore), callsFailed };
    }
    if (failedBefore >= MAX_OPS_ITEM_ATTEMPTS) {
      const error = earlier?.opsItemUpdateError ?? 'not added';
      return { ops, update: { opsItemUpdateError: error, opsItemUpdateFailures: failedBefore }, callsFailed };
    }
    const added = await addToOpsItem(escalator, ops.opsItemId, evidence, atSec, failedBefore);
    if ('own' in added) return { ops: { ...ops, deduplicated: false }, update: {}, callsFailed };
    if ('closed' in added && asked) {
      // OpsCenter deduplicated this very call into it: closed in between. The retry asks again.
      const why = `OpsItem ${ops.opsItemId} is ${added.closed}, no longer open`;
      return {
        ops,
        update: { opsItemUpdateError: why, opsItemUpdateFailures: failedBefore + 1 },
        callsFailed: callsFailed + 1,
      };
    }
    if ('closed' in added) {
      asked = true;
      ops = await createOrSpent(escalator, evidence, earlier);
      if (createFailed(ops, earlier)) callsFailed += 1;
      continue;
    }
    return { ops, update: added, callsFailed: callsFailed + ('opsItemUpdateError' in added ? 1 : 0) };
  }
}

/** OpsItem `opsItemId`, as an earlier attempt (`earlier`) recorded it. */
function recorded(opsItemId: string, earlier: EscalationRecord | undefined): OpsItemOutcome {
  return {
    opsItemId,
    deduplicated: earlier?.opsItemDeduplicated === true,
    ...(earlier?.opsItemFailures === undefined ? {} : { opsItemFailures: earlier.opsItemFailures }),
  };
}

/** CreateOpsItem, unless `earlier`'s failed calls spent the bound: then its last error, no call. */
async function createOrSpent(
  escalator: Escalator,
  evidence: Evidence,
  earlier: EscalationRecord | undefined,
): Promise<OpsItemOutcome> {
  const failed = earlier?.opsItemFailures ?? 0;
  if (failed < MAX_OPS_ITEM_ATTEMPTS) return openOpsItem(escalator, evidence, earlier);
  return { opsItemError: earlier?.opsItemError ?? 'not created', opsItemFailures: failed };
}

/** Whether `ops` is a CreateOpsItem call that failed now (not the bound's last error kept). */
function createFailed(ops: OpsItemOutcome, earlier: EscalationRecord | undefined): boolean {
  return 'opsItemError' in ops && ops.opsItemFailures > (earlier?.opsItemFailures ?? 0);
}

function updated(failedBefore: number): OpsItemUpdateOutcome {
  return { opsItemUpdated: true, ...(failedBefore === 0 ? {} : { opsItemUpdateFailures: failedBefore }) };
}

/**
 * Calls CreateOpsItem for `evidence`; never throws. `earlier` (the escalation as recorded before)
 * carries the count of calls that failed before this one, kept in the outcome either way.
 */
export async function openOpsItem(
  escalator: Escalator,
  evidence: Evidence,
  earlier?: EscalationRecord,
): Promise<OpsItemOutcome> {
  const failedBefore = earlier?.opsItemFailures ?? 0;
  try {
    const { opsItemId, deduplicated } = await escalator.openOpsItem(opsItemFor(evidence));
    return { opsItemId, deduplicated, ...(failedBefore === 0 ? {} : { opsItemFailures: failedBefore }) };
  } catch (error) {
    return { opsItemError: describeError(error), opsItemFailures: failedBefore + 1 };
  }
}
