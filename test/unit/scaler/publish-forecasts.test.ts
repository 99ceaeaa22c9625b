import { describe, expect, it } from 'vitest';
import { type ForecastDatum, publishNewForecasts, publishWindow } from '../../../lambdas/core/scaler';
import { FORECAST_METRICS } from '../../../lib/config/metric-names';
import { MemoryPorts, NOW_SEC, target } from './memory-ports';

const five = target({ id: 'five', periodSec: 300, mode: 'forecastOnly' });
const { startSec } = publishWindow(five, NOW_SEC);

/** The four values a run publishes for `five` at each of `times`. */
function valuesAt(times: readonly number[]): ForecastDatum[] {
  return times.flatMap((tSec) =>
    Object.values(FORECAST_METRICS).map((metric) => ({
      targetId: 'five',
      metric,
      tSec,
      value: 1,
    })),
  );
}

describe('publishNewForecasts', () => {
  it.each([
    { name: 'nothing in its window', stored: [], data: [], sent: 0, alreadyStored: 0 },
    { name: 'only new times', stored: [], data: [startSec, startSec + 300], sent: 8, alreadyStored: 0 },
    {
      name: 'some times already stored',
      stored: [startSec],
      data: [startSec, startSec + 300],
      sent: 4,
      alreadyStored: 4,
    },
    {
      name: 'every time already stored',
      stored: [startSec, startSec + 300],
      data: [startSec, startSec + 300],
      sent: 0,
      alreadyStored: 8,
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
