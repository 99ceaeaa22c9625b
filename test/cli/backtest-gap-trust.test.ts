/**
 * Found in review (fixed): `selfheal backtest` let forecasts drive the plan from a history with a
 * 12-hour hole, which the deployed trust gate refuses. Both now call `historyTrust`.
 *
 * README "How the predictive scaler decides", 6: no scaling "when the history has a gap of more
 * than 6 h (filled by interpolation)"; `MAX_TRUSTED_GAP_SEC` (forecast/history-gate.ts) applies
 * it "wherever it is: inside the history". The backtest regularized the whole trace once (the gap
 * became a straight line), kept only the count of filled points for a stderr note, and its
 * floor planned on `forecast.trust` from the selector alone, so every forecast whose 14-day window
 * held the gap was still counted as trusted and planned capacity.
 */
import { describe, expect, it } from 'vitest';
import { productionDeps } from '../../cli/deps';
import { main } from '../../cli/main';
import { memoryIo } from './fixtures/memory-io';

/** Five days of 5-minute load with a daily cycle, without rows from 06:00 to 18:00 on day one. */
function traceWithHalfDayGap(): string {
  const start = Date.UTC(2014, 3, 10) / 1000;
  const lines = ['timestamp,value'];
  for (let i = 0; i < 5 * 288; i++) {
    if (i >= 72 && i < 216) continue;
    const t = new Date((start + i * 300) * 1000).toISOString().replace('T', ' ').slice(0, 19);
    const v = 100 + 60 * Math.sin((2 * Math.PI * i) / 288) + ((i * 7919) % 13);
    lines.push(`${t},${v.toFixed(1)}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('selfheal backtest on a trace with a gap longer than 6 h', () => {
  it('trusts no forecast whose history holds the gap, as the deployed scaler would not', async () => {
    // Arrange: every decision's 14-day history (the deployed default lookback) holds the gap.
    const io = memoryIo({ 'gap.csv': traceWithHalfDayGap() });

    // Act
    const code = await main(
      ['backtest', '--trace', 'gap.csv', '--target-value', '11', '--json', 'out.json'],
      io,
      productionDeps,
    );

    // Assert
    expect(code).toBe(0);
    expect(io.err.join('')).toContain('longest gap 144 step(s)');
    const summary = JSON.parse(io.written.get('out.json') ?? '{}');
    expect(summary.forecasts.made).toBeGreaterThan(0);
    expect(summary.forecasts.trusted).toBe(0);
  });
});
