/**
 * The sweeper's re-drive of `blocked` remediations (see ./engine-refusal), one at a time:
 * - the alarm is no longer in ALARM, or the rule no longer enforces → `skipped` (nothing to do);
 * - past its deadline and still blocked → `escalated` ("could not remediate: blocked by …"),
 *   naming what blocks it then (and what blocked it first, when that differs); one that nothing
 *   blocks any more is started, as before the deadline;
 * - the guardrails, evaluated again, escalate (frequency limit, error budget) → `escalated`
 *   (./engine-close; a spent error budget freezes the rule, as the first decision does), also
 *   when a lock that lapses by itself blocks before them (./guardrails `decidingVerdict`);
 * - a guardrail still blocks → stays blocked;
 * - all pass and the holds are taken → `started`, then started like a fresh remediation (whose
 *   result may settle at once: an automation that already ended resolves or escalates).
 */

import type { RemediationRule } from '../../../lib/config/remediation-schema';
import { closeEscalated, closeSkipped } from './engine-close';
import { acquireHolds } from './engine-holds';
import { type EngineDeps, LOCK_GRACE_SEC } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { readSnapshot } from './engine-snapshot';
import { withUnreadableHolders } from './engine-snapshot-holds';
import { releaseHolds, resumeStart } from './engine-start';
import { decidingVerdict, evaluateGuardrails, type GuardrailSnapshot } from './guardrails';
import { StateConflictError } from './ledger';
import type { RemediationRecord } from './ledger-records';
import { blockedBySsm } from './start-refusal';

/**
 * Seconds a remediation blocked by SSM's refusal of the moment (throttling, the concurrent-
 * automations quota) waits after the refusal before a re-drive: a backoff, and what keeps a sweep
 * from re-driving it before its starter has given back its holds (it writes `blocked` first, then
 * releases the holds held under the remediation's id, which a re-drive would have taken over).
 */
export const SSM_RETRY_AFTER_SEC = 30;

/** Why a record blocked by SSM is not re-driven yet, or undefined when it may be. */
function ssmBackoff(record: RemediationRecord, nowSec: number): string | undefined {
  const at = record.stateTimes.blocked;
  if (!blockedBySsm(record.blockedBy) || at === undefined || nowSec - at >= SSM_RETRY_AFTER_SEC)
    return undefined;
  return `still blocked by ${record.blockedBy}: SSM refused its start ${nowSec - at} s ago; started again ${SSM_RETRY_AFTER_SEC} s after the refusal at the earliest`;
}

/** What the sweep did with one blocked remediation. */
export interface Redrive {
  readonly result: EngineResult;
  /** This sweep moved it from `blocked` to `started`, whatever its start then did. */
  readonly redriven: boolean;
}

/** Re-drives one blocked remediation; `sweepId` names the sweep in escalations. */
export async function redriveBlocked(
  record: RemediationRecord,
  deps: EngineDeps,
  sweepId: string,
): Promise<Redrive> {
  const admitted = await admit(record, deps, sweepId);
  if (!('started' in admitted)) return { result: admitted, redriven: false };
  // A record that was `started` before it was blocked (a resume could not retake its holds) may
  // have sent a request with its ClientToken; one blocked at its first decision never did, nor
  // one blocked by SSM's refusal of the moment (only a start no earlier request reached is).
  const earlier = {
    mayHaveReachedSsm: record.stateTimes.started !== undefined && !blockedBySsm(record.blockedBy),
  };
  const result = (await resumeStart(admitted.started, deps, earlier)) ?? {
    eventId: sweepId,
    ...aboutRemediation(record),
    outcome: 'ignored',
    reason: 'no start request recorded',
  };
  return { result: withUnreadableHolders(result, admitted.snapshot), redriven: true };
}

type Admitted = { readonly started: RemediationRecord; readonly snapshot: GuardrailSnapshot };

/**
 * Decides whether a blocked remediation may start: its record moved to `started` with the holds
 * taken, or the result of settling, escalating or leaving it blocked.
 */
async function admit(
  record: RemediationRecord,
  deps: EngineDeps,
  sweepId: string,
): Promise<EngineResult | Admitted> {
  const nowSec = deps.clock.nowSec();
  const backoff = ssmBackoff(record, nowSec);
  if (backoff !== undefined)
    return { eventId: sweepId, ...aboutRemediation(record), outcome: 'skipped', reason: backoff };
  const state = await deps.alarms.stateOf(record.alarmName, record.alarmArn);
  if (state !== 'ALARM') {
    return closeSkipped(record, 'blocked', `alarm is ${state ?? 'gone'} now: nothing to remediate`, deps);
  }
  const rule = deps.config.rules.find((r) => r.id === record.ruleId);
  if (rule === undefined || rule.mode !== 'enforce') {
    const why = `rule ${record.ruleId} ${rule === undefined ? 'is gone' : `is in ${rule.mode} mode`}`;
    return closeSkipped(record, 'blocked', why, deps);
  }
  const resource = {
    id: record.resourceId,
    type: record.autoScalingGroupName === undefined ? ('other' as const) : ('instance' as const),
    dimensions: {},
  };
  const snapshot = await readSnapshot(deps, rule, resource, record.id, nowSec);
  const pastDeadline = nowSec >= (record.deadlineSec ?? nowSec);
  const admitted = await admitBySnapshot(record, rule, snapshot, deps, sweepId, pastDeadline);
  return 'started' in admitted ? admitted : withUnreadableHolders(admitted, snapshot);
}

/** The guardrails on `snapshot` decide: escalated, still blocked, or started with the holds taken. */
async function admitBySnapshot(
  record: RemediationRecord,
  rule: RemediationRule,
  snapshot: GuardrailSnapshot,
  deps: EngineDeps,
  sweepId: string,
  pastDeadline: boolean,
): Promise<EngineResult | Admitted> {
  const nowSec = deps.clock.nowSec();
  const about = { eventId: sweepId, ...aboutRemediation(record) };
  const blocker = record.blockedBy ?? 'a guardrail';
  const verdicts = evaluateGuardrails({
    eventId: record.eventId,
    rule,
    config: deps.config,
    snapshot,
    nowSec,
    resourceId: record.resourceId,
    parameters: record.parameters ?? {},
    documentNames: deps.engine.documentNames,
  });
  const first = decidingVerdict(verdicts, snapshot);
  if (first?.outcome === 'escalate') {
    const kind = first.guardrail === 'errorBudget' ? 'errorBudget' : 'frequencyLimit';
    return closeEscalated(
      record,
      'blocked',
      { kind, reason: first.reason, byEventId: sweepId, verdicts },
      deps,
    );
  }
  // Past its deadline, a record still blocked is escalated naming what blocks it now, which may
  // not be what blocked it first (a lock given back, then the rule's cooldown on the resource).
  const still = async (guardrail: string, why: string): Promise<EngineResult> => {
    if (!pastDeadline)
      return { ...about, outcome: 'skipped', reason: `still blocked by ${guardrail}: ${why}` };
    const waited = nowSec - record.createdAtSec;
    const first = guardrail === blocker ? '' : ` (first by ${blocker})`;
    const reason = `could not remediate: blocked by ${guardrail} for ${waited} s${first}: ${why}; alarm still in ALARM`;
    return closeEscalated(record, 'blocked', { kind: 'blocked', reason, byEventId: sweepId, verdicts }, deps);
  };
  if (first !== undefined) return still(first.guardrail, first.reason);
  const deadlineSec = nowSec + rule.verificationTimeoutSec;
  const target = {
    id: record.id,
    resourceId: record.resourceId,
    ...(snapshot.group === undefined ? {} : { group: snapshot.group }),
    blastRadiusPercent: rule.limits.blastRadiusPercent,
  };
  const holds = await acquireHolds(deps, target, deadlineSec + LOCK_GRACE_SEC);
  if (!holds.ok) return still(holds.guardrail, holds.why);
  try {
    const started = await deps.ledger.transition(record.id, 'blocked', 'started', {
      deadlineSec,
      verdicts,
      reason: `${blocker} no longer blocks: started by sweep ${sweepId}`,
    });
    return { started, snapshot };
  } catch (error) {
    // A racing sweep moved it first and owns the holds (same remediation id): leave them.
    if (error instanceof StateConflictError)
      return { ...about, outcome: 'ignored', reason: `already ${error.actual}` };
    await releaseHolds(deps, record);
    throw error;
  }
}
