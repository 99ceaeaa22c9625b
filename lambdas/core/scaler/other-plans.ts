/**
 * Scheduled actions on a group named for another forecaster target: the plan of a target whose
 * `forecastAndScale` moved to another target of the group, or whose id was renamed, or one that
 * another stack writes on the same group. Pure.
 */
import type { ScheduledActionState } from './ports';
import { forecasterActionOf } from './scheduled-actions';

/**
 * One line per other target id whose actions (`selfheal-<id>-…`) are on the group, naming how many
 * there are, the last of them and its time. They are never touched: names do not carry the stack
 * that wrote them, so another stack may be scaling the group under that id, and the forecaster
 * deletes nothing it did not write for the target at hand. They run as written, planned around as
 * the user's are (see `userSchedule`), until the last of them.
 */
export function otherPlans(targetId: string, foreign: readonly ScheduledActionState[]): string[] {
  const byId = new Map<string, ScheduledActionState[]>();
  for (const a of foreign) {
    const of = forecasterActionOf(a.name);
    if (of === undefined || of.targetId === targetId) continue;
    byId.set(of.targetId, [...(byId.get(of.targetId) ?? []), a]);
  }
  return [...byId.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([id, actions]) => {
      const last = [...actions].sort(
        (x, y) => (x.startTimeSec ?? 0) - (y.startTimeSec ?? 0) || x.name.localeCompare(y.name),
      )[actions.length - 1];
      const until =
        last?.startTimeSec === undefined
          ? ''
          : `, the last ${last.name} at ${new Date(last.startTimeSec * 1000).toISOString().replace('.000Z', 'Z')}`;
      return `${actions.length} scheduled action(s) of forecaster target ${id} are on the group (selfheal-${id}-…${until}): not this target's, so they are left alone and set the group's sizes as written until then, planned around as the user's are; if no stack scales this group as target ${id} any more (its mode is forecastOnly, or it was renamed or removed), delete them`;
    });
}
