/**
 * Found in review (failing now): the default horizon escapes the 525,600-step limit. Without
 * `--horizon-steps`, `forecastCommand` asks for `round(86400 / step)` steps; a series whose
 * inferred step is 1 ms (epoch-millisecond rows one millisecond apart, e.g. a per-request export)
 * asks for 86,400,000. The real CLI on a three-row file then runs ~25 s and dies of "JavaScript
 * heap out of memory" with V8's native stack (exit 134), not one line and exit 2.
 *
 * README `selfheal forecast`: `--horizon-steps` is "1 to 525,600" (default 24 h worth of steps);
 * exit 2 for bad input, "Never a stack trace". cli/forecast-command.ts: `MAX_HORIZON_STEPS` "more
 * is a typo, and would only exhaust memory", checked only for the flag.
 */
import { describe, expect, it } from 'vitest';
import type { CliDeps } from '../../cli/main';
import { main } from '../../cli/main';
import { fakeDeps } from '../cli/fixtures/fake-deps';
import { memoryIo } from '../cli/fixtures/memory-io';

const MAX_HORIZON_STEPS = 525_600;

/** The fake selector, recording each horizon it is asked for and forecasting one step whatever it is. */
function recordingDeps(asked: number[]): CliDeps {
  return {
    ...fakeDeps,
    selectForecast: (history, { horizonSteps }) => {
      asked.push(horizonSteps);
      return fakeDeps.selectForecast(history, { horizonSteps: 1 });
    },
  };
}

describe('selfheal forecast without --horizon-steps on a millisecond series', () => {
  it('never asks the forecaster for more than 525,600 steps (or refuses the series with exit 2)', async () => {
    // Arrange: three epoch-millisecond rows, 1 ms apart.
    const io = memoryIo({ 'ms.csv': 'timestamp,value\n1397088000000,5\n1397088000001,6\n1397088000002,7\n' });
    const asked: number[] = [];

    // Act
    const code = await main(['forecast', '--input', 'ms.csv', '--format', 'csv'], io, recordingDeps(asked));

    // Assert
    expect([0, 2]).toContain(code);
    expect(asked.filter((h) => h > MAX_HORIZON_STEPS)).toEqual([]);
  });
});
