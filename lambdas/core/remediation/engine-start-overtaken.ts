/**
 * A start that lost its closing write: between recording `started` and recording what
 * StartAutomationExecution answered, another attempt on the same remediation (a resume by a
 * redelivery or the sweeper, or a re-drive: ./engine-redelivery, ./resume-stalled,
 * ./redrive-blocked) moved the record on. Both sent the same ClientToken, so SSM ran at most one
 * execution for them. The winner keeps the holds (taken under the remediation's id, so they are
 * the same ones), counted the remediation and settles or escalates it; the loser re-reads the
 * record and says what it found. If the loser got an execution the winner closed the remediation
 * without (the winner's own start failed, the alarm resolved it first, the deadline sweep
 * escalated it, or a resumed start's recheck closed it), that automation runs with no record: the
 * loser escalates it (`untrackedExecution`), naming the execution. A failed start gave the holds
 * back; any other close from `started` without an execution keeps them until they expire
 * (./engine-closed-holds), and the escalation says until when.
 */
import { keepsHoldsClosed } from './engine-closed-holds';
import { type EngineDeps, LOCK_GRACE_SEC } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { alarmOfRecord } from './escalation';
import { actionsOn, sendEscalation, sentFields } from './escalation-send';
import type { StateConflictError } from './ledger';
import { isOpen, type RemediationRecord } from './ledger-records';

/** What the losing attempt's own StartAutomationExecution did. */
export type LostStart = { readonly executionId: string } | { readonly failed: string };

/**
 * The losing attempt's result: `ignored`, naming the state the winner left, or
 * `untrackedExecution` when the execution this attempt got is one the ledger will not track.
 */
export async function startOvertaken(
  record: RemediationRecord,
  conflict: StateConflictError,
  deps: EngineDeps,
  lost: LostStart,
): Promise<EngineResult> {
  const current = (await deps.ledger.getRemediation(record.id)) ?? { ...record, state: conflict.actual };
  const recorded = current.executionId === undefined ? '' : ` (execution ${current.executionId})`;
  const found = `already ${current.state}${recorded}: a concurrent attempt moved it first`;
  const result: EngineResult = {
    eventId: record.eventId,
    ...aboutRemediation(current),
    ...('executionId' in lost ? { executionId: lost.executionId } : {}),
    outcome: 'ignored',
    reason: `${found}; ${own(current, lost)}`,
  };
  if ('failed' in lost || !untracked(current, lost.executionId)) return result;
  return escalateUntracked(current, lost.executionId, result, deps);
}

function own(current: RemediationRecord, lost: LostStart): string {
  if ('failed' in lost) return `this attempt's start failed (${lost.failed})`;
  return current.executionId === lost.executionId
    ? `this attempt's start returned the same execution`
    : `this attempt's start returned execution ${lost.executionId}, which the ledger does not track`;
}

/**
 * Whether `executionId` runs with nothing to track it. Not when it is the recorded one, nor while
 * the remediation still waits for a start without an execution (`started`, `blocked`): that start
 * sends the same ClientToken, so SSM answers with this execution and the ledger records it.
 */
function untracked(current: RemediationRecord, executionId: string): boolean {
  if (current.executionId === executionId) return false;
  const awaitsStart =
    current.executionId === undefined && (isOpen(current.state) || current.state === 'blocked');
  return !awaitsStart;
}

/**
 * Tells a human. Not recorded on the remediation (its escalation, if any, is the winner's); an SNS
 * failure is in the result, which the handler logs at error level with the metric either way.
 */
async function escalateUntracked(
  current: RemediationRecord,
  executionId: string,
  overtaken: EngineResult,
  deps: EngineDeps,
): Promise<EngineResult> {
  const has = current.executionId === undefined ? 'no execution' : `execution ${current.executionId}`;
  const reason = `automation execution ${executionId} is running untracked: this attempt started it, but a concurrent attempt moved remediation ${current.id} first and left it ${current.state} with ${has}, so ${holdsLeft(current)} and no verification follows; check it in Systems Manager Automation`;
  const sent = await sendEscalation(deps.escalator, {
    kind: 'untrackedExecution',
    reason,
    remediation: { ...current, executionId },
    alarm: alarmOfRecord(current),
    ...(await actionsOn(deps.ledger, current.ruleId, current.resourceId)),
    ruleFrozen: await deps.ledger.isRuleFrozen(current.ruleId),
    nowSec: deps.clock.nowSec(),
  });
  const escalation = { ...sent.record, byEventId: current.eventId };
  const undelivered =
    escalation.snsError === undefined ? '' : `; SNS did not take the escalation (${escalation.snsError})`;
  return {
    ...overtaken,
    outcome: 'untrackedExecution',
    reason: `${reason}${undelivered}`,
    escalation,
    ...sentFields(sent),
  };
}

/**
 * What still holds the resource for the untracked automation: a record closed from `started`
 * without an execution keeps its holds until they expire (./engine-closed-holds); any other
 * closed record gave them back.
 */
function holdsLeft(current: RemediationRecord): string {
  if (!keepsHoldsClosed(current)) return 'no lock or slot is held for it';
  const until = new Date(((current.deadlineSec ?? 0) + LOCK_GRACE_SEC) * 1000).toISOString();
  return `its lock and slots stay held until ${until} (then they expire)`;
}
