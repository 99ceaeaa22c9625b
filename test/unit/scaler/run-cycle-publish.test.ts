import { describe, expect, it } from 'vitest';
import { historyWindow, runForecastCycle } from '../../../lambdas/core/scaler';
import { isoUtc } from '../../../lambdas/core/series/iso-time';
import type { ScalingTarget } from '../../../lib/config/schema';
import { dailyHistory, fixedClock, MemoryPorts, NOW_SEC, target } from './memory-ports';

const MIN = 60;
const HOUR = 3600;
/** 2024-03-04T10:00:00Z. */
const T0 = NOW_SEC - 30 * MIN;

/** A 5-minute and an hourly target, forecast only (publishing is what is under test). */
function setup(): { ports: MemoryPorts; targets: ScalingTarget[] } {
  const ports = new MemoryPorts();
  const targets = [
    target({ id: 'five', periodSec: 300, mode: 'forecastOnly' }),
    target({ id: 'hourly', periodSec: 3600, mode: 'forecastOnly' }),
  ];
  return { ports, targets };
}

/** Runs the cycle at `nowSec` on 14 days of history ending where that run's history window ends. */
async function runAt(ports: MemoryPorts, targets: readonly ScalingTarget[], nowSec: number) {
  for (const t of targets) {
    const endSec = historyWindow(t, nowSec).endSec;
    ports.histories.set(t.id, { ok: true, value: dailyHistory(endSec, t.periodSec, 14) });
  }
  return runForecastCycle(targets, ports, fixedClock(nowSec));
}

/** How many values the store holds per `target metric time`, for every one that holds any. */
function copies(ports: MemoryPorts): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of ports.published) {
    const key = `${d.targetId} ${d.metric} ${isoUtc(d.tSec)}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** Keys stored more than once; empty when every time is stored once. */
function storedTwice(ports: MemoryPorts): string[] {
  return [...copies(ports)].filter(([, n]) => n > 1).map(([key]) => key);
}

/** The forecast times stored for `targetId`, in order, as HH:MM. */
function times(ports: MemoryPorts, targetId: string): string[] {
  const set = new Set(ports.published.filter((d) => d.targetId === targetId).map((d) => d.tSec));
  return [...set].sort((a, b) => a - b).map((t) => isoUtc(t).slice(11, 16));
}

/** HH:MM from `from` to `to` inclusive, every `stepMin` minutes, on 2024-03-04. */
function clock(from: string, to: string, stepMin: number): string[] {
  const at = (hhmm: string) => Date.parse(`2024-03-04T${hhmm}:00Z`) / 1000;
  const out: string[] = [];
  for (let t = at(from); t <= at(to); t += stepMin * MIN) out.push(isoUtc(t).slice(11, 16));
  return out;
}

describe('runForecastCycle publishing over several runs', () => {
  it.each([
    { after: '1 min (Lambda retry of a run that failed after publishing)', delaySec: MIN },
    { after: '3 min (second Lambda retry)', delaySec: 3 * MIN },
    { after: '10 min (a manual run)', delaySec: 10 * MIN },
    { after: '59 min 20 s (a scheduled run a little early)', delaySec: 59 * MIN + 20 },
  ])('stores each forecast time once when a run follows another after $after', async ({ delaySec }) => {
    const { ports, targets } = setup();
    await runAt(ports, targets, T0 + 30);

    const second = await runAt(ports, targets, T0 + 30 + delaySec);

    expect(storedTwice(ports)).toEqual([]);
    expect(second.failed).toBe(0);
    expect(second.records[0]?.alreadyPublishedPoints).toBeGreaterThan(0);
  });

  it('publishes only the times not stored yet and counts both in the decision record', async () => {
    const { ports, targets } = setup();
    await runAt(ports, targets, T0 + 30);

    const rerun = await runAt(ports, targets, T0 + 30 + 10 * MIN);

    // The first run stored 09:50-11:00 (its history ended 09:50); the rerun's window is 10:00-11:10.
    expect(rerun.records[0]).toMatchObject({ publishedPoints: 2 * 5, alreadyPublishedPoints: 13 * 5 });
    expect(times(ports, 'five')).toEqual(clock('09:50', '11:10', 5));
  });

  it('leaves no step without a forecast when the next run starts a minute late', async () => {
    const { ports, targets } = setup();
    await runAt(ports, targets, T0);
    await runAt(ports, targets, T0 + HOUR + 59);

    expect(times(ports, 'five')).toEqual(clock('09:50', '12:00', 5));
    expect(times(ports, 'hourly')).toEqual(clock('09:00', '12:00', 60));
    expect(storedTwice(ports)).toEqual([]);
  });

  it('after a missed run leaves only the steps no run forecast before they began, then goes on', async () => {
    const { ports, targets } = setup();
    await runAt(ports, targets, T0 + 30);
    // The 11:00 run never happens.
    await runAt(ports, targets, T0 + 2 * HOUR + 30);
    await runAt(ports, targets, T0 + 3 * HOUR + 30);

    // 11:05-11:45 were after the 10:00 run's window and before the 12:00 run's history ended.
    expect(times(ports, 'five')).toEqual([...clock('09:50', '11:00', 5), ...clock('11:50', '14:00', 5)]);
    expect(times(ports, 'hourly')).toEqual(clock('09:00', '14:00', 60));
    expect(storedTwice(ports)).toEqual([]);
  });

  it('publishes nothing for a target whose stored times cannot be read, and its retry publishes once', async () => {
    const { ports, targets } = setup();
    ports.readBackFails = true;

    const failed = await runAt(ports, targets, T0 + 30);

    expect(ports.published).toEqual([]);
    expect(failed).toMatchObject({ failed: 2, succeeded: 0 });
    expect(failed.records[0]).toMatchObject({ status: 'failed', failedStage: 'publish' });
    expect(failed.records[0]?.error).toContain('could not read back the forecasts already published');
    expect(failed.records[0]?.error).toContain('Throttling: Rate exceeded');

    ports.readBackFails = false;
    const retried = await runAt(ports, targets, T0 + 30 + MIN);

    expect(retried.failed).toBe(0);
    expect(times(ports, 'five')).toEqual(clock('09:50', '11:00', 5));
    expect(storedTwice(ports)).toEqual([]);
  });

  it('republishes the whole window on a retry after a publish that failed', async () => {
    const { ports, targets } = setup();
    ports.publishFails = true;
    await runAt(ports, targets, T0 + 30);
    ports.publishFails = false;

    await runAt(ports, targets, T0 + 30 + MIN);

    expect(times(ports, 'five')).toEqual(clock('09:50', '11:00', 5));
    expect(storedTwice(ports)).toEqual([]);
  });
});
