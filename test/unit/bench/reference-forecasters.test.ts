import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  perfectForesight,
  precomputedForecaster,
  seasonalNaiveOwnUpper,
  smoothedForesight,
} from '../../../bench/reference-forecasters';
import type { RegularSeries } from '../../../lambdas/core/series/types';

const STEP = 300;
const START = 1_700_000_000;

/**
 * A trace whose values array records the highest index read through it, so a test can assert
 * that a forecaster never reads past the trace's end.
 */
function watchedTrace(values: readonly number[]): { load: RegularSeries; highestRead: () => number } {
  let highest = -1;
  const watched = new Proxy(Float64Array.from(values), {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) highest = Math.max(highest, Number(prop));
      const v = Reflect.get(target, prop, receiver === watched ? target : receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { load: { startSec: START, stepSec: STEP, values: watched }, highestRead: () => highest };
}

const VALUES = [1, 2, 4, 8, 16, 32, 64];

/** The history a backtest decision at `decision` sees: steps `[from, decision)` of {@link VALUES}. */
function historyOf(from: number, decision: number): RegularSeries {
  return {
    startSec: START + from * STEP,
    stepSec: STEP,
    values: Float64Array.from(VALUES).subarray(from, decision),
  };
}

describe('perfectForesight', () => {
  it.each([
    { name: 'from the trace start', from: 0, decision: 2, horizon: 3, point: [4, 8, 16] },
    { name: 'from a trailing window', from: 3, decision: 5, horizon: 2, point: [32, 64] },
    {
      name: 'past the end, repeating the last value',
      from: 0,
      decision: 5,
      horizon: 4,
      point: [32, 64, 64, 64],
    },
  ])('returns the exact future slice $name', ({ from, decision, horizon, point }) => {
    const { load } = watchedTrace(VALUES);
    const history = historyOf(from, decision);

    const f = perfectForesight(load)(history, { horizonSteps: horizon });

    expect(Array.from(f.point)).toEqual(point);
    expect(Array.from(f.upper)).toEqual(point);
    expect(f.startSec).toBe(START + decision * STEP);
    expect(f.trust.trusted).toBe(true);
  });

  it('never reads beyond the trace end', () => {
    const { load, highestRead } = watchedTrace(VALUES);

    perfectForesight(load)(historyOf(0, 6), { horizonSteps: 288 });

    expect(highestRead()).toBe(VALUES.length - 1);
  });
});

describe('smoothedForesight', () => {
  // ±2 steps over 1, 2, 4, 8, 16, 32, 64; the window is cut to the trace at both ends:
  // t=1 [0..3] 15/4, t=2 [0..4] 31/5, t=3 [1..5] 62/5, t=4 [2..6] 124/5, t=5 [3..6] 120/4,
  // t=6 [4..6] 112/3, and t=6's mean past the end.
  it('returns the centred mean, the window cut at both ends of the trace', () => {
    const { load } = watchedTrace(VALUES);

    const f = smoothedForesight(load, 2 * STEP)(historyOf(0, 1), { horizonSteps: 8 });

    const expected = [3.75, 6.2, 12.4, 24.8, 30, 112 / 3, 112 / 3, 112 / 3];
    expect(f.point).toHaveLength(expected.length);
    for (const [k, v] of expected.entries()) expect(f.point[k]).toBeCloseTo(v, 12);
    expect(Array.from(f.upper)).toEqual(Array.from(f.point));
  });

  it('equals perfect foresight with a zero window', () => {
    const { load } = watchedTrace(VALUES);
    const history = historyOf(1, 3);

    const smoothed = smoothedForesight(load, 0)(history, { horizonSteps: 6 });
    const perfect = perfectForesight(load)(history, { horizonSteps: 6 });

    expect(Array.from(smoothed.point)).toEqual(Array.from(perfect.point));
  });

  it('never reads beyond the trace end', () => {
    const { load, highestRead } = watchedTrace(VALUES);

    const f = smoothedForesight(load, 3 * STEP)(historyOf(0, 5), { horizonSteps: 288 });

    expect(highestRead()).toBe(VALUES.length - 1);
    expect(f.point.every(Number.isFinite)).toBe(true);
  });
});

describe('foresight forecasters', () => {
  const { load } = watchedTrace(VALUES);
  it.each([
    {
      name: 'its step differs from the trace',
      history: { startSec: START, stepSec: 60, values: new Float64Array(2) },
    },
    {
      name: 'it starts between two steps of the trace',
      history: { startSec: START + 150, stepSec: STEP, values: new Float64Array(2) },
    },
    {
      name: 'it starts before the trace',
      history: { startSec: START - STEP, stepSec: STEP, values: new Float64Array(2) },
    },
    {
      name: 'it ends after the trace',
      history: { startSec: START, stepSec: STEP, values: new Float64Array(8) },
    },
  ])('fail when the history is not a view of the trace: $name', ({ history }) => {
    expect(() => perfectForesight(load)(history, { horizonSteps: 1 })).toThrow(/trace/);
    expect(() => smoothedForesight(load, STEP)(history, { horizonSteps: 1 })).toThrow(/trace/);
  });
});

describe('seasonalNaiveOwnUpper', () => {
  it('repeats the last day with its own upper bound above it', () => {
    const day = 86_400 / STEP;
    const values = Float64Array.from({ length: 3 * day }, (_, i) => 10 + (i % day) + (i % 7));
    const history: RegularSeries = { startSec: START, stepSec: STEP, values };

    const f = seasonalNaiveOwnUpper(history, { horizonSteps: day, upperQuantile: 0.9 });

    expect(Array.from(f.point)).toEqual(Array.from(values.subarray(2 * day)));
    for (const [k, u] of f.upper.entries()) expect(u).toBeGreaterThanOrEqual(f.point[k] as number);
    expect(f.upper.some((u, k) => u > (f.point[k] as number))).toBe(true);
    expect(f.model).toBe('seasonal-naive-daily');
    expect(f.trust.trusted).toBe(true);
  });
});

describe('precomputedForecaster', () => {
  const { load } = watchedTrace(VALUES);
  const stored = {
    model: 'r-stlf-hi80',
    byDecision: new Map([[3, { point: Float64Array.of(7, 8, 9), upper: Float64Array.of(10, 11, 12) }]]),
  };

  it('answers a decision with the forecast stored for it, cut to the horizon asked', () => {
    const f = precomputedForecaster(load, stored)(historyOf(1, 3), { horizonSteps: 2 });

    expect(Array.from(f.point)).toEqual([7, 8]);
    expect(Array.from(f.upper)).toEqual([10, 11]);
    expect(f.startSec).toBe(START + 3 * STEP);
    expect(f.model).toBe('r-stlf-hi80');
    expect(f.trust.trusted).toBe(true);
  });

  it('plans nothing for a decision with no stored forecast, saying which', () => {
    const f = precomputedForecaster(load, stored)(historyOf(0, 2), { horizonSteps: 2 });

    expect(f.trust).toEqual({ trusted: false, reason: 'no r-stlf-hi80 forecast for decision 2' });
  });

  it('plans nothing when the stored forecast is shorter than the horizon asked, saying why', () => {
    // A history that stops in a gap before its decision asks for a longer horizon than the
    // decision the stored forecast was made for.
    const f = precomputedForecaster(load, stored)(historyOf(0, 3), { horizonSteps: 4 });

    expect(f.trust).toEqual({
      trusted: false,
      reason: 'the r-stlf-hi80 forecast for decision 3 has 3 steps, 4 asked',
    });
    expect(f.point).toHaveLength(4);
  });
});

describe('bench isolation', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const bench = join(root, 'bench');
  const sourceFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? sourceFiles(join(dir, e.name))
        : /\.(m?[jt]s)$/.test(e.name)
          ? [join(dir, e.name)]
          : [],
    );

  it('keeps the future-reading reference forecasters out of the product: nothing shipped imports bench/', () => {
    const shipped = ['bin', 'cli', 'lambdas', 'lib', 'scripts'].flatMap((d) => sourceFiles(join(root, d)));
    const specifier = /\b(?:from|import|require)\s*\(?\s*['"](\.[^'"]*)['"]/g;

    const offenders = shipped.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(specifier)]
        .map((m) => resolve(dirname(file), m[1] as string))
        .filter((target) => !relative(bench, target).startsWith('..'))
        .map((target) => `${relative(root, file)} -> ${relative(root, target)}`),
    );

    expect(shipped.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});
