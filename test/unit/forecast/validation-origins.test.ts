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
    { days: 3, extra: 0, origins: 1 },
    { days: 3, extra: -1, origins: 0 },
    { days: 2, extra: 1, origins: 0 },
    { days: 4, extra: 0, origins: 2 },
    { days: 5, extra: 0, origins: 3 },
  ])(
    'scores $origins origin(s) on $days days $extra step(s): each needs two days of training before its day',
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

  it('does not validate on one day and one step of training (a MASE scale from one difference)', () => {
    // 576 rows of the bundled trace regularize to two days and one step.
    const history = bundledTrace(576);

    const results = [1, 12, DAY].map((horizonSteps) => selectForecast(history, { horizonSteps }));

    for (const r of results) {
      expect(r.scores.every((s) => s.origins === 0)).toBe(true);
      expect(r.trust.trusted).toBe(false);
      expect(r.trust.reason).toBe(
        '48.1 h of history leaves no day to validate a model on; need 72 h (a validation day after 2 days of training)',
      );
    }
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
