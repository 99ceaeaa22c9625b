/**
 * Found in review (failing now): `selfheal forecast` calls a history the scaler would refuse
 * "trusted". A trace with a three-day hole is filled by interpolation (a straight line over three
 * days) and the printed verdict comes from the model selector alone, so it reads
 * `trust: trusted: model ... had validation MASE 0.30 ...`.
 *
 * README "How the predictive scaler decides", 6: no scaling "when the history has a gap of more
 * than 6 h (filled by interpolation)" (`historyTrust`, forecast/history-gate.ts, applied by the
 * deployed forecaster and, since test/cli/backtest-gap-trust.test.ts, by `backtest`). README
 * `selfheal forecast` prints "the chosen model and the trust verdict"; cli/forecast-command.ts
 * prints `select(...).trust` without the history checks, so `forecast` and `backtest` disagree
 * on the same trace.
 */
import { describe, expect, it } from 'vitest';
import { productionDeps } from '../../cli/deps';
import { main } from '../../cli/main';
import { memoryIo } from '../cli/fixtures/memory-io';

/** Ten days of 5-minute load with a daily cycle, without any row on days 4, 5 and 6. */
function traceWithThreeDayGap(): string {
  const start = Date.UTC(2014, 3, 10) / 1000;
  const lines = ['timestamp,value'];
  for (let i = 0; i < 10 * 288; i++) {
    if (i >= 4 * 288 && i < 7 * 288) continue;
    const t = new Date((start + i * 300) * 1000).toISOString().replace('T', ' ').slice(0, 19);
    const v = 100 + 60 * Math.sin((2 * Math.PI * i) / 288) + ((i * 7919) % 13);
    lines.push(`${t},${v.toFixed(1)}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('selfheal forecast on a trace with a gap longer than 6 h', () => {
  it('reports the forecast untrusted, naming the gap, as the deployed scaler and backtest would', async () => {
    // Arrange
    const io = memoryIo({ 'gap.csv': traceWithThreeDayGap() });

    // Act
    const code = await main(
      ['forecast', '--input', 'gap.csv', '--horizon-steps', '2', '--format', 'json'],
      io,
      productionDeps,
    );

    // Assert
    expect(code).toBe(0);
    expect(io.err.join('')).toContain('longest gap 864 step(s)');
    const body = JSON.parse(io.out.join(''));
    expect(body.trust.trusted).toBe(false);
    expect(body.trust.reason).toMatch(/gap of 72\.0 h/);
  });

  it('says NOT trusted in the table, not "trusted"', async () => {
    const io = memoryIo({ 'gap.csv': traceWithThreeDayGap() });

    await main(['forecast', '--input', 'gap.csv', '--horizon-steps', '2'], io, productionDeps);

    expect(io.out.join('')).toMatch(/\ntrust: NOT trusted: /);
  });
});
