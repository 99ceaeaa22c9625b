/**
 * Acting on a `start` decision: take the resource lock, the group's blast-radius slot and a global
 * slot (./engine-holds: the ledger's conditional writes are the real guard; decide() only
 * advises), record `started`, call StartAutomationExecution with the deterministic ClientToken,
 * record `verifying`, then read the execution's status once and settle it at once if it already
 * ended. A first start SSM refused is recorded `failed` and escalated, the lock and slots given
 * back (./engine-start-failed), unless it was refused only for the moment (throttled, or the
 * account's concurrent-automations quota reached): then it is recorded `blocked`, its holds given
 * back, for the sweeper to start it again until the rule's verification timeout since the
 * remediation was recorded, after which a start still refused fails; a resume only when the refusal proves the
 * earlier request with its ClientToken started nothing either (./start-refusal). A start with no
 * certain answer (no answer, a failure on SSM's side), or a resume's refusal that proves nothing
 * about the earlier request, stays `started` with its holds, to be resumed with the same
 * ClientToken (./engine-start-uncertain). A hold the ledger refuses (at the start or on a resume)
 * leaves the remediation `blocked` for the sweeper. A start whose closing write finds the record
 * moved by a concurrent attempt leaves it to that attempt (./engine-start-overtaken).
 */
import { buildStartRequest, type StartAutomationRequest } from './automation-request';
import type { StartDecision } from './decision';
import { acquireHolds, type HoldTarget, releaseHolds } from './engine-holds';
import { type EngineDeps, LOCK_GRACE_SEC, StartRefusedError } from './engine-ports';
import { recordRefusal } from './engine-refusal';
import { aboutRemediation, type EngineResult } from './engine-result';
import { blockStart, failStart } from './engine-start-failed';
import { startOvertaken } from './engine-start-overtaken';
import { startUncertain } from './engine-start-uncertain';
import { alarmOfRecord, type EscalationInput } from './escalation';
import type { GuardrailName } from './guardrails';
import { StateConflictError } from './ledger';
import { type NewRemediation, type RemediationRecord, replaceVerdict } from './ledger-records';
import { type EarlierStart, refusalDoubt, ssmBlocker } from './start-refusal';
import { settleIfEnded } from './verification-automation';

/** The alarm as the escalation shows it. */
type AlarmEvidence = EscalationInput['alarm'];
/** The resource's Auto Scaling group, for its blast-radius slot. */
type GroupFacts = NonNullable<HoldTarget['group']>;

export { releaseHolds } from './engine-holds';

/** Locks, records and starts; see the module comment. */
export async function startRemediation(
  d: StartDecision,
  base: Omit<NewRemediation, 'state'>,
  deps: EngineDeps,
  alarm: AlarmEvidence,
  group?: GroupFacts,
): Promise<EngineResult> {
  const { ledger } = deps;
  const id = base.id;
  const holds = await acquireHolds(
    deps,
    {
      id,
      resourceId: d.resource.id,
      ...(group === undefined ? {} : { group }),
      blastRadiusPercent: pct(d.ruleId, deps),
    },
    d.deadlineSec + LOCK_GRACE_SEC,
  );
  if (!holds.ok) return recordHoldRefused(base, holds.guardrail, holds.why, deps);
  let record: RemediationRecord;
  try {
    record = await ledger.createRemediation({
      ...base,
      state: 'started',
      deadlineSec: d.deadlineSec,
      clientToken: d.request.ClientToken,
    });
  } catch (error) {
    await releaseHolds(deps, { ...base, id });
    throw error;
  }
  return runStart(record, d.request, deps, { mayHaveReachedSsm: false, deadlineSec: d.deadlineSec }, alarm);
}

/**
 * Resumes a remediation an earlier attempt recorded `started` but never moved on (the handler
 * died or the ledger failed between the two writes): the same ClientToken makes SSM return the
 * same execution instead of starting a second one. Starts only while it holds the resource lock,
 * its group slot and a global slot: normally still its own (re-entrant), but an attempt whose
 * `started` write reported failure gave them back, and another remediation may have taken them
 * since. Then the remediation is moved to `blocked` and the sweeper re-drives it
 * (./redrive-blocked), as for a hold refused at the first start. `earlier` says whether an earlier
 * request with the ClientToken may have reached SSM, for what a refusal proves (./start-refusal).
 *
 * The resumed start verifies until a new deadline, now plus the rule's current
 * `verificationTimeoutSec`, so the holds are taken (re-entrant ones moved) until that deadline
 * plus the lock grace: the record's old deadline may lie earlier (a resume long after the
 * decision, or a redeploy that raised the timeout), and holds lapsing at it would leave the
 * remediation verifying with its lock and slots free for another start.
 */
export async function resumeStart(
  record: RemediationRecord,
  deps: EngineDeps,
  earlier: EarlierStart,
): Promise<EngineResult | undefined> {
  const rule = deps.config.rules.find((r) => r.id === record.ruleId);
  if (rule === undefined || record.parameters === undefined || record.executionId !== undefined)
    return undefined;
  const { AutomationAssumeRole: _role, ...parameters } = record.parameters;
  const request = buildStartRequest({
    rule,
    settings: deps.engine,
    eventId: record.eventId,
    resourceId: record.resourceId,
    parameters,
  });
  const deadlineSec = deps.clock.nowSec() + rule.verificationTimeoutSec;
  const group =
    record.autoScalingGroupName === undefined ? undefined : await deps.groups.groupOf(record.resourceId);
  // Normally still held (re-entrant); retaken if a failed earlier attempt gave them back.
  const holds = await acquireHolds(
    deps,
    {
      ...record,
      ...(group === undefined ? {} : { group }),
      blastRadiusPercent: rule.limits.blastRadiusPercent,
    },
    deadlineSec + LOCK_GRACE_SEC,
  );
  if (!holds.ok) return blockResume(record, holds.guardrail, holds.why, deps);
  return runStart(record, request, deps, { ...earlier, deadlineSec });
}

/**
 * started → blocked: the resumed start could not take its holds back. Keeps the original deadline
 * (the alarm's verification timeout), after which the sweeper escalates "could not remediate".
 */
async function blockResume(
  record: RemediationRecord,
  guardrail: GuardrailName,
  why: string,
  deps: EngineDeps,
): Promise<EngineResult> {
  const refused = `${guardrail}: resuming the start, ${why}`;
  const until = new Date((record.deadlineSec ?? deps.clock.nowSec()) * 1000).toISOString();
  const reason = `${refused}; blocked: the sweeper starts it once ${guardrail} allows, until ${until}`;
  const verdicts = replaceVerdict(record.verdicts, { guardrail, outcome: 'block', reason: refused });
  const about = { eventId: record.eventId, ...aboutRemediation(record) };
  try {
    await deps.ledger.transition(record.id, 'started', 'blocked', { blockedBy: guardrail, verdicts, reason });
  } catch (error) {
    if (error instanceof StateConflictError)
      return { ...about, outcome: 'ignored', reason: `already ${error.actual}` };
    throw error;
  }
  return { ...about, verdicts, outcome: 'skipped', reason };
}

/**
 * How a start goes: `earlier` (./start-refusal), and `deadlineSec`, the verification deadline the
 * holds were taken for (until it plus the lock grace), which `verifying` records.
 */
type StartPlan = EarlierStart & { readonly deadlineSec: number };

async function runStart(
  record: RemediationRecord,
  request: StartAutomationRequest,
  deps: EngineDeps,
  plan: StartPlan,
  alarm: AlarmEvidence = alarmOfRecord(record),
): Promise<EngineResult> {
  const { ledger, clock } = deps;
  const summary = { ruleId: record.ruleId, resourceId: record.resourceId, alarmName: record.alarmName };
  let executionId: string;
  try {
    executionId = await deps.automation.start(request);
  } catch (error) {
    // Only SSM's own refusal proves nothing started; anything else may have reached it.
    if (!(error instanceof StartRefusedError)) return startUncertain(record, request, error);
    const doubt = await refusalDoubt(error, request, record, plan, deps.automation);
    if (doubt !== undefined) return startUncertain(record, request, error, doubt);
    return refusedStart(record, error, deps, plan, alarm);
  }
  const nowSec = clock.nowSec();
  // The deadline the holds were taken for, not one counted from now: they must outlast it.
  const { deadlineSec } = plan;
  let verifying: RemediationRecord;
  try {
    // Counted (frequency limit, cooldown) in the same write that records the execution, so a
    // handler killed right after it cannot leave a running automation uncounted.
    verifying = await ledger.transition(
      record.id,
      'started',
      'verifying',
      { executionId, deadlineSec },
      { remediationCountAtSec: () => nowSec },
    );
  } catch (error) {
    if (error instanceof StateConflictError) return startOvertaken(record, error, deps, { executionId });
    throw error;
  }
  const started: EngineResult = {
    eventId: record.eventId,
    outcome: 'started',
    reason: `started ${request.DocumentName} on ${record.resourceId} (execution ${executionId}); verify by ${new Date(deadlineSec * 1000).toISOString()}`,
    ...summary,
    remediationId: record.id,
    executionId,
    verdicts: record.verdicts,
  };
  return settleIfEnded(verifying, executionId, started, deps);
}

/**
 * A start SSM's refusal proves started nothing: blocked when it is a first start refused for the
 * moment and its wait is not over (the rule's verification timeout since the remediation was
 * recorded), else failed, naming how long it was retried.
 */
function refusedStart(
  record: RemediationRecord,
  refusal: StartRefusedError,
  deps: EngineDeps,
  plan: StartPlan,
  alarm: AlarmEvidence,
): Promise<EngineResult> {
  const refused = `StartAutomationExecution refused by SSM: ${refusal.message}`;
  const blocker = plan.mayHaveReachedSsm ? undefined : ssmBlocker(refusal);
  if (blocker === undefined) return failStart(record, refused, deps, alarm);
  const timeoutSec = deps.config.rules.find((r) => r.id === record.ruleId)?.verificationTimeoutSec;
  const untilSec = timeoutSec === undefined ? deps.clock.nowSec() : record.createdAtSec + timeoutSec;
  const nowSec = deps.clock.nowSec();
  if (nowSec < untilSec) return blockStart(record, blocker, refused, untilSec, deps);
  const waited = nowSec - record.createdAtSec;
  return failStart(record, `${refused}; still ${blocker} after ${waited} s, at the deadline`, deps, alarm);
}

/** The rule's blast-radius share (100 % when the rule is gone). */
function pct(ruleId: string, deps: EngineDeps): number {
  return deps.config.rules.find((r) => r.id === ruleId)?.limits.blastRadiusPercent ?? 100;
}

/** The ledger refused a hold decide() expected: recorded blocked (./engine-refusal). */
async function recordHoldRefused(
  base: Omit<NewRemediation, 'state'>,
  guardrail: GuardrailName,
  why: string,
  deps: EngineDeps,
): Promise<EngineResult> {
  const reason = `${guardrail}: ${why}`;
  const verdicts = replaceVerdict(base.verdicts, { guardrail, outcome: 'block', reason });
  return recordRefusal({ ...base, verdicts }, guardrail, reason, deps, guardrail === 'resourceLock');
}
