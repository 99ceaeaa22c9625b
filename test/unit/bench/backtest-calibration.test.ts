import { describe, expect, it } from 'vitest';
import { BacktestCalibration } from '../../../bench/backtest-calibration';
import type { BacktestResult } from '../../../lambdas/core/simulation/types';
import {
  syntheticLoad,
  syntheticResultWhereHeadroomHasNoBreaches as whereHeadroomHasNoBreaches,
} from '../../cli/fixtures/synthetic-backtest';

interface ReferenceSummary {
  key: string;
  medianEqualCostRatio: number | null;
  medianInfinite: boolean;
  tracesBeyondFrontier: number;
  tracesFrontierNeverUnder: number;
  tracesNull: number;
  tracesNullDominatingReactive: number;
  tracesNullNeitherUnder: number;
  traces: number;
}

/** The calibration's summary of the bench's own (default) run, after one synthetic trace. */
function defaultSummary(result: BacktestResult): { own: ReferenceSummary | undefined; table: string } {
  const calibration = new BacktestCalibration(
    {
      blockSec: 3600,
      minCapacity: 1,
      maxCapacity: 1000,
      alarm: { key: 'datapoints5min', label: '5-min datapoints', metricPeriodSec: undefined },
    },
    '/nonexistent/r-reference',
  );
  const series = { startSec: Date.UTC(2014, 3, 10) / 1000, stepSec: 300, values: syntheticLoad(3) };
  calibration.add({ name: 'synthetic', series, filledRuns: [] }, 20, result);
  const section = calibration.section();
  const json = section.json as { references: ReferenceSummary[] };
  return { own: json.references.find((r) => r.key === 'default'), table: section.table };
}

describe('BacktestCalibration', () => {
  it('counts a predictive under-provisioned where the frontier at its cost never is as +∞, not as cheaper with fewer breaches', () => {
    const { own } = defaultSummary(whereHeadroomHasNoBreaches(0.02));

    expect(own).toMatchObject({
      medianEqualCostRatio: null,
      medianInfinite: true,
      tracesBeyondFrontier: 0,
      tracesFrontierNeverUnder: 1,
      tracesNull: 0,
      tracesNullDominatingReactive: 0,
      tracesNullNeitherUnder: 0,
      traces: 1,
    });
  });

  it('leaves out, as neither under-provisioned, a predictive that never is where the frontier never is either', () => {
    const { own } = defaultSummary(whereHeadroomHasNoBreaches(0));

    expect(own).toMatchObject({
      medianEqualCostRatio: null,
      medianInfinite: false,
      tracesFrontierNeverUnder: 0,
      tracesNull: 1,
      tracesNullDominatingReactive: 0,
      tracesNullNeitherUnder: 1,
      traces: 1,
    });
  });

  it('labels the smoothed reference with the window it averages: ±30 min, 13 steps', () => {
    const { table } = defaultSummary(whereHeadroomHasNoBreaches(0.02));

    expect(table).toContain('centred mean over ±30 min (13 steps)');
    expect(table).not.toContain('1-h mean');
  });
});
