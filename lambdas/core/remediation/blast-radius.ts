/**
 * The blast radius as one number: how many instances of one Auto Scaling group may be under
 * remediation at once. The `blastRadius` guardrail (./guardrails) and the ledger's per-group
 * slots (./engine-holds) both use {@link groupSlotCap}, so the advisory check and the enforcing
 * conditional write can never disagree.
 */

/**
 * Instances of a group with `instancesInService` that may be under remediation at once:
 * `blastRadiusPercent` of them rounded down, but at least one, so a small group (2 instances at
 * 34 % → 0.68) can still be healed one instance at a time instead of never. A group reporting no
 * instance in service also gets one slot: the alarming instance is the one to fix.
 *
 * @example groupSlotCap(34, 10) === 3; groupSlotCap(34, 2) === 1; groupSlotCap(100, 7) === 7
 */
export function groupSlotCap(blastRadiusPercent: number, instancesInService: number): number {
  // The epsilon keeps 34 % of 50 (17.000000000000004 or 16.999…) from rounding the wrong way.
  return Math.max(1, Math.floor((blastRadiusPercent * instancesInService) / 100 + 1e-9));
}
