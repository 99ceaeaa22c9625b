/**
 * The holds a remediation takes before it may start, in order: the resource lock, a slot of its
 * Auto Scaling group (the blast radius) and a global slot. Each is a conditional ledger write, so
 * concurrent handlers can never exceed a limit that decide() only checked from a snapshot. A
 * refused hold gives back the ones already taken.
 */

import { groupSlotCap } from './blast-radius';
import type { EngineDeps } from './engine-ports';

/** What a remediation holds while it is open. */
export interface HoldTarget {
  readonly id: string;
  readonly resourceId: string;
  /** The resource's group, when it is in one. */
  readonly group?: { readonly name: string; readonly instancesInService: number };
  readonly blastRadiusPercent: number;
}

/**
 * Why the ledger refused a hold, as far as the refused conditional write tells: some other
 * remediation holds it, whether a concurrent start or one whose holds were not released (yet).
 */
const HELD = '(a concurrent start, or holds not yet released)';

/** Every hold taken, or the guardrail whose ledger write was refused and why. */
export type HoldResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly guardrail: 'resourceLock' | 'blastRadius' | 'globalCap';
      readonly why: string;
    };

/** Takes the lock, the group slot and the global slot until `holdUntilSec` (all or none). */
export async function acquireHolds(
  deps: Pick<EngineDeps, 'ledger' | 'config'>,
  target: HoldTarget,
  holdUntilSec: number,
): Promise<HoldResult> {
  const { ledger } = deps;
  const { id, resourceId, group } = target;
  if (!(await ledger.acquireResourceLock(resourceId, id, holdUntilSec))) {
    return {
      ok: false,
      guardrail: 'resourceLock',
      why: `the ledger refused the lock on ${resourceId}: another remediation holds it ${HELD}`,
    };
  }
  if (group !== undefined) {
    const cap = groupSlotCap(target.blastRadiusPercent, group.instancesInService);
    if (!(await ledger.acquireGroupSlot(group.name, id, cap, holdUntilSec))) {
      await ledger.releaseResourceLock(resourceId, id);
      return {
        ok: false,
        guardrail: 'blastRadius',
        why: `the ledger refused a slot of group ${group.name} (at most ${cap}: ${target.blastRadiusPercent} % of ${group.instancesInService} in service): other remediations hold them all ${HELD}`,
      };
    }
  }
  const globalCap = deps.config.maxConcurrentRemediations;
  if (!(await ledger.acquireGlobalSlot(id, globalCap, holdUntilSec))) {
    await releaseHolds(deps, {
      id,
      resourceId,
      ...(group === undefined ? {} : { autoScalingGroupName: group.name }),
    });
    return {
      ok: false,
      guardrail: 'globalCap',
      why: `the ledger refused a global slot (at most ${globalCap}): other remediations hold them all ${HELD}`,
    };
  }
  return { ok: true };
}

/** Gives back the resource lock, the group slot and the global slot `r.id` holds. */
export async function releaseHolds(
  deps: Pick<EngineDeps, 'ledger'>,
  r: { readonly id: string; readonly resourceId: string; readonly autoScalingGroupName?: string },
): Promise<void> {
  const { ledger } = deps;
  await Promise.all([
    ledger.releaseResourceLock(r.resourceId, r.id),
    ledger.releaseGlobalSlot(r.id),
    r.autoScalingGroupName === undefined ? undefined : ledger.releaseGroupSlot(r.autoScalingGroupName, r.id),
  ]);
}
