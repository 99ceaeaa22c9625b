/**
 * Review (failing test): `selfheal forecast` now looks for a gap in the last 14 days of the file
 * only, and drops the filled points at the start of that window, as the deployed scaler's read
 * would return nothing before its first datapoint (`TraceKnowledge.at`). But the model selector's
 * verdict it starts from is still made on the whole file, the two-week hole interpolated included:
 * a file whose metric was silent for two weeks and came back 3 hours ago is "trusted", while the
 * deployed scaler, reading those 14 days, has 3 hours of history and refuses to scale ("need at
 * least 24 h"). Before the change the hole made the CLI say untrusted, as the scaler does; the
 * README promises the deployed scaler's verdict at the default lookbackDays of 14.
 */
import { describe, expect, it } from 'vitest';
import { productionDeps } from '../../cli/deps';
import { main } from '../../cli/main';
import { forecastTarget, historyWindow } from '../../lambdas/core/scaler/forecast-target';
import type { Point } from '../../lambdas/core/series/types';
import { memoryIo } from '../cli/fixtures/memory-io';
import { target } from '../unit/scaler/memory-ports';

const STEP = 300;
const DAY_STEPS = 288;
const DAYS = 30;
const START = Date.UTC(2014, 3, 10) / 1000;

/** 30 days of 5-minute load with a daily cycle; no row from day 15 until the last 3 hours. */
function backAfterTwoSilentWeeks(): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < DAYS * DAY_STEPS; i++) {
    if (i >= 15 * DAY_STEPS && i < DAYS * DAY_STEPS - 36) continue;
    const value = 100 + 60 * Math.sin((2 * Math.PI * i) / DAY_STEPS) + ((i * 7919) % 13);
    points.push({ tSec: START + i * STEP, value: Number(value.toFixed(1)) });
  }
  return points;
}

function csvOf(points: readonly Point[]): string {
  const rows = points.map(
    (p) => `${new Date(p.tSec * 1000).toISOString().replace('T', ' ').slice(0, 19)},${p.value}`,
  );
  return `timestamp,value\n${rows.join('\n')}\n`;
}

describe('selfheal forecast on an export whose metric came back after two silent weeks', () => {
  it("gives the deployed scaler's verdict, which has only the hours since the metric came back", async () => {
    // Arrange: the deployed scaler at the default lookbackDays, on the same load.
    const points = backAfterTwoSilentWeeks();
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

    // Assert
    expect(code).toBe(0);
    expect(deployed.trust).toMatchObject({ trusted: false });
    expect(deployed.trust.reason).toContain('need at least 24 h');
    const { trust } = JSON.parse(io.out.join(''));
    expect(trust.trusted, `CLI verdict: ${trust.reason}`).toBe(false);
  }, 60_000);
});
