import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backtestAll } from '../../../lambdas/core/forecast/backtest';
import { CANDIDATE_MODELS } from '../../../lambdas/core/forecast/candidates';
import { hasMaseScale } from '../../../lambdas/core/forecast/metrics';
import { seasonalNaiveDaily } from '../../../lambdas/core/forecast/seasonal-naive';
import { selectForecast } from '../../../lambdas/core/forecast/select';
import { parseTimestampValueCsv } from '../../../lambdas/core/series/csv';
import { regularize } from '../../../lambdas/core/series/regularize';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import { DAY, dailySine, rng, seriesOf } from './helpers';

/** The first `rows` data rows of the bundled ELB trace, regularized as the CLI reads them. */
function bundledTrace(rows: number): RegularSeries {
  const text = readFileSync(
    new URL('../../../data/traces/elb_request_count_8c0756.csv', import.meta.url),
    'utf8',
  );
  return regularize(parseTimestampValueCsv(text).slice(0, rows)).series;
}

describe('hasMaseScale', () => {
  it.each([
    { n: 2 * DAY, ok: true },
    { n: 2 * DAY - 1, ok: false },
    { n: DAY + 1, ok: false },
    { n: 14 * DAY, ok: true },
  ])('is $ok for a training window of $n points (a day is 288)', ({ n, ok }) => {
    expect(hasMaseScale(n, DAY)).toBe(ok);
  });
});

describe('backtestAll', () => {
  it.each([
    { days: 2, extra: 0, origins: 0 },
    { days: 2, extra: 1, origins: 1 },
    { days: 3, extra: -1, origins: 1 },
    { days: 3, extra: 0, origins: 1 },
    { days: 4, extra: 0, origins: 2 },
    { days: 5, extra: 0, origins: 3 },
  ])(
    'scores $origins origin(s) on $days days $extra step(s): each needs more than a day of training before its day',
    ({ days, extra, origins }) => {
      const noise = rng(5);
      const values = Float64Array.from({ length: days * DAY + extra }, (_, i) => dailySine(i) + 5 * noise());

      const [result] = backtestAll([seasonalNaiveDaily], values, 300);

      expect(result?.score.origins).toBe(origins);
      for (const e of result?.errors ?? []) expect(e).toHaveLength(DAY);
    },
  );
});

describe('selectForecast across horizons', () => {
  it.each([
    { series: 'the bundled trace, first 1,000 rows', history: () => bundledTrace(1_000) },
    {
      series: 'a noisy daily sine of 5 days',
      history: () => {
        const noise = rng(11);
        return seriesOf(5, (i) => dailySine(i) * (1 + 0.2 * noise()));
      },
    },
  ])('chooses, trusts and bounds the first step the same at every horizon ($series)', ({ history }) => {
    const h = history();

    const results = [1, 2, 3, 12, DAY, DAY + 12, 2 * DAY].map((horizonSteps) =>
      selectForecast(h, { horizonSteps }),
    );

    const first = results[0];
    for (const r of results) {
      expect(r.model).toBe(first?.model);
      expect(r.trust).toEqual(first?.trust);
      expect(r.scores).toEqual(first?.scores);
      expect(r.point[0]).toBe(first?.point[0]);
      expect(r.upper[0]).toBe(first?.upper[0]);
    }
  });

  it('scales a validation day after one day of training by the whole history, not by one difference', () => {
    // 576 rows of the bundled trace regularize to two days and one step: the origin's own window
    // (a day and a step) holds one seasonal difference; the whole history holds a day and one.
    const history = bundledTrace(576);
    const v = history.values;
    const n = v.length;
    const origin = n - DAY;
    let err = 0;
    for (let i = 0; i < DAY; i++)
      err += Math.abs((v[origin + i] as number) - (v[origin - DAY + i] as number));
    let diff = 0;
    for (let t = DAY; t < n; t++) diff += Math.abs((v[t] as number) - (v[t - DAY] as number));
    const expected = err / DAY / (diff / (n - DAY));

    const results = [1, 12, DAY].map((horizonSteps) => selectForecast(history, { horizonSteps }));

    for (const r of results) {
      const naive = r.scores.find((s) => s.model === seasonalNaiveDaily.name);
      expect(naive?.origins).toBe(1);
      expect(naive?.mase).toBeCloseTo(expected, 12);
      expect(r.trust).toEqual(results[0]?.trust);
    }
  });

  it('does not validate on two days of history: no day of training before the validation day', () => {
    const history = bundledTrace(575);

    const result = selectForecast(history, { horizonSteps: DAY });

    expect(result.scores.every((s) => s.origins === 0)).toBe(true);
    expect(result.trust.trusted).toBe(false);
    expect(result.trust.reason).toMatch(/leaves no day to validate a model on; need more than 48 h/);
  });

  it('validates every candidate once it has three days', () => {
    const history = seriesOf(3, dailySine);

    const result = selectForecast(history, { horizonSteps: 1 });

    expect(result.scores.map((s) => s.model)).toEqual(
      CANDIDATE_MODELS.filter((m) => m.minHistoryPoints(300) <= 2 * DAY).map((m) => m.name),
    );
    for (const s of result.scores) expect(s.origins).toBe(1);
  });
});
