import { describe, expect, it } from 'vitest';
import { MAX_TRUSTED_GAP_SEC } from '../../../lambdas/core/forecast/history-gate';
import { selectForecast } from '../../../lambdas/core/forecast/select';
import type { Forecaster, ForecastOptions } from '../../../lambdas/core/forecast/types';
import { forecastTarget, type TargetHistory } from '../../../lambdas/core/scaler';
import { historyWindow, publishWindow } from '../../../lambdas/core/scaler/forecast-target';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import { MIN_LOOKBACK_DAYS } from '../../../lib/config/schema';
import { dailyHistory, NOW_SEC, target } from './memory-ports';

const STEP = 900;
const DAY_STEPS = 96;
/** 10:37, seven minutes after NOW_SEC (10:30): history ends 10:15, the forecast starts 10:30. */
const NOW = NOW_SEC + 7 * 60;

/**
 * 14 days of 15-minute load, the last point at 10:15: 100, except from 13:00 to 19:00, where it
 * grows by 50 a day (day 0: 100, yesterday, day 13: 750). Repeating yesterday therefore misses
 * every block peak from 13:00 to 19:00 by 50 and no other.
 */
function growingAfternoons(): TargetHistory {
  const end = Math.floor(NOW / STEP) * STEP;
  const first = end - 14 * 86_400;
  const points = Array.from({ length: 14 * DAY_STEPS }, (_, i) => {
    const tSec = first + i * STEP;
    const hour = (tSec % 86_400) / 3_600;
    const day = Math.floor(tSec / 86_400) - Math.floor(first / 86_400);
    return { tSec, value: hour >= 13 && hour < 19 ? 100 + 50 * day : 100 };
  });
  return { points, partial: false, statusCodes: ['Complete'], messages: [] };
}

/** Stands in for the selector: repeats the last day (as `seasonal-naive-daily`), upper = 1.5 × point. */
function repeatYesterday(model = 'seasonal-naive-daily'): Forecaster {
  return (history, options) => {
    const { values, stepSec } = history;
    const point = Float64Array.from(
      { length: options.horizonSteps },
      (_, h) => values[values.length - DAY_STEPS + (h % DAY_STEPS)] as number,
    );
    return {
      startSec: history.startSec + values.length * stepSec,
      stepSec,
      point,
      upper: point.map((p) => 1.5 * p),
      model,
      scores: [],
      trust: { trusted: true, reason: 'test double' },
    };
  };
}

function forecastWith(planningBound: string, forecaster = repeatYesterday()) {
  const t = target({
    periodSec: STEP,
    blockMinutes: 60,
    horizonHours: 12,
    targetValue: 100,
    minCapacity: 1,
    planningBound,
  });
  return forecastTarget(t, growingAfternoons(), NOW, forecaster);
}

describe('forecastTarget', () => {
  // Blocks from the clock hour 10:00 (the forecast fills its last half hour) to 22:00. The point
  // forecast is 750 from 13:00 to 19:00 today, 100 elsewhere.
  it.each([
    {
      // Point + the median block-max miss of seasonal-naive-daily: 50 on the blocks 13:00-18:00
      // (the validation blocks sit on the same clock hours), 0 elsewhere: 800 → 8, 100 → 1.
      bound: 'block-max',
      capacities: [1, 1, 1, 8, 8, 8, 8, 8, 8, 1, 1, 1, 1],
    },
    // The selector's upper bound: 1,125 → 12, 150 → 2.
    { bound: 'upper', capacities: [2, 2, 2, 12, 12, 12, 12, 12, 12, 2, 2, 2, 2] },
  ])('plans on the $bound bound', ({ bound, capacities }) => {
    const result = forecastWith(bound);
    expect(result.planned).toEqual({ bound, fallback: undefined });
    expect(result.plan.blocks.map((b) => new Date(b.blockStartSec * 1000).getUTCHours())).toEqual([
      10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
    ]);
    expect(result.plan.blocks.map((b) => b.minCapacity)).toEqual(capacities);
  });

  it.each(['block-max', 'upper'])(
    'publishes the selector upper bound as LoadForecastUpper with %s',
    (bound) => {
      // 10:30 (the forecast's first step) to 11:30 (the last before 10:37 + 1 h).
      const upper = forecastWith(bound).data.filter((d) => d.metric === 'LoadForecastUpper');
      expect(upper.map((d) => d.value)).toEqual([150, 150, 150, 150, 150]);
    },
  );

  it('plans on the upper bound, and says why, when the chosen model cannot be re-validated', () => {
    const result = forecastWith('block-max', repeatYesterday('mystery'));
    expect(result.planned).toEqual({
      bound: 'upper',
      fallback: 'model mystery cannot be re-validated per block',
    });
    expect(result.plan.blocks[3]?.minCapacity).toBe(12);
  });
});

describe('forecastTarget on a history that stopped', () => {
  const t = target({ periodSec: STEP, blockMinutes: 60, horizonHours: 12 });
  /** 14 days of 15-minute points, the last one `ageSec` before NOW_SEC (10:30, on the grid). */
  const endingAgo = (ageSec: number) => dailyHistory(NOW_SEC - ageSec + STEP, STEP, 14);

  it.each([
    ['15 min', STEP],
    ['exactly the limit', MAX_TRUSTED_GAP_SEC],
  ])('keeps the forecast trusted when the last point is %s old', (_label, ageSec) => {
    const result = forecastTarget(t, endingAgo(ageSec), NOW_SEC, repeatYesterday());
    expect(result.history.lastPointSec).toBe(NOW_SEC - ageSec);
    expect(result.trust).toEqual({ trusted: true, reason: 'test double' });
    expect(result.plan.blocks.length).toBeGreaterThan(0);
  });

  it.each([
    [MAX_TRUSTED_GAP_SEC + STEP, '2024-03-04T04:15:00Z', '6.3 h'],
    [72 * 3600, '2024-03-01T10:30:00Z', '72.0 h'],
  ])('is untrusted and plans nothing when the last point is %i s old', (ageSec, lastPoint, age) => {
    const result = forecastTarget(t, endingAgo(ageSec), NOW_SEC, repeatYesterday());
    expect(result.trust).toEqual({
      trusted: false,
      reason: `history stopped: the last point (${lastPoint}) is ${age} old; the limit is 6 h (metric stopped, dimension changed or target group replaced?)`,
    });
    expect(result.plan.trusted).toBe(false);
    expect(result.plan.blocks).toEqual([]);
  });

  it('still forecasts, for publishing, up to now + the horizon', () => {
    const result = forecastTarget(t, endingAgo(72 * 3600), NOW_SEC, repeatYesterday());
    const f = result.forecast;
    expect(f.startSec + f.point.length * f.stepSec).toBeGreaterThanOrEqual(NOW_SEC + 12 * 3600);
    expect(result.data.length).toBeGreaterThan(0);
  });
});

describe('historyWindow', () => {
  const iso = (tSec: number) => new Date(tSec * 1000).toISOString();
  // A period is read once it ended at least 10 minutes before the run.
  it.each([
    { periodSec: 60, run: '10:30', end: '10:20' },
    { periodSec: 300, run: '10:34', end: '10:20' },
    { periodSec: 300, run: '10:40', end: '10:30' },
    { periodSec: 3600, run: '10:05', end: '09:00' },
    { periodSec: 3600, run: '10:10', end: '10:00' },
  ])('at $periodSec s periods ends at $end for a run at $run', ({ periodSec, run, end }) => {
    const at = (hhmm: string) => Date.parse(`2024-03-04T${hhmm}:00Z`) / 1000;
    const loadMetric = { type: 'predefined', metric: 'ASGTotalNetworkIn', instanceMonitoring: 'detailed' };
    const w = historyWindow(target({ periodSec, loadMetric, lookbackDays: 14 }), at(run));
    expect(w.endSec).toBe(at(end));
    expect(w.endSec - w.startSec).toBe(14 * 86_400);
  });

  it('still plans up to now + horizonHours from a history that ends at the window end', () => {
    const t = target({ periodSec: STEP, blockMinutes: 60, horizonHours: 12 });
    const history = dailyHistory(historyWindow(t, NOW).endSec, STEP, 14);
    const result = forecastTarget(t, history, NOW, repeatYesterday());
    expect(iso(result.history.lastPointSec)).toBe('2024-03-04T10:00:00.000Z');
    expect(iso(result.forecast.startSec)).toBe('2024-03-04T10:15:00.000Z');
    expect(result.plan.blocks.at(-1)?.blockEndSec).toBeGreaterThanOrEqual(NOW + 12 * 3600);
  });
});

describe('publishWindow', () => {
  const at = (hhmm: string) => Date.parse(`2024-03-04T${hhmm}Z`) / 1000;
  const hhmm = (tSec: number) => new Date(tSec * 1000).toISOString().slice(11, 16);
  // From the end of the history read (the first step the run has not seen) to an hour after the run.
  it.each([
    { periodSec: 300, run: '10:37:00', times: ['10:25', '11:35'] },
    { periodSec: 300, run: '11:00:59', times: ['10:50', '12:00'] },
    { periodSec: 3600, run: '10:05:00', times: ['09:00', '11:00'] },
    { periodSec: 3600, run: '10:23:00', times: ['10:00', '11:00'] },
  ])('at $periodSec s periods a run at $run publishes $times.0 to $times.1', ({ periodSec, run, times }) => {
    const t = target({ periodSec, mode: 'forecastOnly' });
    const w = publishWindow(t, at(run));
    expect(w.startSec).toBe(historyWindow(t, at(run)).endSec);
    expect(w.endSec).toBe(at(run) + 3600);
    const history = dailyHistory(w.startSec, periodSec, 14);
    const published = forecastTarget(t, history, at(run)).data.map((d) => d.tSec);
    expect([hhmm(Math.min(...published)), hhmm(Math.max(...published))]).toEqual(times);
  });
});

describe('forecastTarget on the shortest history the config allows', () => {
  it.each([300, 3600])('trusts a validated forecast from lookbackDays days of %i-s history', (periodSec) => {
    const t = target({ periodSec, lookbackDays: MIN_LOOKBACK_DAYS });
    const history = dailyHistory(historyWindow(t, NOW_SEC).endSec, periodSec, MIN_LOOKBACK_DAYS);
    const result = forecastTarget(t, history, NOW_SEC);
    expect(result.trust.trusted).toBe(true);
    expect(result.forecast.scores.length).toBeGreaterThan(0);
  });
});

/**
 * "Elastic Load Balancing reports metrics to CloudWatch only when requests are flowing through the
 * load balancer. [...] If there are no requests flowing through the load balancer or no data for a
 * metric, the metric is not reported."
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html)
 */
describe('forecastTarget on an ALB target group with quiet nights', () => {
  const HOUR = 3600;
  const LABEL = 'app/my-alb/778d41231b141a0f/targetgroup/my-alb-target-group/943f017f100becff';
  const albMetric = { type: 'predefined', metric: 'ALBTargetGroupRequestCount', resourceLabel: LABEL };
  const albTarget = (loadMetric: Record<string, unknown> = albMetric) =>
    target({
      loadMetric,
      periodSec: HOUR,
      lookbackDays: 14,
      horizonHours: 24,
      targetValue: 5000,
      minCapacity: 1,
      maxCapacity: 20,
    });

  /** Requests per hour while the application is in use, 06:00 to 22:00 UTC; none at night. */
  function requestsAt(tSec: number): number | undefined {
    const hour = (tSec % 86_400) / HOUR;
    if (hour < 6 || hour >= 22) return undefined;
    return 20_000 + 10_000 * Math.sin(((hour - 6) / 16) * Math.PI);
  }

  /**
   * What CloudWatch returns for the run's window (hourly `Sum` of RequestCount): a datapoint for
   * each hour with requests and none for an hour without.
   */
  function albHistory(nowSec: number, overrides: Partial<TargetHistory> = {}): TargetHistory {
    const { startSec, endSec } = historyWindow(albTarget(), nowSec);
    const points: { tSec: number; value: number }[] = [];
    for (let t = startSec; t < endSec; t += HOUR) {
      const value = requestsAt(t);
      if (value !== undefined) points.push({ tSec: t, value });
    }
    return { points, partial: false, statusCodes: ['Complete'], messages: [], ...overrides };
  }

  /** The selector, recording the series it was given. */
  function recording(): { forecaster: Forecaster; seen: RegularSeries[] } {
    const seen: RegularSeries[] = [];
    return {
      seen,
      forecaster: (series, options) => {
        seen.push(series);
        return selectForecast(series, options);
      },
    };
  }

  it("asks the forecaster for the target's weekend offset, in seconds", () => {
    const asked: ForecastOptions[] = [];
    const forecaster: Forecaster = (series, options) => {
      asked.push(options);
      return selectForecast(series, options);
    };

    const t = target({ periodSec: STEP, blockMinutes: 60, horizonHours: 12, weekendUtcOffsetHours: 9 });
    forecastTarget(t, growingAfternoons(), NOW, forecaster);

    expect(asked.map((o) => o.weekendUtcOffsetSec)).toEqual([9 * 3600]);
  });

  const valueAt = (series: RegularSeries | undefined, tSec: number) =>
    series?.values[(tSec - series.startSec) / series.stepSec];
  const TWO_AM = Math.floor(NOW_SEC / 86_400) * 86_400 + 2 * HOUR;

  it('reads an hour without a RequestCount datapoint as zero requests, not as a gap to interpolate', () => {
    // Monday 10:30: the history ends at 10:00, its last night 22:00-06:00 held no requests.
    const { forecaster, seen } = recording();

    const result = forecastTarget(albTarget(), albHistory(NOW_SEC), NOW_SEC, forecaster);

    expect(valueAt(seen[0], TWO_AM)).toBe(0);
    expect(result.history.gapPointsFilled).toBe(0);
    // The window starts at 10:00 fourteen days ago: 14 nights of 8 quiet hours follow.
    expect(result.history.zeroPointsFilled).toBe(14 * 8);
    expect(result.history.lastPointSec).toBe(historyWindow(albTarget(), NOW_SEC).endSec - HOUR);
  });

  it('does not distrust the forecast for a night of no requests longer than six hours', () => {
    const result = forecastTarget(albTarget(), albHistory(NOW_SEC), NOW_SEC);

    // The history checks add nothing for a normal night: the verdict is the model's own.
    expect(result.trust).toEqual(result.forecast.trust);
  });

  it('plans the morning ramp at 05:30, eight hours after the last request of the evening', () => {
    const morning = NOW_SEC - 5 * HOUR;

    const result = forecastTarget(albTarget(), albHistory(morning), morning);

    expect(result.trust.reason).not.toMatch(/history stopped/);
    expect(result.trust).toEqual(result.forecast.trust);
    expect(result.history.lastPointSec).toBe(morning - 90 * 60);
  });

  it('fails rather than plan on zeros when no datapoint came back (a wrong resource label)', () => {
    const empty = albHistory(NOW_SEC, { points: [] });

    expect(() => forecastTarget(albTarget(), empty, NOW_SEC)).toThrow(
      'need at least 2 points with finite values, got 0',
    );
  });

  it('starts the series at the first datapoint: an hour before it may predate the target group', () => {
    // A target group created 11 days ago: the window's first 3 days have no datapoint.
    const { startSec } = historyWindow(albTarget(), NOW_SEC);
    const full = albHistory(NOW_SEC);
    const created = { ...full, points: full.points.filter((p) => p.tSec >= startSec + 3 * 86_400) };
    const { forecaster, seen } = recording();

    const result = forecastTarget(albTarget(), created, NOW_SEC, forecaster);

    expect(seen[0]?.startSec).toBe(startSec + 3 * 86_400);
    expect(result.history.zeroPointsFilled).toBe(11 * 8);
  });

  it('keeps the forecast trusted through a week without a request (a long holiday)', () => {
    // The last request came a little less than 7 days before the run.
    const full = albHistory(NOW_SEC);
    const quiet = { ...full, points: full.points.filter((p) => p.tSec < NOW_SEC - 7 * 86_400 + 2 * HOUR) };
    const last = quiet.points.at(-1)?.tSec as number;
    expect(NOW_SEC - last).toBeLessThan(7 * 86_400);

    const result = forecastTarget(albTarget(), quiet, NOW_SEC);

    expect(result.history.lastReportedSec).toBe(last);
    expect(result.trust.reason).not.toMatch(/no datapoint reported/);
  });

  it('distrusts a target group that reported nothing for more than a week: replaced, not idle', () => {
    const { endSec } = historyWindow(albTarget(), NOW_SEC);
    const full = albHistory(NOW_SEC);
    const stopped = { ...full, points: full.points.filter((p) => p.tSec < endSec - 9 * 86_400) };
    const last = stopped.points.at(-1)?.tSec as number;

    const result = forecastTarget(albTarget(), stopped, NOW_SEC);

    expect(result.trust.trusted).toBe(false);
    expect(result.trust.reason).toBe(
      `no datapoint reported for ${((NOW_SEC - last) / 86_400).toFixed(1)} days (the last at ${new Date(last * 1000).toISOString().replace('.000Z', 'Z')}): silence counts as zero load for up to 7 days, as the metric reports nothing while idle; longer, it more likely stopped (target group replaced or dimension changed?)`,
    );
  });

  it('interpolates, and so distrusts, a quiet night in a history CloudWatch returned incomplete', () => {
    const partial = albHistory(NOW_SEC, { partial: true, statusCodes: ['PartialData'] });

    const result = forecastTarget(albTarget(), partial, NOW_SEC);

    expect(result.history.zeroPointsFilled).toBe(0);
    expect(result.history.gapPointsFilled).toBeGreaterThan(0);
    expect(result.trust.trusted).toBe(false);
  });

  it('interpolates missing hours of a custom load metric, whose metric math says what missing means', () => {
    const custom = {
      type: 'custom',
      metricDataQueries: [
        {
          Id: 'load',
          MetricStat: {
            Metric: { Namespace: 'App', MetricName: 'Requests', Dimensions: [] },
            Stat: 'Sum',
          },
        },
      ],
    };
    const { forecaster, seen } = recording();

    const result = forecastTarget(albTarget(custom), albHistory(NOW_SEC), NOW_SEC, forecaster);

    expect(result.history.zeroPointsFilled).toBe(0);
    expect(valueAt(seen[0], TWO_AM)).toBeGreaterThan(0);
    expect(result.trust.reason).toMatch(/history stopped|history has a gap/);
  });
});
