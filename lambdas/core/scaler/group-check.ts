/**
 * What `forecastAndScale` would make of a `forecastOnly` target's group, so an operator watching
 * the forecasts before switching learns then, not at the switch, that the group would be refused
 * or would not follow the plan fully (see `groupFit`). It only reports: nothing is written and the
 * target does not fail.
 */
import type { ScalingTarget } from '../../../lib/config/schema';
import { beforeAbort, DeadlineReachedError, reasonOf } from './deadline';
import { describeError } from './decision';
import { groupFit } from './group-fit';
import type { GroupReader, GroupState, Outcome } from './ports';

/**
 * Describes the groups of the `forecastOnly` targets among `targets` in one batched call (the
 * adapter sends 100 names per DescribeAutoScalingGroups) and returns, per target id, what
 * {@link groupCheck} says. A read that fails, for one group or for all, is said in the check; it
 * never throws. `signal` (the run's `stopTargets`) aborts the read, which is then not waited for.
 */
export async function checkForecastOnlyGroups(
  targets: readonly ScalingTarget[],
  groups: GroupReader,
  signal?: AbortSignal,
): Promise<ReadonlyMap<string, readonly string[]>> {
  const checked = targets.filter((t) => t.mode === 'forecastOnly');
  if (checked.length === 0) return new Map();
  const names = [...new Set(checked.map((t) => t.autoScalingGroupName))];
  let reads: ReadonlyMap<string, Outcome<GroupState>>;
  try {
    if (signal?.aborted)
      throw new DeadlineReachedError(`${reasonOf(signal)} before the groups were described`);
    reads = await beforeAbort(
      groups.describeGroups(names, signal),
      signal,
      "describing the forecastOnly targets' groups",
    );
  } catch (error) {
    const failed = { ok: false, error: describeError(error) } as const;
    reads = new Map(names.map((n) => [n, failed]));
  }
  return new Map(
    checked.map((t) => [t.id, groupCheck(t.autoScalingGroupName, reads.get(t.autoScalingGroupName))]),
  );
}

/**
 * One line per refusal and warning `groupFit` gives for the group, each saying what
 * `forecastAndScale` would do; or one line saying why the group could not be checked. Empty when
 * the group could take the plan in full.
 */
export function groupCheck(name: string, read: Outcome<GroupState> | undefined): readonly string[] {
  if (read === undefined || !read.ok) {
    const why = read === undefined ? 'no answer for this group' : read.error;
    return [
      `Auto Scaling group ${name} could not be described, so it was not checked for forecastAndScale (${why})`,
    ];
  }
  const fit = groupFit(read.value);
  return [
    ...fit.refusals.map(
      (r) => `in forecastAndScale the group would be refused and nothing written (failedStage group): ${r}`,
    ),
    ...fit.warnings.map((w) => `in forecastAndScale the plan would be written with a warning: ${w}`),
  ];
}
