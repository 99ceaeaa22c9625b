/**
 * Pure rules every ledger implementation applies the same way: validating a new record, building
 * the stored record, and applying a transition. Kept here so the in-memory and DynamoDB ledgers
 * cannot drift apart.
 */
import { keepsHoldsClosed } from './engine-closed-holds';
import {
  IllegalTransitionError,
  InvalidRemediationError,
  type LedgerOptions,
  RemediationNotFoundError,
  StateConflictError,
} from './ledger';
import {
  type EscalationRecord,
  INITIAL_STATES,
  isLegalTransition,
  isOpen,
  type NewRemediation,
  type RemediationPatch,
  type RemediationRecord,
  type RemediationState,
} from './ledger-records';
import { withStateEntered } from './state-log';

const DAY_SEC = 86_400;

/** TTL for an item written at `nowSec`. */
export function retentionExpiry(nowSec: number, options: LedgerOptions): number {
  return nowSec + options.retentionDays * DAY_SEC;
}

/** The stored form of a new record; throws `InvalidRemediationError` when it cannot be stored. */
export function buildRecord(
  input: NewRemediation,
  nowSec: number,
  options: LedgerOptions,
): RemediationRecord {
  if (!INITIAL_STATES.has(input.state)) {
    throw new InvalidRemediationError(
      `remediation ${input.id} cannot start in state ${input.state}; use one of ${[...INITIAL_STATES].join(', ')}`,
    );
  }
  if ((isOpen(input.state) || input.state === 'blocked') && input.deadlineSec === undefined) {
    throw new InvalidRemediationError(`remediation ${input.id} is ${input.state} but has no deadlineSec`);
  }
  return {
    ...input,
    stateTimes: { [input.state]: nowSec },
    stateLog: [{ state: input.state, atSec: nowSec }],
    createdAtSec: nowSec,
    updatedAtSec: nowSec,
    expiresAt: retentionExpiry(nowSec, options),
  };
}

/**
 * The record after `from → to` with `patch`, or the typed error explaining why not. `stateTimes`
 * keeps the last time `to` was entered, `stateLog` every time (./state-log). Resolving without an
 * explicit time to recover measures it from the record's creation.
 */
export function applyTransition(
  id: string,
  current: RemediationRecord | undefined,
  from: RemediationState,
  to: RemediationState,
  patch: RemediationPatch,
  nowSec: number,
  options: LedgerOptions,
): RemediationRecord {
  assertLegal(from, to);
  if (current === undefined) throw new RemediationNotFoundError(id);
  if (current.state !== from) throw new StateConflictError(id, from, current.state);
  const next: RemediationRecord = {
    ...current,
    ...patch,
    state: to,
    stateTimes: { ...current.stateTimes, [to]: nowSec },
    ...withStateEntered(current, to, nowSec),
    updatedAtSec: nowSec,
    expiresAt: retentionExpiry(nowSec, options),
  };
  if (to === 'resolved' && patch.timeToRecoverSec === undefined) {
    return { ...next, timeToRecoverSec: nowSec - current.createdAtSec };
  }
  return next;
}

/** Closed states that escalate: the only ones whose escalation can be pending for a re-send. */
export const ESCALATED_STATES: ReadonlySet<RemediationState> = new Set<RemediationState>([
  'escalated',
  'failed',
]);

/**
 * States whose escalation `recordEscalation` may replace: the escalated ones, and `observed`, whose
 * observe-mode notification is recorded before it is sent and its outcome after (never re-sent).
 */
export const NOTIFIED_STATES: ReadonlySet<RemediationState> = new Set<RemediationState>([
  ...ESCALATED_STATES,
  'observed',
]);

/** The record with `escalation` recorded, or the typed error explaining why not. */
export function applyEscalation(
  id: string,
  current: RemediationRecord | undefined,
  escalation: EscalationRecord,
  nowSec: number,
): RemediationRecord {
  if (current === undefined) throw new RemediationNotFoundError(id);
  if (!NOTIFIED_STATES.has(current.state)) throw new StateConflictError(id, 'escalated', current.state);
  return { ...current, escalation, updatedAtSec: nowSec };
}

/** The open record with its automation's success recorded (the first time kept), or the typed error. */
export function applyAutomationSucceeded(
  id: string,
  current: RemediationRecord | undefined,
  atSec: number,
  nowSec: number,
): RemediationRecord {
  if (current === undefined) throw new RemediationNotFoundError(id);
  if (!isOpen(current.state)) throw new StateConflictError(id, 'verifying', current.state);
  return {
    ...current,
    automationSucceededAtSec: current.automationSucceededAtSec ?? atSec,
    updatedAtSec: nowSec,
  };
}

/** Throws `IllegalTransitionError` before any I/O when the state machine forbids the move. */
export function assertLegal(from: RemediationState, to: RemediationState): void {
  if (!isLegalTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/**
 * How many CreateOpsItem calls an escalation gets in all: its first send, then the sweeper's
 * retries, about a minute apart. Enough for a throttled burst to clear; a lasting refusal (access
 * denied, a quota) stops there, each failed call counted in the `OpsItemsFailed` metric.
 */
export const MAX_OPS_ITEM_ATTEMPTS = 5;

/**
 * Whether escalation `e` still waits for its OpsItem: CreateOpsItem failed (counted) fewer than
 * {@link MAX_OPS_ITEM_ATTEMPTS} times and no call has created it, or OpsCenter kept an open
 * OpsItem and adding the escalation to it failed fewer than {@link MAX_OPS_ITEM_ATTEMPTS} times
 * ({@link opsItemUpdatePending}).
 */
export function opsItemPending(e: EscalationRecord): boolean {
  return (
    (e.opsItemId === undefined &&
      e.opsItemFailures !== undefined &&
      e.opsItemFailures < MAX_OPS_ITEM_ATTEMPTS) ||
    opsItemUpdatePending(e)
  );
}

/**
 * Whether escalation `e` still waits to be added to the open OpsItem OpsCenter kept for it:
 * its attempts failed (counted) fewer than {@link MAX_OPS_ITEM_ATTEMPTS} times and none worked.
 */
export function opsItemUpdatePending(e: EscalationRecord): boolean {
  return (
    e.opsItemId !== undefined &&
    e.opsItemDeduplicated === true &&
    e.opsItemUpdated !== true &&
    e.opsItemUpdateFailures !== undefined &&
    e.opsItemUpdateFailures < MAX_OPS_ITEM_ATTEMPTS
  );
}

/**
 * When `record`'s escalation became pending, or undefined when it has none pending: recorded
 * before sending and not yet taken by SNS, or taken by SNS but still waiting for its OpsItem
 * ({@link opsItemPending}; only CreateOpsItem is retried then). The time the record entered its
 * closed state, which never changes, so both ledgers key their pending-escalation index on it
 * deterministically.
 */
export function pendingSince(record: RemediationRecord): number | undefined {
  const escalation = record.escalation;
  if (!ESCALATED_STATES.has(record.state) || escalation === undefined) return undefined;
  if (escalation.snsMessageId !== undefined && !opsItemPending(escalation)) return undefined;
  return closedAtSec(record);
}

/**
 * When a `started` record last entered `started` (a re-drive from `blocked` enters it again): the
 * time a start's lease runs from (./start-lease), and the sort key both ledgers list stalled
 * starts by.
 */
export function startedAtSec(record: RemediationRecord): number {
  return record.stateTimes.started ?? record.updatedAtSec;
}

/** When the record entered its current state (its creation when that was not stamped). */
export function closedAtSec(record: RemediationRecord): number {
  return record.stateTimes[record.state] ?? record.createdAtSec;
}

/**
 * Whether `record` is a rule-defect escalation (closed `escalated`, kind `ruleDefect`): what
 * `Ledger.listDefectEscalations` lists, and both ledgers index.
 */
export function isDefectEscalation(record: RemediationRecord): boolean {
  return record.state === 'escalated' && record.escalation?.kind === 'ruleDefect';
}

/** The states of an action: running (`started`, `verifying`) or closed after it ran or tried to. */
const ACTION_STATES: ReadonlySet<RemediationState> = new Set<RemediationState>([
  'started',
  'verifying',
  'resolved',
  'escalated',
  'failed',
]);

/**
 * Whether `record` is one of its rule's actions on its resource, as an escalation's evidence lists
 * them: an enforce-mode remediation with a document that entered `started` (so its automation ran,
 * or its start was sent or refused) and is `started`, `verifying`, `resolved`, `escalated` or
 * `failed` (one that went `started → blocked → escalated` too: it entered `started`), or is closed
 * keeping its holds (`keepsHoldsClosed`: closed from `started` without an execution, such as
 * `skipped` by a resumed start's recheck), which the frequency limit counts because its start may
 * have reached SSM. Not an escalation that ran nothing: created closed (frequency limit, error
 * budget, rule defect) or blocked without ever having entered `started` until its deadline; nor
 * one skipped after it moved from `started` back to `blocked`. A flapping alarm past its
 * frequency limit would otherwise push the real actions out of the list. What
 * `Ledger.listActions` lists, and both ledgers index.
 */
export function isAction(record: RemediationRecord): boolean {
  return (
    record.mode === 'enforce' &&
    record.documentName !== undefined &&
    record.stateTimes.started !== undefined &&
    (ACTION_STATES.has(record.state) || keepsHoldsClosed(record))
  );
}
