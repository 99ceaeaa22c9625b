/**
 * An automation still running when the deadline sweep reaches its remediation (./verification-sweep).
 * Its holds (resource lock, group and global slots) must stand while it may run, or the
 * guardrails admit a second automation beside it; and whether it fixed anything is not known
 * until it ends, whatever the alarm says now (it may clear the alarm on its way and still fail).
 * So the remediation stays `verifying` with its holds past the deadline, and its end decides as
 * it would have before: its status event (success reads the alarm: resolved, or escalated as a
 * failed verification, the deadline being past; a failure escalates `automationFailed`), or a
 * later sweep that reads it ended. Each sweep reads its status again.
 *
 * That wait is bounded by {@link OVERRUN_LIMIT_SEC}: an automation still running then overran,
 * and a human is told (`automationOverran`, counted against the rule's error budget like a failed
 * verification). The closed record keeps its holds until they lapse on their own
 * (./engine-closed-holds): the closing sweep gives nothing back while the automation may run.
 */
import { type AutomationExecutionRead, type EngineDeps, LOCK_GRACE_SEC } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import type { RemediationRecord } from './ledger-records';
import { failVerification } from './verification';

/**
 * How long past its deadline the sweep waits for a running automation to end before escalating
 * it as overrun: shorter than {@link LOCK_GRACE_SEC} (the holds outlive the deadline by that
 * much), so the holds still stand when the sweep escalates, with minutes to spare for a sweep
 * that fails and is retried the next minute.
 */
export const OVERRUN_LIMIT_SEC = 10 * 60;

const iso = (sec: number) => new Date(sec * 1000).toISOString();

/**
 * Overdue `record`, whose execution `executionId` the sweep `sweepId` read still running
 * (`read`): kept `verifying` until {@link OVERRUN_LIMIT_SEC} past its deadline, then escalated as
 * `automationOverran` keeping its holds.
 */
export async function settleOverrun(
  record: RemediationRecord,
  executionId: string,
  read: AutomationExecutionRead,
  deps: EngineDeps,
  sweepId: string,
  nowSec: number,
): Promise<EngineResult> {
  const deadlineSec = record.deadlineSec ?? nowSec;
  const overSec = nowSec - deadlineSec;
  const capSec = deadlineSec + OVERRUN_LIMIT_SEC;
  const still = `automation ${executionId} still ${read.status}`;
  if (nowSec < capSec) {
    return {
      eventId: record.eventId,
      executionId,
      ...aboutRemediation(record),
      outcome: 'verifying',
      reason: `verification deadline passed ${overSec} s ago with ${still}: kept open with its holds until it ends (its status event, or a later sweep, decides); escalated as overrun if still running at ${iso(capSec)}`,
    };
  }
  const state = await deps.alarms.stateOf(record.alarmName, record.alarmArn);
  const lock = await deps.ledger.resourceLockHolder(record.resourceId);
  const lapse =
    lock?.remediationId === record.id
      ? `its resource lock and slots are kept until they lapse at ${iso(lock.expiresAtSec)}`
      : `its resource lock and slots are kept until they lapse (by ${iso(deadlineSec + LOCK_GRACE_SEC)})`;
  return failVerification(
    record,
    'automationOverran',
    `${still} ${overSec} s after its verification deadline (the sweep waits ${OVERRUN_LIMIT_SEC} s past it for the end), alarm ${record.alarmName} ${state ?? 'gone'}; ${lapse}, then another remediation may start on ${record.resourceId} while it may still run: stop it, or watch it end`,
    deps,
    sweepId,
    { alarmState: state, execution: read.execution },
  );
}
