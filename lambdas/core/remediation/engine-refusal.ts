/**
 * Recording an alarm a guardrail refused. A refusal that will clear by itself while the alarm
 * stays in ALARM (a remediation of another rule or of another alarm holds the resource, or one no
 * longer open whose lock lapses at a known time; the cooldown, the group's blast radius, the
 * global cap) is recorded `blocked` until the rule's verification timeout: CloudWatch sends no new
 * state change for an alarm that stays in ALARM, so the sweeper re-drives it (./redrive-blocked).
 * Any other refusal is recorded `skipped`, the alarm's repeat while its own remediation is open
 * among them: that remediation verifies this very alarm.
 */
import { isSameAlarm } from './alarm-identity';
import type { EngineDeps } from './engine-ports';
import type { EngineResult } from './engine-result';
import type { NewRemediation } from './ledger-records';

/** Guardrails whose block goes away without a human. */
const WAITABLE: ReadonlySet<string> = new Set(['resourceLock', 'cooldown', 'blastRadius', 'globalCap']);

/**
 * Records `base` as skipped or blocked by `guardrail`; returns the event's result. A resourceLock
 * refusal is blocked, for the sweeper to re-drive, unless the open remediation holding the
 * resource is this alarm's own under this rule ({@link heldForAnotherAlarm}). `waitForLock`: it is
 * blocked whoever holds the lock, as that cannot be told or does not matter. Either the ledger refused the lock
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
    (guardrail !== 'resourceLock' || waitForLock || (await heldForAnotherAlarm(deps, base)));
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

/**
 * An open remediation on the resource is not this alarm's own under this rule. Only that one
 * already handles the alarm: a remediation verifies its own alarm alone, so once another rule's,
 * or the same rule's for another alarm (e.g. `disk-full-root-<id>` and `disk-full-data-<id>` both
 * matching `disk-full-*`), resolves, this alarm may still be in ALARM, and CloudWatch sends no new
 * event for it. The alarm is told as the ledger finds an alarm's open remediations
 * (`findOpenByAlarm`): by its ARN ({@link isSameAlarm}).
 */
async function heldForAnotherAlarm(
  deps: Pick<EngineDeps, 'ledger'>,
  base: Pick<NewRemediation, 'resourceId' | 'ruleId' | 'alarmName' | 'alarmArn'>,
): Promise<boolean> {
  const open = await deps.ledger.findOpenByResource(base.resourceId);
  return open.some((r) => r.ruleId !== base.ruleId || !isSameAlarm(r, base));
}
