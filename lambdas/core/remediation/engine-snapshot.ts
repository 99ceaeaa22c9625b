/** Reads the {@link GuardrailSnapshot} for one rule and resource from the ledger and Auto Scaling. */
import type { RemediationRule } from '../../../lib/config/remediation-schema';
import type { EngineDeps } from './engine-ports';
import { lockHeldClosed, readsOnce, slotsHeldClosed } from './engine-snapshot-holds';
import { type GuardrailSnapshot, snapshotWindows } from './guardrails';
import type { ResolvedResource } from './match';

/**
 * Everything the guardrails look at for remediation `remediationId` (the one deciding: a first
 * decision's or a blocked record's re-drive), read in parallel. Failed verifications before the
 * rule's last human reset do not count, so a reset really lifts the freeze. The resource's lock
 * and its group's slots are read too, so a remediation closed but still holding them counts
 * (./engine-snapshot-holds). The deciding remediation's own holds never count against it, as its
 * lock and slot writes are re-entrant: a start killed between its holds and its record leaves
 * them until they lapse, and Lambda's retry decides again under the same id. Advisory only: the
 * lock and slot writes that follow are the real guard against concurrent handlers.
 */
export async function readSnapshot(
  deps: Pick<EngineDeps, 'ledger' | 'groups'>,
  rule: RemediationRule,
  resource: ResolvedResource,
  remediationId: string,
  nowSec: number,
  eventAlreadySeen = false,
): Promise<GuardrailSnapshot> {
  const { ledger } = deps;
  const { frequencySinceSec } = snapshotWindows(rule, nowSec);
  // One read of the open records serves both the resource lock and the blast radius.
  const [allOpen, inWindow, last, budget, global, lock, group] = await Promise.all([
    ledger.listOpen(),
    ledger.countRemediations(rule.id, resource.id, frequencySinceSec),
    ledger.lastRemediationAt(rule.id, resource.id),
    readErrorBudget(ledger, rule, nowSec),
    ledger.globalSlotHolders(),
    ledger.resourceLockHolder(resource.id),
    readGroup(deps, resource),
  ]);
  const active = allOpen.find((r) => r.resourceId === resource.id);
  const holders = readsOnce(ledger);
  const [lockClosed, slotsClosed] = await Promise.all([
    active === undefined ? lockHeldClosed(holders, lock, allOpen) : undefined,
    group === undefined ? [] : slotsHeldClosed(holders, group.slots, allOpen),
  ]);
  const underRemediation =
    group === undefined ? 0 : allOpen.filter((r) => r.autoScalingGroupName === group.name).length;
  return {
    eventAlreadySeen,
    ...(active === undefined
      ? {}
      : { activeRemediationOnResource: { remediationId: active.id, startedAtSec: active.createdAtSec } }),
    ...(lockClosed === undefined ? {} : { closedHoldOnResource: lockClosed }),
    remediationsInWindow: inWindow,
    ...(last === undefined ? {} : { lastRemediationAtSec: last }),
    ...budget,
    ...(group === undefined
      ? {}
      : {
          group: {
            name: group.name,
            instancesInService: group.instancesInService,
            instancesUnderRemediation: underRemediation + slotsClosed.length,
            ...(slotsClosed.length === 0 ? {} : { closedHolds: slotsClosed }),
          },
        }),
    activeRemediationsGlobal: global.filter((h) => h.remediationId !== remediationId).length,
  };
}

/** The resource's Auto Scaling group, when it is an instance in one, and who holds its slots. */
async function readGroup(deps: Pick<EngineDeps, 'ledger' | 'groups'>, resource: ResolvedResource) {
  if (resource.type !== 'instance') return undefined;
  const group = await deps.groups.groupOf(resource.id);
  if (group === undefined) return undefined;
  return { ...group, slots: await deps.ledger.groupSlotHolders(group.name) };
}

/** What the errorBudget guardrail reads of the snapshot. */
type ErrorBudgetFacts = Pick<GuardrailSnapshot, 'failedVerificationsInWindow' | 'ruleFrozen'>;

/**
 * The rule's freeze and its failed verifications in the error-budget window, counted from its last
 * human reset when that is later, so a reset really lifts the freeze. The error budget's one
 * counting rule: the guardrail snapshot, a resumed start's recheck (./start-recheck) and a failed
 * verification deciding whether to freeze the rule (./verification) all read it here.
 */
export async function readErrorBudget(
  ledger: EngineDeps['ledger'],
  rule: RemediationRule,
  nowSec: number,
): Promise<ErrorBudgetFacts> {
  const freeze = await ledger.getRuleFreeze(rule.id);
  const since = Math.max(snapshotWindows(rule, nowSec).errorBudgetSinceSec, freeze?.resetAtSec ?? 0);
  const failed = await ledger.countFailedVerifications(rule.id, since);
  return { failedVerificationsInWindow: failed, ruleFrozen: freeze?.frozen === true };
}
