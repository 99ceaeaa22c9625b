/**
 * What an automation's status means for its open remediation, however the engine learnt it: from
 * the execution's status-change event, or from reading the status right after the start recorded
 * the execution id (./engine-start), which closes the window in which a status event finds no
 * remediation yet. Still running: keep verifying. Failed, timed out, cancelled: escalate as a
 * failed automation (./verification). Succeeded: resolve when the alarm has recovered, escalate
 * past the deadline, else record the success and wait.
 */
import { type AutomationStatus, type AutomationStatusChange, automationOutcome } from './automation-event';
import {
  type AutomationExecutionDetails,
  type AutomationExecutionRead,
  describeError,
  type EngineDeps,
} from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { resendEscalation } from './escalation-resend';
import { StateConflictError } from './ledger';
import { isOpen, type RemediationRecord } from './ledger-records';
import { acceptedStates, type RecoveredState, recoveredBy } from './recovery';
import { failVerification, recoveredWording, resolve } from './verification';

/** Handles one automation status change. */
export async function handleAutomationEvent(
  event: AutomationStatusChange,
  deps: EngineDeps,
): Promise<EngineResult> {
  const record = await deps.ledger.findByExecutionId(event.executionId);
  if (record === undefined) {
    return {
      eventId: event.eventId,
      executionId: event.executionId,
      outcome: 'ignored',
      // Not necessarily foreign: the starter may not have recorded the id yet. It reads the
      // execution's status once it has, so this event is not needed to decide it.
      reason: `no remediation records execution ${event.executionId}: not started by selfheal, or its start not recorded yet (the starter then reads its status)`,
    };
  }
  if (!isOpen(record.state)) {
    return (
      (await resendEscalation(record, deps, event.eventId)) ?? {
        eventId: event.eventId,
        executionId: event.executionId,
        ...aboutRemediation(record),
        outcome: 'ignored',
        reason: `remediation already ${record.state}`,
      }
    );
  }
  return settleAutomation(record, event.executionId, event.status, deps, event.eventId);
}

/**
 * Acts on `status`, the status of execution `executionId` of open remediation `record`. `eventId`
 * names the event handled: the result's, and the owner of any escalation (only its redelivery
 * re-sends one SNS did not take). `execution` is GetAutomationExecution's answer when `status`
 * was read from it: an escalation's evidence summarises it rather than reading it again.
 */
export async function settleAutomation(
  record: RemediationRecord,
  executionId: string,
  status: AutomationStatus,
  deps: EngineDeps,
  eventId: string,
  execution?: AutomationExecutionDetails,
): Promise<EngineResult> {
  const about = { eventId, executionId, ...aboutRemediation(record) };
  const outcome = automationOutcome(status);
  if (outcome === 'running') return { ...about, outcome: 'verifying', reason: `automation ${status}` };
  if (outcome !== 'succeeded') {
    return failVerification(
      record,
      'automationFailed',
      `automation ${executionId} ended ${status}`,
      deps,
      eventId,
      { execution },
    );
  }
  const state = await deps.alarms.stateOf(record.alarmName, record.alarmArn);
  const accepted = acceptedStates(deps.config.rules, record.ruleId);
  const recovered = recoveredBy({ alarmState: state, accepted, automationSucceeded: true });
  if (recovered !== undefined) {
    const why = `automation succeeded and alarm ${record.alarmName} is ${recoveredWording(recovered)}`;
    return resolve(record, deps, why, eventId, recovered);
  }
  const nowSec = deps.clock.nowSec();
  const deadline = record.deadlineSec ?? nowSec;
  const seen = `alarm ${record.alarmName} is ${state ?? 'gone'}`;
  if (nowSec >= deadline) {
    return failVerification(
      record,
      'verificationFailed',
      `automation succeeded but ${seen} at the deadline`,
      deps,
      eventId,
      { alarmState: state, execution },
    );
  }
  try {
    // Lets a later INSUFFICIENT_DATA (event or sweep) count, for a rule that accepts it.
    await deps.ledger.recordAutomationSucceeded(record.id, nowSec);
  } catch (error) {
    if (error instanceof StateConflictError)
      return { ...about, outcome: 'ignored', reason: `remediation already ${error.actual}` };
    throw error;
  }
  const late = await recoveredSinceRead(record, accepted, deps);
  if (late !== undefined) {
    const why = `automation succeeded and alarm ${record.alarmName} is now ${recoveredWording(late)}`;
    return resolve(record, deps, why, eventId, late);
  }
  return {
    ...about,
    outcome: 'verifying',
    reason: `automation succeeded; ${seen}; waiting until ${new Date(deadline * 1000).toISOString()}`,
  };
}

/**
 * Reads the status of execution `executionId`, which the start (./engine-start) just recorded on
 * `record`, and settles the remediation if it already ended; `started` is the start's result.
 * A status event that arrived before the execution id was recorded found no remediation and was
 * ignored; it was sent after the execution ended, and its handler's (consistent) read came before
 * the id was written, so this read, after the write, sees the end. Either this read or the event
 * handles it, or both, of which only one wins the conditional transition and escalates. A result
 * that leaves the remediation waiting stays `started`; a status that cannot be read is left to
 * the status event and the deadline sweep.
 */
export async function settleIfEnded(
  record: RemediationRecord,
  executionId: string,
  started: EngineResult,
  deps: EngineDeps,
): Promise<EngineResult> {
  let read: AutomationExecutionRead | undefined;
  try {
    read = await deps.automation.statusOf(executionId);
  } catch (error) {
    return {
      ...started,
      reason: `${started.reason}; its status could not be read (${describeError(error)}): its status event or the deadline sweep decides`,
    };
  }
  if (read === undefined || automationOutcome(read.status) === 'running') return started;
  const settled = await settleAutomation(
    record,
    executionId,
    read.status,
    deps,
    record.eventId,
    read.execution,
  );
  if (settled.outcome === 'resolved' || settled.outcome === 'verificationFailed') {
    return { ...settled, reason: `${started.reason}; it had already ended: ${settled.reason}` };
  }
  return { ...started, reason: `${started.reason}; ${settled.reason}` };
}

/**
 * The alarm's recovered state read again after the automation's success was recorded, for a rule
 * that accepts INSUFFICIENT_DATA. Its INSUFFICIENT_DATA event may have been handled between the
 * first read and that write: it found no success recorded and did not count, and no later event
 * comes while the alarm stays there. The alarm changed state before that event was sent, so a
 * read after the write sees it. Undefined when the alarm has not recovered (or the rule accepts
 * only OK, whose own event resolves whatever was recorded).
 */
async function recoveredSinceRead(
  record: RemediationRecord,
  accepted: readonly RecoveredState[],
  deps: EngineDeps,
): Promise<RecoveredState | undefined> {
  if (!accepted.includes('INSUFFICIENT_DATA')) return undefined;
  const alarmState = await deps.alarms.stateOf(record.alarmName, record.alarmArn);
  return recoveredBy({ alarmState, accepted, automationSucceeded: true });
}
