/**
 * The log of every state a remediation entered (`stateLog`), kept beside `stateTimes`, which holds
 * only the last time of each state because the engine times and compares by it (./start-lease,
 * ./engine-closed-holds). A remediation may enter a state twice: a resumed start that could not
 * retake its holds goes `started → blocked`, and the sweeper's re-drive `blocked → started`, with
 * a new deadline each time, so in principle without end. The log is therefore capped, keeping the
 * DynamoDB item small: it keeps its first {@link STATE_LOG_KEPT_FIRST} entries (how the
 * remediation began, its first start included, whose request may have reached SSM) and the newest,
 * and counts the ones left out between them (`stateLogGap`).
 */
import type { RemediationRecord, RemediationState, StateEntry, StateLogGap } from './ledger-records';

/** Most entries a record's `stateLog` holds (about 1 KB of the DynamoDB item at most). */
export const STATE_LOG_MAX_ENTRIES = 32;

/** Entries at the start of a full log that are never left out. */
export const STATE_LOG_KEPT_FIRST = 4;

/**
 * Rank of each state at the same second, in the order a remediation moves through them (a blocked
 * alarm is started later; a resumed start refused a hold goes back to blocked, at a later second).
 * Orders the states of a record written before `stateLog` was kept. A record, so a new state
 * cannot be left out.
 */
export const STATE_ORDER: Readonly<Record<RemediationState, number>> = {
  blocked: 0,
  started: 1,
  verifying: 2,
  dryRun: 3,
  observed: 4,
  skipped: 5,
  resolved: 6,
  escalated: 7,
  failed: 8,
};

/** What a record (or a remediation about to be recorded) says about the states it entered. */
export type StateFacts = Partial<Pick<RemediationRecord, 'stateTimes' | 'stateLog' | 'stateLogGap'>>;

/** The states a remediation entered, oldest first, and the entries a full log left out. */
export interface StateHistory {
  readonly entries: readonly StateEntry[];
  readonly gap?: StateLogGap;
}

/**
 * The states `record` entered: its `stateLog`, or, for a record written before the log was kept,
 * each state of its `stateTimes` once, at the last time it was entered, by time and then in the
 * order a remediation moves through them.
 */
export function stateHistory(record: StateFacts): StateHistory {
  if (record.stateLog !== undefined) {
    return record.stateLogGap === undefined
      ? { entries: record.stateLog }
      : { entries: record.stateLog, gap: record.stateLogGap };
  }
  const entries = (Object.entries(record.stateTimes ?? {}) as [RemediationState, number | undefined][])
    .flatMap(([state, atSec]) => (atSec === undefined ? [] : [{ state, atSec }]))
    .sort((a, b) => a.atSec - b.atSec || STATE_ORDER[a.state] - STATE_ORDER[b.state]);
  return { entries };
}

/**
 * The `stateLog` (and `stateLogGap`) of `record` after it entered `state` at `atSec`. A record
 * written before the log was kept starts it from its `stateTimes`. A full log leaves out its
 * oldest entry after the first {@link STATE_LOG_KEPT_FIRST}, counted in the gap.
 */
export function withStateEntered(
  record: StateFacts,
  state: RemediationState,
  atSec: number,
): Pick<RemediationRecord, 'stateLog' | 'stateLogGap'> {
  const { entries, gap } = stateHistory(record);
  const log = [...entries, { state, atSec }];
  const over = log.length - STATE_LOG_MAX_ENTRIES;
  if (over <= 0) return gap === undefined ? { stateLog: log } : { stateLog: log, stateLogGap: gap };
  // A gap read back keeps its place; one past the cap (a hand edit) cannot push out the newest.
  const after = Math.min(gap?.after ?? STATE_LOG_KEPT_FIRST, STATE_LOG_MAX_ENTRIES - 1);
  log.splice(after, over);
  return { stateLog: log, stateLogGap: { after, count: (gap?.count ?? 0) + over } };
}
