/**
 * Found in review (fixed): `selfheal forecast` printed the model selector's verdict alone, so a
 * history with a three-day hole filled by a straight line read `trust: trusted: ...`, which the
 * deployed scaler and `backtest` refuse (`historyTrust`, forecast/history-gate.ts); and with
 * `--format csv` it printed neither the model nor the verdict anywhere, so a script planning from
 * the CSV acted on an untrusted forecast unannounced. The verdict is now the scaler's, and CSV
 * output tells it on stderr, leaving stdout clean CSV.
 */
import { describe, expect, it } from 'vitest';
import { productionDeps } from '../../cli/deps';
import type { CliDeps } from '../../cli/main';
import { main } from '../../cli/main';
import { fakeDeps } from './fixtures/fake-deps';
import { memoryIo, syntheticCsv } from './fixtures/memory-io';

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
    expect(body.trust).toEqual({
      trusted: false,
      reason: 'history has a gap of 72.0 h (filled by interpolation); the limit is 6 h',
    });
  });

  it('says NOT trusted in the table, not "trusted"', async () => {
    const io = memoryIo({ 'gap.csv': traceWithThreeDayGap() });

    await main(['forecast', '--input', 'gap.csv', '--horizon-steps', '2'], io, productionDeps);

    expect(io.out.join('')).toMatch(/\ntrust: NOT trusted: history has a gap of 72\.0 h /);
  });

  it("keeps the selector's verdict for a gap of at most 6 h", async () => {
    // Arrange: 72 rows (6 h at 5 minutes) missing from a 2-day trace.
    const rows = syntheticCsv(2 * 288).split('\n');
    const gappy = [...rows.slice(0, 100), ...rows.slice(172)].join('\n');
    const io = memoryIo({ 'in.csv': gappy });

    // Act
    await main(['forecast', '--input', 'in.csv', '--horizon-steps', '1', '--format', 'json'], io, fakeDeps);

    // Assert
    expect(io.err.join('')).toContain('longest gap 72 step(s)');
    expect(JSON.parse(io.out.join('')).trust).toEqual({ trusted: true, reason: 'fake' });
  });
});

const REASON = 'only 1.0 h of history; need at least 24 h before forecasts can drive scaling';

/** The fake selector, with an untrusted verdict as the real one gives a 1-hour history. */
const untrustedDeps: CliDeps = {
  ...fakeDeps,
  selectForecast: (history, options) => ({
    ...fakeDeps.selectForecast(history, options),
    model: 'naive',
    trust: { trusted: false, reason: REASON },
  }),
};

describe('selfheal forecast --format csv', () => {
  it('tells the model and why the forecast is not trusted on stderr, leaving stdout clean CSV', async () => {
    // Arrange
    const io = memoryIo({ 'in.csv': syntheticCsv(12) });

    // Act
    const code = await main(
      ['forecast', '--input', 'in.csv', '--horizon-steps', '2', '--format', 'csv'],
      io,
      untrustedDeps,
    );

    // Assert
    expect(code).toBe(0);
    expect(io.err.join('')).toBe(
      `selfheal: note: in.csv: model: naive (step 300 s); trust: NOT trusted: ${REASON}\n`,
    );
    expect(io.out.join('')).toBe(
      'timestamp,value,upper\n2014-04-10T01:00:00Z,123.3,147.96\n2014-04-10T01:05:00Z,123.3,147.96\n',
    );
  });

  it('tells a trusted verdict too', async () => {
    const io = memoryIo({ 'in.csv': syntheticCsv(12) });

    await main(['forecast', '--input', 'in.csv', '--horizon-steps', '2', '--format', 'csv'], io, fakeDeps);

    expect(io.err.join('')).toBe(
      'selfheal: note: in.csv: model: fake-last-value (step 300 s); trust: trusted: fake\n',
    );
  });
});
