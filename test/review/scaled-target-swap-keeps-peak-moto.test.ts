/**
 * Review (soak on moto): moving `forecastAndScale` from one target of a group to another (or
 * renaming the scaled target's id) turns the old target's raise in force into a permanent floor.
 *
 * Two targets may share a group as long as one at most is `forecastAndScale` (the seed's `web` and
 * `sessions`). When the scaled one changes between deploys, the new target's first run finds none
 * of its own actions pending, so `planBaseline` keeps the group's MinSize as a floor "not one it
 * set" (README, configuration reference, `minCapacity`: "a higher MinSize found on the group while
 * none of the target's actions is pending is kept as the floor"). That MinSize is the previous
 * forecaster target's raise for the block in progress, written by the same stack: its plan
 * (`selfheal-web-…`, `selfheal-web-restore`) is still listed on the group, only under another id.
 * The new target writes `…-restore-held` at the daytime peak and, since every one of its actions
 * then writes at least that floor, the group never shows a lower MinSize again: it keeps its noon
 * capacity through every night.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requireMoto } from '../emulator/moto-server';
import { motoForSuite } from '../emulator/moto-suite';
import { DAY, type Decision, dailyLoad, HOUR, own, Soak, scaledTarget } from './soak-harness';

/** 2025-01-29T00:20:00Z: the forecaster runs at 20 past every hour. */
const T0 = Date.UTC(2025, 0, 29, 0, 20) / 1000;

describe.runIf(requireMoto())('switching which target of a group scales it, on moto (hourly runs)', () => {
  const moto = motoForSuite();
  let soak: Soak;
  const web = scaledTarget();
  const api = scaledTarget({ id: 'api', mode: 'forecastOnly' });

  beforeAll(async () => {
    soak = new Soak(moto().endpoint);
    soak.setNow(T0);
    await soak.createGroup(1, 10);
    // A daily cycle needing 2 instances at night and 9 at noon (targetValue 100).
    await soak.putLoad(T0 - 20 * 60 - 14 * DAY, T0 + 2 * DAY, dailyLoad(100, 800));
    await soak.deploy([web, api]);
  }, 60_000);

  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('does not keep the previous scaled target’s raise as the new target’s floor', async () => {
    for (let h = 0; h <= 12; h++) await soak.runAt(T0 + h * HOUR);
    // 12:25: `web` goes back to forecastOnly and `api` scales the group, in one deploy.
    const swapAt = T0 + 12 * HOUR + 5 * 60;
    soak.setNow(swapAt);
    const atSwap = await soak.sizes();
    expect(atSwap.minSize).toBe(9); // web's raise for the noon block
    expect(own(await soak.actions(), 'web').some((a) => a.name === 'selfheal-web-restore')).toBe(true);
    await soak.deploy([
      { ...web, mode: 'forecastOnly' },
      { ...api, mode: 'forecastAndScale' },
    ]);

    const first = byId((await soak.runAt(T0 + 13 * HOUR)).decisions, 'api');
    let last: Decision | undefined;
    for (let h = 14; h <= 27; h++) last = byId((await soak.runAt(T0 + h * HOUR)).decisions, 'api');

    expect(first.actions?.baseline).toMatchObject({ minSize: 1, source: 'config' });
    // 2025-01-30T03:20Z: the night, when the forecast needs 2-3 instances.
    expect(last?.status).toBe('scaled');
    expect((await soak.sizes()).minSize).toBeLessThan(atSwap.minSize);
  }, 300_000);
});

function byId(decisions: readonly Decision[], id: string): Decision {
  const d = decisions.find((x) => x.targetId === id);
  if (d === undefined) throw new Error(`no decision record for target ${id}`);
  return d;
}
