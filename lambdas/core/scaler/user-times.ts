/**
 * The start times the user's scheduled actions hold on a group, which no action of the plan may
 * take (see `start-times.ts`): each action's StartTime, and every run of a recurring one from its
 * StartTime to its EndTime, whatever sizes it sets (DesiredCapacity only included) and however
 * often it runs. Decided per moment asked about, so there is no list of runs to cap. Pure.
 */
import type { ScheduledActionState } from './ports';
import { eitherTaken, type TakenTime, takenTimes } from './start-times';
import { type ReadRecurrence, type Recurrence, RunTimes, recurrenceReader } from './user-recurrence';

/**
 * The start times `foreign` actions hold. A recurring action whose Recurrence or TimeZone cannot be
 * read holds only its StartTime: its other run times are unknown (`userSchedule` warns about it).
 */
export function userStartTimes(
  foreign: readonly ScheduledActionState[],
  read: ReadRecurrence = recurrenceReader(),
): TakenTime {
  const recurring: {
    readonly name: string;
    readonly r: Recurrence;
    readonly from: number;
    readonly until: number;
  }[] = [];
  for (const a of foreign) {
    if (a.recurrence === undefined) continue;
    const r = read(a);
    if (typeof r === 'string') continue;
    recurring.push({
      name: a.name,
      r,
      from: a.startTimeSec ?? Number.NEGATIVE_INFINITY,
      until: a.endTimeSec ?? Number.POSITIVE_INFINITY,
    });
  }
  const runs = new RunTimes();
  const run: TakenTime = (tSec, name) =>
    recurring.some((x) => x.name !== name && tSec >= x.from && tSec <= x.until && runs.runsAt(x.r, tSec));
  return eitherTaken(takenTimes(foreign), run);
}
