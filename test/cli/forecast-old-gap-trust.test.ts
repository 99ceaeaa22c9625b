/**
 * `selfheal forecast` judges a long export as the deployed scaler would: its gap check covers the
 * last 14 days only (the most the scaler reads, `lookbackDays` at its default, and the models use),
 * so a month-long export with a 12-hour hole three weeks ago is trusted, as the scaler trusts the
 * same load, and the same hole inside the last 14 days still makes it untrusted. The model is
 * chosen and scored on those 14 days too, from their first real point on, as the scaler reads them:
 * a metric silent for two weeks that came back 3 hours ago has 3 hours of history, not a month.
 */
import { describe, expect, it } from 'vitest';
import { productionDeps } from '../../cli/deps';
import { main } from '../../cli/main';
import { forecastTarget, historyWindow } from '../../lambdas/core/scaler/forecast-target';
import type { Point } from '../../lambdas/core/series/types';
import { target } from '../unit/scaler/memory-ports';
import { memoryIo } from './fixtures/memory-io';

const STEP = 300;
const DAY_STEPS = 288;
const DAYS = 30;
const START = Date.UTC(2014, 3, 10) / 1000;

/** 30 days of 5-minute load with a daily cycle; no row for `gapSteps` (12 hours) from day `gapDay`. */
function monthWithGap(gapDay = 3, gapSteps = 144): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < DAYS * DAY_STEPS; i++) {
    if (i >= gapDay * DAY_STEPS && i < gapDay * DAY_STEPS + gapSteps) continue;
    const value = 100 + 60 * Math.sin((2 * Math.PI * i) / DAY_STEPS) + ((i * 7919) % 13);
    points.push({ tSec: START + i * STEP, value: Number(value.toFixed(1)) });
  }
  return points;
}

/** 30 days of 5-minute load; no row from day 15 until the last `backSteps` steps. */
function backAfterTwoSilentWeeks(backSteps: number): Point[] {
  return monthWithGap(15, DAYS * DAY_STEPS - 15 * DAY_STEPS - backSteps);
}

function csvOf(points: readonly Point[]): string {
  const rows = points.map(
    (p) => `${new Date(p.tSec * 1000).toISOString().replace('T', ' ').slice(0, 19)},${p.value}`,
  );
  return `timestamp,value\n${rows.join('\n')}\n`;
}

describe('selfheal forecast on a long export, judged on the last 14 days the deployed scaler reads', () => {
  it("gives the deployed scaler's verdict, which never reads a gap older than lookbackDays", async () => {
    // Arrange: the deployed scaler, run 10 minutes after the last period ended, on the same load.
    const points = monthWithGap();
    const last = points.at(-1)?.tSec ?? 0;
    const nowSec = last + STEP + 600;
    const deployedTarget = target({ periodSec: STEP, lookbackDays: 14, horizonHours: 1 });
    const { startSec, endSec } = historyWindow(deployedTarget, nowSec);
    const deployed = forecastTarget(
      deployedTarget,
      {
        points: points.filter((p) => p.tSec >= startSec && p.tSec < endSec),
        partial: false,
        statusCodes: ['Complete'],
        messages: [],
      },
      nowSec,
    );
    const io = memoryIo({ 'month.csv': csvOf(points) });

    // Act
    const code = await main(
      ['forecast', '--input', 'month.csv', '--horizon-steps', '12', '--format', 'json'],
      io,
      productionDeps,
    );

    // Assert
    expect(code).toBe(0);
    expect(deployed.trust.trusted).toBe(true);
    const { trust } = JSON.parse(io.out.join(''));
    expect(trust.trusted, `CLI verdict: ${trust.reason}`).toBe(deployed.trust.trusted);
  }, 60_000);

  it('still refuses the same hole inside the last 14 days', async () => {
    const io = memoryIo({ 'month.csv': csvOf(monthWithGap(DAYS - 5)) });

    const code = await main(
      ['forecast', '--input', 'month.csv', '--horizon-steps', '12', '--format', 'json'],
      io,
      productionDeps,
    );

    expect(code).toBe(0);
    const { trust } = JSON.parse(io.out.join(''));
    expect(trust.trusted).toBe(false);
    expect(trust.reason).toContain('gap of 12.0 h');
  }, 60_000);

  it("gives the scaler's verdict on a metric that came back after two silent weeks: only the hours since", async () => {
    // Arrange: the deployed scaler at the default lookbackDays, on the same load.
    const points = backAfterTwoSilentWeeks(36);
    const last = points.at(-1)?.tSec ?? 0;
    const nowSec = last + STEP + 600;
    const deployedTarget = target({ periodSec: STEP, lookbackDays: 14, horizonHours: 1 });
    const { startSec, endSec } = historyWindow(deployedTarget, nowSec);
    const deployed = forecastTarget(
      deployedTarget,
      {
        points: points.filter((p) => p.tSec >= startSec && p.tSec < endSec),
        partial: false,
        statusCodes: ['Complete'],
        messages: [],
      },
      nowSec,
    );
    const io = memoryIo({ 'back.csv': csvOf(points) });

    // Act
    const code = await main(
      ['forecast', '--input', 'back.csv', '--horizon-steps', '12', '--format', 'json'],
      io,
      productionDeps,
    );

    // Assert: the whole file, hole interpolated, made a linear trend "trusted" (MASE 0.14).
    expect(code).toBe(0);
    expect(deployed.trust).toMatchObject({ trusted: false });
    expect(deployed.trust.reason).toContain('need at least 24 h');
    const { trust } = JSON.parse(io.out.join(''));
    expect(trust).toEqual(deployed.trust);
  }, 60_000);

  it('says the scaler would have nothing to forecast from when the last 14 days hold only the last point', async () => {
    const io = memoryIo({ 'back.csv': csvOf(backAfterTwoSilentWeeks(1)) });

    const code = await main(
      ['forecast', '--input', 'back.csv', '--horizon-steps', '12', '--format', 'json'],
      io,
      productionDeps,
    );

    expect(code).toBe(0);
    const { trust, forecast } = JSON.parse(io.out.join(''));
    expect(trust.trusted).toBe(false);
    expect(trust.reason).toContain('hold only its last point');
    expect(forecast).toHaveLength(12);
  }, 60_000);
});
