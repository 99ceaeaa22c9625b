/**
 * Review (failing test): a target that keeps the floor another target's `-restore-held` holds (the
 * scaled target moved to it, or was renamed; `planBaseline`) keeps that floor whatever the
 * group's MinSize is. With nothing of its own on the group, its decision record says "set the
 * group's MinSize to minCapacity 2 …; no action of this target is on the group to write the floor
 * back, so the next run reads it" (`withRelease`), and the handler logs that at WARN (`floor
 * held`). An operator who does so sees the next run ignore the MinSize they set and raise it back
 * to the other target's floor itself, now recorded in this target's own `-restore-held`: the
 * release it names does not release the floor (only deleting `selfheal-api-restore-held`, which it
 * does not name, would). A target's own held floor is let go when the MinSize is seen below it.
 */
import { describe, expect, it } from 'vitest';
import { restoreActionName, runForecastCycle } from '../../lambdas/core/scaler';
import { dailyHistory, fixedClock, MemoryPorts, NOW_SEC, target } from '../unit/scaler/memory-ports';

const HOUR = 3600;
const GROUP = 'web-asg';
/** The previously scaled target: its load needs 2 to 50 instances. */
const api = target({ id: 'api', maxCapacity: 60 });
/** The target scaled now: its load needs at most 25 instances, below the held floor 30. */
const web = target({ id: 'web', maxCapacity: 60 });

describe('a floor kept from another target’s -restore-held, with nothing of this target on the group', () => {
  it('plans on the MinSize the operator set as the release text says, at the next run', async () => {
    // Arrange: target api held the operator's MinSize 30 (10:30), then forecastAndScale moved to
    // web. At 20:30 api's plan is back at 30, its next raises and -restore-held are pending.
    const ports = new MemoryPorts();
    ports.addGroup(GROUP, 30, 60);
    ports.histories.set('api', { ok: true, value: dailyHistory(NOW_SEC, HOUR, 14, 200, 5000) });
    await runForecastCycle([api], ports, fixedClock());
    expect(ports.ownActions(GROUP, 'api').some((a) => a.name === restoreActionName('api', true))).toBe(true);
    const evening = NOW_SEC + 10 * HOUR;
    ports.advanceTo(evening);
    ports.histories.set('web', { ok: true, value: dailyHistory(evening, HOUR, 14, 200, 2500) });
    const held = await runForecastCycle([web], ports, fixedClock(evening));
    const baseline = held.records[0]?.actions?.baseline;
    expect(baseline).toMatchObject({ minSize: 30, source: 'group' });
    expect(ports.ownActions(GROUP, 'web')).toEqual([]);
    expect(baseline?.release).toBe(
      "floor 30 is held until it is released: set the group's MinSize to minCapacity 2 (or another floor you want held); no action of this target is on the group to write the floor back, so the next run reads it",
    );
    // The operator does just that.
    const g = ports.groupStates.get(GROUP);
    if (g !== undefined) ports.groupStates.set(GROUP, { ...g, minSize: 2 });

    // Act: the next run, an hour later.
    const next = evening + HOUR;
    ports.advanceTo(next);
    ports.histories.set('web', { ok: true, value: dailyHistory(next, HOUR, 14, 200, 2500) });
    const summary = await runForecastCycle([web], ports, fixedClock(next));

    // Assert: it plans on the MinSize set (2) and does not raise the group back to 30 itself (web's
    // own night blocks need a few instances; api's next action is due at 06:55 tomorrow).
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 2 });
    ports.advanceTo(next + HOUR);
    expect(ports.groupStates.get(GROUP)?.minSize).toBeLessThan(30);
  });
});
