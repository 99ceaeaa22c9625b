import { describe, expect, it } from 'vitest';
import { type ForecastDatum, publishNewForecasts, publishWindow } from '../../../lambdas/core/scaler';
import { FORECAST_METRICS } from '../../../lib/config/metric-names';
import { MemoryPorts, NOW_SEC, target } from './memory-ports';

const five = target({ id: 'five', periodSec: 300, mode: 'forecastOnly' });
const { startSec } = publishWindow(five, NOW_SEC);

/** The values a run publishes for `five` at each of `times`, one per forecast metric. */
function valuesAt(times: readonly number[], periodSec = 300): ForecastDatum[] {
  return times.flatMap((tSec) =>
    Object.values(FORECAST_METRICS).map((metric) => ({
      targetId: 'five',
      periodSec,
      metric,
      tSec,
      value: 1,
    })),
  );
}

describe('publishNewForecasts', () => {
  it.each([
    { name: 'nothing in its window', stored: [], data: [], sent: 0, alreadyStored: 0 },
    { name: 'only new times', stored: [], data: [startSec, startSec + 300], sent: 10, alreadyStored: 0 },
    {
      name: 'some times already stored',
      stored: [startSec],
      data: [startSec, startSec + 300],
      sent: 5,
      alreadyStored: 5,
    },
    {
      name: 'every time already stored',
      stored: [startSec, startSec + 300],
      data: [startSec, startSec + 300],
      sent: 0,
      alreadyStored: 10,
    },
  ])(
    'counts what it sent and skipped for a target with $name',
    async ({ stored, data, sent, alreadyStored }) => {
      const ports = new MemoryPorts();
      ports.published.push(...valuesAt(stored));

      const results = await publishNewForecasts(
        [{ target: five, data: valuesAt(data) }],
        ports.publisher,
        NOW_SEC,
      );

      expect(results.get('five')).toEqual({ outcome: { ok: true, value: undefined }, sent, alreadyStored });
    },
  );

  it("sends every time of a target whose periodSec changed: the old period's forecasts are another series", async () => {
    const ports = new MemoryPorts();
    // The previous run forecast `five` at 60 s; it now runs at 300 s, over the same times.
    ports.published.push(...valuesAt([startSec, startSec + 60, startSec + 300], 60));

    const results = await publishNewForecasts(
      [{ target: five, data: valuesAt([startSec, startSec + 300]) }],
      ports.publisher,
      NOW_SEC,
    );

    expect(results.get('five')).toEqual({
      outcome: { ok: true, value: undefined },
      sent: 10,
      alreadyStored: 0,
    });
  });

  it('reads nothing back and sends nothing when no target has a value in its window', async () => {
    const ports = new MemoryPorts();

    await publishNewForecasts([{ target: five, data: [] }], ports.publisher, NOW_SEC);

    expect(ports.calls).toEqual([]);
  });

  it('counts 0 sent and 0 already stored for a target whose read-back failed', async () => {
    const ports = new MemoryPorts();
    ports.readBackFails = true;

    const results = await publishNewForecasts(
      [{ target: five, data: valuesAt([startSec]) }],
      ports.publisher,
      NOW_SEC,
    );

    expect(results.get('five')).toMatchObject({ outcome: { ok: false }, sent: 0, alreadyStored: 0 });
  });

  it('returns no result for a target that was not pending', async () => {
    const results = await publishNewForecasts([], new MemoryPorts().publisher, NOW_SEC);

    expect(results.size).toBe(0);
  });
});
