/**
 * Recording an alarm a guardrail refused. A refusal that will clear by itself while the alarm
 * stays in ALARM (another rule's remediation holds the resource, or one no longer open whose lock
 * lapses at a known time; the cooldown, the group's blast radius, the global cap) is recorded `blocked`
 * until the rule's verification timeout: CloudWatch sends no new state change for an alarm that
 * stays in ALARM, so the sweeper re-drives it (./redrive-blocked). Any other refusal is recorded
 * `skipped`.
 */
import type { EngineDeps } from './engine-ports';
import type { EngineResult } from './engine-result';
import type { NewRemediation } from './ledger-records';

/** Guardrails whose block goes away without a human. */
const WAITABLE: ReadonlySet<string> = new Set(['resourceLock', 'cooldown', 'blastRadius', 'globalCap']);

/**
 * Records `base` as skipped or blocked by `guardrail`; returns the event's result. `waitForLock`:
 * the resource lock will be free without this rule's own open remediation finishing, so a
 * resourceLock refusal is blocked and the sweeper re-drives it. Either the ledger refused the lock
 * at start time, so whose it is cannot be told (a concurrent start that may not have recorded its
 * remediation yet, or a holder whose holds were not released yet: its closer died first, or its
 * record was deleted); or a remediation no longer open holds it until it lapses (closed from
 * `started` without an execution, ./engine-closed-holds, or unreadable).
 */
export async function recordRefusal(
  base: Omit<NewRemediation, 'state'>,
  guardrail: string,
  reason: string,
  deps: Pick<EngineDeps, 'ledger' | 'config' | 'clock'>,
  waitForLock = false,
): Promise<EngineResult> {
  const rule = deps.config.rules.find((r) => r.id === base.ruleId);
  const result = {
    eventId: base.eventId,
    outcome: 'skipped' as const,
    ruleId: base.ruleId,
    resourceId: base.resourceId,
    alarmName: base.alarmName,
    remediationId: base.id,
    verdicts: base.verdicts,
  };
  const wait =
    rule !== undefined &&
    rule.mode === 'enforce' &&
    WAITABLE.has(guardrail) &&
    (guardrail !== 'resourceLock' || waitForLock || (await heldByAnotherRule(deps, base)));
  if (!wait) {
    await deps.ledger.createRemediation({ ...base, state: 'skipped', reason });
    return { ...result, reason };
  }
  const deadlineSec = deps.clock.nowSec() + rule.verificationTimeoutSec;
  const waiting = `${reason}; blocked: the sweeper starts it once ${guardrail} allows, until ${new Date(deadlineSec * 1000).toISOString()}`;
  await deps.ledger.createRemediation({
    ...base,
    state: 'blocked',
    blockedBy: guardrail,
    deadlineSec,
    reason: waiting,
  });
  return { ...result, reason: waiting };
}

/** The rule's own open remediation already handles the resource; another rule's does not. */
async function heldByAnotherRule(
  deps: Pick<EngineDeps, 'ledger'>,
  base: Pick<NewRemediation, 'resourceId' | 'ruleId'>,
): Promise<boolean> {
  const open = await deps.ledger.findOpenByResource(base.resourceId);
  return open.some((r) => r.ruleId !== base.ruleId);
}
