/**
 * Found in review (failing now): on a grid that is not whole seconds, `forecast` prints each
 * future step's time rounded to the second. The README keeps such grids ("a 1.5 s grid stays
 * 1.5 s"), and then prints the steps at 1 s and 2 s spacings alternately (04.5 → 05, 07.5 → 08);
 * at 0.5 s two rows carry each timestamp, so a reader keyed on the timestamp loses half of them.
 *
 * `isoUtc` (lambdas/core/series/iso-time.ts) does `Math.round(tSec)` "without milliseconds";
 * `formatForecast` (cli/forecast-command.ts) uses it for every row, in table, CSV and JSON.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { fakeDeps } from '../cli/fixtures/fake-deps';
import { memoryIo } from '../cli/fixtures/memory-io';

const T0_MS = Date.UTC(2014, 3, 10);

/** Rows `stepSec` apart from 2014-04-10T00:00:00Z, in ISO 8601 with milliseconds. */
function rows(stepSec: number, count: number): string {
  const lines = ['timestamp,value'];
  for (let i = 0; i < count; i++) lines.push(`${new Date(T0_MS + i * stepSec * 1000).toISOString()},${i}`);
  return `${lines.join('\n')}\n`;
}

describe('selfheal forecast on a sub-second or fractional-second grid', () => {
  it.each([{ stepSec: 1.5 }, { stepSec: 0.5 }])(
    'prints each future step at its own time, $stepSec s apart',
    async ({ stepSec }) => {
      // Arrange: 3 rows, so the forecast starts at 3 steps past the first row.
      const io = memoryIo({ 'in.csv': rows(stepSec, 3) });

      // Act
      const code = await main(
        ['forecast', '--input', 'in.csv', '--horizon-steps', '4', '--format', 'json'],
        io,
        fakeDeps,
      );

      // Assert
      expect(code).toBe(0);
      const body = JSON.parse(io.out.join(''));
      expect(body.stepSeconds).toBe(stepSec);
      const printedMs = body.forecast.map((r: { timestamp: string }) => Date.parse(r.timestamp));
      expect(printedMs).toEqual([3, 4, 5, 6].map((i) => T0_MS + i * stepSec * 1000));
    },
  );
});
