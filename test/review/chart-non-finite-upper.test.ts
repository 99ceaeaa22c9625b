import { describe, expect, it } from 'vitest';
import { renderChartSvg } from '../../cli/chart/svg-chart';
import { syntheticRun } from '../cli/fixtures/synthetic-backtest';

/*
 * The timeline records every forecast made, trusted or not, and the simulator expects forecasts
 * that are not finite (accuracy.ts: "A forecast that is not finite (overflow) scores nothing";
 * trust-gate.ts: "the forecasts themselves overflowed"). The chart only skips NaN.
 */
describe('renderChartSvg with a non-finite bound in the timeline', () => {
  it('keeps the load axis on the load and writes no Infinity into the SVG', () => {
    // Arrange: one step of the bound planned on overflowed (the rest is the synthetic run).
    const run = syntheticRun();
    const upper = run.result.timeline.upper.slice();
    upper[500] = Number.POSITIVE_INFINITY;
    const broken = { ...run, result: { ...run.result, timeline: { ...run.result.timeline, upper } } };

    // Act
    const svg = renderChartSvg(broken);

    // Assert: the synthetic load peaks near 360; today the axis reads 0 to 1 and a path holds
    // "-Infinity", so every line is drawn off the panel.
    expect(svg).not.toMatch(/Infinity/);
    const leftAxis = [...svg.matchAll(/text-anchor="end">([\d,.]+)<\/text>/g)].map((m) =>
      Number((m[1] as string).replace(/,/g, '')),
    );
    expect(Math.max(...leftAxis)).toBeGreaterThanOrEqual(300);
  });
});
