/**
 * Review finding: a custom load metric whose expression uses METRICS() reads the metrics of every
 * other target packed into the same GetMetricData call.
 *
 * CloudWatch: "The METRICS() function returns all the metrics in the request. Math expressions
 * aren't included. ... the expression SUM(METRICS()) returns a time series (TS) that is the sum of
 * the values of all the graphed metrics." With a string, it returns "only the graphed metrics
 * that contain that string in their Id field".
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html#metric-math-syntax-metrics-function
 *
 * CloudWatchHistory packs targets with the same window into shared calls
 * (lambdas/adapters/cloudwatch-history.ts, `batches`/`pack`), so a request can hold the hidden
 * MetricStat queries of several targets. The fake below answers as the documentation says.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatchHistory, OWN_CALLS_IN_FLIGHT } from '../../../lambdas/adapters/cloudwatch-history';
import type { HistoryRequest } from '../../../lambdas/core/scaler';
import { target } from './memory-ports';

/** Each metric's constant value per period, by MetricName. */
const VALUES: Readonly<Record<string, number>> = {
  ShopRequests: 100,
  ShopErrors: 7,
  BlogRequests: 5000,
  ApiRequests: 30,
  NetworkIn: 42,
};

/** `SUM(METRICS())`, `SUM(METRICS("x"))` and `<id> * <n>`: the only expressions modelled. */
const SUM_OF_METRICS = /^SUM\(METRICS\((?:"([^"]*)")?\)\)$/;
const TIMES = /^(\w+) \* (\d+)$/;

/**
 * GetMetricData as documented for MetricStat queries, for `SUM(METRICS())` (the sum of every
 * MetricStat query in the request, hidden ones included, expressions excluded) and for
 * `SUM(METRICS("x"))` (those whose Id contains x). Anything else, or a repeated Id, is refused so
 * the test cannot pass by accident.
 */
function documentedGetMetricData(input: GetMetricDataCommandInput): {
  MetricDataResults: MetricDataResult[];
} {
  const queries = input.MetricDataQueries ?? [];
  const ids = queries.map((q) => q.Id);
  if (new Set(ids).size !== ids.length) throw new Error(`repeated Id in ${ids.join(', ')}`);
  const start = Math.ceil((input.StartTime as Date).getTime() / 1000);
  const end = Math.floor((input.EndTime as Date).getTime() / 1000);
  const metricValue = (q: MetricDataQuery | undefined): number => {
    const name = q?.MetricStat?.Metric?.MetricName;
    const v = VALUES[name ?? ''];
    if (v === undefined) throw new Error(`no value for metric ${name}`);
    return v;
  };
  const metrics = queries.filter((q) => q.MetricStat !== undefined);
  const answer = (q: MetricDataQuery): number => {
    if (q.MetricStat !== undefined) return metricValue(q);
    const sum = SUM_OF_METRICS.exec(q.Expression ?? '');
    if (sum !== null) {
      const filter = sum[1] ?? '';
      return metrics.filter((m) => (m.Id ?? '').includes(filter)).reduce((s, m) => s + metricValue(m), 0);
    }
    const times = TIMES.exec(q.Expression ?? '');
    if (times !== null) return metricValue(metrics.find((m) => m.Id === times[1])) * Number(times[2]);
    throw new Error(`expression not modelled: ${q.Expression}`);
  };
  const results: MetricDataResult[] = [];
  for (const q of queries) {
    if (q.ReturnData === false) continue;
    const value = answer(q);
    const period = q.MetricStat?.Period ?? q.Period ?? 300;
    const times: number[] = [];
    for (let t = Math.ceil(start / period) * period; t < end; t += period) times.push(t);
    results.push({
      Id: q.Id,
      Timestamps: times.map((t) => new Date(t * 1000)),
      Values: times.map(() => value),
      StatusCode: 'Complete',
    });
  }
  return { MetricDataResults: results };
}

/** A hidden MetricStat query on `App/<metricName>`. */
function hidden(id: string, metricName: string): Record<string, unknown> {
  return {
    Id: id,
    MetricStat: { Metric: { Namespace: 'App', MetricName: metricName }, Stat: 'Sum' },
    ReturnData: false,
  };
}

function historyRequest(targetId: string, loadMetric: Record<string, unknown>): HistoryRequest {
  const t = target({ id: targetId, autoScalingGroupName: `${targetId}-asg`, loadMetric });
  return {
    targetId: t.id,
    loadMetric: t.loadMetric,
    autoScalingGroupName: t.autoScalingGroupName,
    periodSec: 300,
    startSec: 0,
    endSec: 3600,
  };
}

/** A target whose load is `SUM(METRICS())` over one hidden metric of its own. */
function sumOfMetrics(targetId: string, metricName: string): HistoryRequest {
  return historyRequest(targetId, {
    type: 'custom',
    metricDataQueries: [hidden('req', metricName), { Id: 'load', Expression: 'SUM(METRICS())' }],
  });
}

describe('CloudWatchHistory with METRICS() in two targets’ custom load metrics', () => {
  const cw = mockClient(CloudWatchClient);
  afterEach(() => cw.reset());

  const read = async (requests: HistoryRequest[]) => {
    cw.on(GetMetricDataCommand).callsFake(documentedGetMetricData);
    const out = await new CloudWatchHistory(new CloudWatchClient({})).fetchHistory(requests);
    return (id: string) => {
      const h = out.get(id);
      return h?.ok === true ? [...new Set(h.value.points.map((p) => p.value))] : h;
    };
  };
  const sentIds = () =>
    cw
      .commandCalls(GetMetricDataCommand)
      .map((c) => (c.args[0].input.MetricDataQueries ?? []).map((q) => q.Id));

  it('gives each target the sum of its own metrics only, not of every metric in the shared call', async () => {
    const values = await read([sumOfMetrics('shop', 'ShopRequests'), sumOfMetrics('blog', 'BlogRequests')]);

    expect(values('shop')).toEqual([100]);
    expect(values('blog')).toEqual([5000]);
  });

  it('gives METRICS("x") only its own target’s metrics, where another target’s Ids contain x too', async () => {
    const requestsOf = (id: string, ...metricDataQueries: Record<string, unknown>[]) =>
      historyRequest(id, { type: 'custom', metricDataQueries });
    const load = { Id: 'load', Expression: 'SUM(METRICS("requests"))' };

    const values = await read([
      requestsOf('shop', hidden('requests', 'ShopRequests'), hidden('errors', 'ShopErrors'), load),
      requestsOf('blog', hidden('requests', 'BlogRequests'), load),
    ]);

    expect(values('shop')).toEqual([100]);
    expect(values('blog')).toEqual([5000]);
  });

  it('sends a METRICS target’s queries as written, so a per-target prefix cannot widen its filter', async () => {
    // As written, "_" selects err_count only; prefixed t1_ it would select req too (107).
    const shop = historyRequest('shop', {
      type: 'custom',
      metricDataQueries: [
        hidden('req', 'ShopRequests'),
        hidden('err_count', 'ShopErrors'),
        { Id: 'load', Expression: 'SUM(METRICS("_"))' },
      ],
    });
    const web = historyRequest('web', { type: 'predefined', metric: 'ASGTotalNetworkIn' });

    const values = await read([web, shop]);

    expect(values('shop')).toEqual([7]);
    expect(sentIds()).toContainEqual(['req', 'err_count', 'load']);
  });

  it('reads each METRICS target in a call of its own and keeps batching the targets without it', async () => {
    const predefined = ['web', 'jobs', 'cache'].map((id) =>
      historyRequest(id, { type: 'predefined', metric: 'ASGTotalNetworkIn' }),
    );
    const math = ['api', 'admin'].map((id) =>
      historyRequest(id, {
        type: 'custom',
        metricDataQueries: [hidden('req', 'ApiRequests'), { Id: 'load', Expression: 'req * 2' }],
      }),
    );
    const [web, jobs, cache] = predefined;
    const [api, admin] = math;
    const requests = [
      web,
      sumOfMetrics('shop', 'ShopRequests'),
      api,
      jobs,
      sumOfMetrics('blog', 'BlogRequests'),
      admin,
      cache,
    ].flatMap((r) => (r === undefined ? [] : [r]));

    const values = await read(requests);

    expect(sentIds()).toEqual([
      ['t0_load', 't3_load', 't6_load'],
      ['t2_req', 't2_load', 't5_req', 't5_load'],
      ['req', 'load'],
      ['req', 'load'],
    ]);
    expect(Object.fromEntries(requests.map((r) => [r.targetId, values(r.targetId)]))).toEqual({
      web: [42],
      jobs: [42],
      cache: [42],
      api: [60],
      admin: [60],
      shop: [100],
      blog: [5000],
    });
  });

  it(`reads the calls of METRICS targets ${OWN_CALLS_IN_FLIGHT} at a time, not one after another`, async () => {
    let inFlight = 0;
    let most = 0;
    cw.on(GetMetricDataCommand).callsFake(async (input: GetMetricDataCommandInput) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return documentedGetMetricData(input);
    });
    const requests = Array.from({ length: 10 }, (_, i) => sumOfMetrics(`shop${i}`, 'ShopRequests'));

    const out = await new CloudWatchHistory(new CloudWatchClient({})).fetchHistory(requests);

    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(10);
    expect(most).toBe(OWN_CALLS_IN_FLIGHT);
    expect([...out.values()].every((h) => h.ok)).toBe(true);
  });
});
