import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { CloudWatchHistory } from '../../../lambdas/adapters/cloudwatch-history';
import { targetQueries } from '../../../lambdas/adapters/metric-queries';
import type { HistoryRequest } from '../../../lambdas/core/scaler';
import { sharedCallPrefix } from '../../../lib/config/query-ids';
import { fakeGetMetricData } from '../../fixtures/scaler/fake-cloudwatch';
import { target } from './memory-ports';

function request(loadMetric: Record<string, unknown>, periodSec = 300): HistoryRequest {
  const t = target({ loadMetric });
  return {
    targetId: t.id,
    loadMetric: t.loadMetric,
    autoScalingGroupName: t.autoScalingGroupName,
    periodSec,
    startSec: 0,
    endSec: 3600,
  };
}

/** A custom query that sums `App/<metricName>` for an expression and returns no data itself. */
function hiddenSum(id: string, metricName: string): Record<string, unknown> {
  return {
    Id: id,
    MetricStat: { Metric: { Namespace: 'App', MetricName: metricName }, Stat: 'Sum' },
    ReturnData: false,
  };
}

describe('targetQueries', () => {
  it.each([
    [
      'ASGTotalCPUUtilization',
      'AWS/EC2',
      'CPUUtilization',
      [{ Name: 'AutoScalingGroupName', Value: 'web-asg' }],
    ],
    ['ASGTotalNetworkIn', 'AWS/EC2', 'NetworkIn', [{ Name: 'AutoScalingGroupName', Value: 'web-asg' }]],
    ['ASGTotalNetworkOut', 'AWS/EC2', 'NetworkOut', [{ Name: 'AutoScalingGroupName', Value: 'web-asg' }]],
  ])('reads %s as the Sum of %s %s over the group', (metric, ns, name, dims) => {
    const q = targetQueries(request({ type: 'predefined', metric }), sharedCallPrefix(7));
    expect(q.resultId).toBe('t7_load');
    expect(q.queries).toEqual([
      {
        Id: 't7_load',
        ReturnData: true,
        MetricStat: {
          Metric: { Namespace: ns, MetricName: name, Dimensions: dims },
          Period: 300,
          Stat: 'Sum',
        },
      },
    ]);
  });

  it('splits the ALB resource label into TargetGroup and LoadBalancer dimensions', () => {
    const label = 'app/my-alb/778d41231b141a0f/targetgroup/my-alb-target-group/943f017f100becff';
    const q = targetQueries(
      request({ type: 'predefined', metric: 'ALBTargetGroupRequestCount', resourceLabel: label }),
      sharedCallPrefix(0),
    );
    expect(q.queries[0]?.MetricStat?.Metric).toEqual({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'RequestCount',
      Dimensions: [
        { Name: 'TargetGroup', Value: 'targetgroup/my-alb-target-group/943f017f100becff' },
        { Name: 'LoadBalancer', Value: 'app/my-alb/778d41231b141a0f' },
      ],
    });
  });

  it('prefixes custom query ids and rewrites metric math to the prefixed ids', () => {
    const q = targetQueries(
      request({
        type: 'custom',
        metricDataQueries: [
          hiddenSum('req', 'Requests'),
          hiddenSum('err', 'Errors'),
          { Id: 'load', Expression: 'req - err + reqx', Label: 'good requests' },
        ],
      }),
      sharedCallPrefix(3),
    );
    expect(q.resultId).toBe('t3_load');
    expect(q.queries.map((x) => x.Id)).toEqual(['t3_req', 't3_err', 't3_load']);
    expect(q.queries[2]).toMatchObject({
      Expression: 't3_req - t3_err + reqx',
      ReturnData: true,
      Label: 'good requests',
    });
    expect(q.queries[0]).toMatchObject({ ReturnData: false, MetricStat: { Period: 300, Stat: 'Sum' } });
  });

  it('renames each use once: an Id that reads like another prefixed Id is not prefixed twice', () => {
    const q = targetQueries(
      request({
        type: 'custom',
        metricDataQueries: [
          hiddenSum('m1', 'Requests'),
          hiddenSum('t3_m1', 'Retries'),
          { Id: 'load', Expression: 'm1 + t3_m1' },
        ],
      }),
      sharedCallPrefix(3),
    );
    expect(q.queries.map((x) => x.Id)).toEqual(['t3_m1', 't3_t3_m1', 't3_load']);
    expect(q.queries[2]?.Expression).toBe('t3_m1 + t3_t3_m1');
  });

  it('leaves quoted text in an expression alone: a SEARCH naming a metric like a query id still finds it', () => {
    const search = `SEARCH('{App,Service} MetricName="req" Service="api"', 'Sum', 300)`;
    const q = targetQueries(
      request({
        type: 'custom',
        metricDataQueries: [hiddenSum('req', 'Requests'), { Id: 'load', Expression: `SUM(${search}) + req` }],
      }),
      sharedCallPrefix(3),
    );
    expect(q.queries[1]?.Expression).toBe(`SUM(${search}) + t3_req`);
  });

  // Two instances at 40 % and 60 % CPU: the group's total CPU is 100 whatever the monitoring.
  // CloudWatch's Sum holds one datapoint per instance per interval in the period.
  it.each([
    ['basic', undefined, 300, 100, 1],
    ['basic', 'basic', 3600, 1200, 300 / 3600],
    ['detailed', 'detailed', 60, 100, 1],
    ['detailed', 'detailed', 300, 500, 60 / 300],
    ['detailed', 'detailed', 3600, 6000, 60 / 3600],
  ])(
    'scales the CPU Sum with %s monitoring (%s) at %i s to the total CPU',
    (_, monitoring, period, sum, scale) => {
      const metric = { type: 'predefined', metric: 'ASGTotalCPUUtilization', instanceMonitoring: monitoring };
      const q = targetQueries(request(metric, period), sharedCallPrefix(0));
      expect(q.queries[0]?.MetricStat).toMatchObject({ Period: period, Stat: 'Sum' });
      expect(q.scale).toBeCloseTo(scale, 12);
      expect(sum * q.scale).toBeCloseTo(100, 9);
    },
  );

  // NetworkIn/Out are bytes moved during each datapoint's interval, so their Sum is the period's
  // total with either monitoring; RequestCount and custom queries are used as returned.
  it.each([
    [{ type: 'predefined', metric: 'ASGTotalNetworkIn', instanceMonitoring: 'detailed' }, 300],
    [{ type: 'predefined', metric: 'ASGTotalNetworkOut' }, 3600],
    [
      { type: 'predefined', metric: 'ALBTargetGroupRequestCount', resourceLabel: 'app/a/1/targetgroup/t/2' },
      3600,
    ],
    [
      {
        type: 'custom',
        metricDataQueries: [
          {
            Id: 'cpu',
            MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' }, Stat: 'Sum' },
          },
        ],
      },
      3600,
    ],
  ])('uses the Sum as returned for %o at %i s', (metric, period) => {
    expect(targetQueries(request(metric, period), sharedCallPrefix(0)).scale).toBe(1);
  });
});

describe('CloudWatchHistory', () => {
  it.each([
    ['basic', 300, [100, 140], [100, 140]],
    ['detailed', 300, [500, 700], [100, 140]],
    ['detailed', 60, [100, 140], [100, 140]],
  ])('returns the total CPU with %s monitoring at %i s', async (monitoring, period, values, expected) => {
    const cw = mockClient(CloudWatchClient);
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        {
          Id: 't0_load',
          Timestamps: values.map((_, i) => new Date(i * period * 1000)),
          Values: values,
          StatusCode: 'Complete',
        },
      ],
    });
    const r = request(
      { type: 'predefined', metric: 'ASGTotalCPUUtilization', instanceMonitoring: monitoring },
      period,
    );

    const out = await new CloudWatchHistory(new CloudWatchClient({})).fetchHistory([r]);

    const history = out.get(r.targetId);
    expect(history?.ok).toBe(true);
    const points = history?.ok === true ? history.value.points : [];
    expect(points.map((p) => p.value)).toEqual(expected);
    expect(cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries).toEqual([
      expect.objectContaining({ MetricStat: expect.objectContaining({ Period: period, Stat: 'Sum' }) }),
    ]);
    cw.restore();
  });
});

describe('CloudWatchHistory when a call is rejected for its content', () => {
  const rejected = () =>
    Object.assign(
      new Error(
        'The value p99.9x for parameter MetricDataQueries.member.2.MetricStat.Stat is not a valid statistic.',
      ),
      { name: 'InvalidParameterValueException', $fault: 'client' },
    );
  const requests = ['web', 'api', 'jobs'].map((id, i) => ({
    ...request(
      i === 1
        ? {
            type: 'custom',
            metricDataQueries: [
              { Id: 'load', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Cpu' }, Stat: 'p99.9x' } },
            ],
          }
        : { type: 'predefined', metric: 'ASGTotalNetworkIn' },
    ),
    targetId: id,
  }));

  it('fails only the target whose query CloudWatch rejects, not the others sharing the call', async () => {
    const cw = mockClient(CloudWatchClient);
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const queries = input.MetricDataQueries ?? [];
      if (queries.some((q) => q.MetricStat?.Stat === 'p99.9x')) throw rejected();
      return {
        MetricDataResults: queries.map((q) => ({
          Id: q.Id,
          Timestamps: [new Date(0), new Date(300_000)],
          Values: [1, 2],
          StatusCode: 'Complete',
        })),
      };
    });

    const out = await new CloudWatchHistory(new CloudWatchClient({})).fetchHistory(requests);

    expect(out.get('web')).toMatchObject({ ok: true });
    expect(out.get('jobs')).toMatchObject({ ok: true });
    expect(out.get('api')).toEqual({
      ok: false,
      error:
        'InvalidParameterValueException: The value p99.9x for parameter MetricDataQueries.member.2.MetricStat.Stat is not a valid statistic.',
    });
    cw.restore();
  });

  it('fails every target of the call at once for an error that is not about its content', async () => {
    const cw = mockClient(CloudWatchClient);
    cw.on(GetMetricDataCommand).rejects(
      Object.assign(new Error('not authorized'), { name: 'AccessDenied', $fault: 'client' }),
    );

    const out = await new CloudWatchHistory(new CloudWatchClient({})).fetchHistory(requests);

    expect([...out.values()].every((o) => !o.ok && o.error === 'AccessDenied: not authorized')).toBe(true);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    cw.restore();
  });
});

describe('CloudWatchHistory with a malformed result', () => {
  it.each([
    [
      'Timestamps and Values of different lengths',
      { Timestamps: [new Date(0), new Date(300_000)], Values: [1] },
      'GetMetricData result t0_load has 2 Timestamps but 1 Values',
    ],
    [
      'an invalid timestamp',
      { Timestamps: [new Date(0), new Date(Number.NaN)], Values: [1, 2] },
      'GetMetricData result t0_load has Timestamps[1] Invalid Date',
    ],
  ])('fails that target, naming the field and value, for %s', async (_, result, error) => {
    const cw = mockClient(CloudWatchClient);
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: (input.MetricDataQueries ?? []).map((q) =>
        q.Id === 't0_load'
          ? { Id: q.Id, ...result, StatusCode: 'Complete' }
          : { Id: q.Id, Timestamps: [new Date(0)], Values: [5], StatusCode: 'Complete' },
      ),
    }));
    const metric = { type: 'predefined', metric: 'ASGTotalNetworkIn' };
    const requests = [
      { ...request(metric), targetId: 'web' },
      { ...request(metric), targetId: 'api' },
    ];

    const out = await new CloudWatchHistory(new CloudWatchClient({})).fetchHistory(requests);

    expect(out.get('web')).toEqual({ ok: false, error });
    expect(out.get('api')).toMatchObject({ ok: true });
    cw.restore();
  });
});

describe('CloudWatchHistory with metric math', () => {
  // "NextToken is not returned if you are performing a math expression" (MetricDataResult.StatusCode).
  it('reads a target with an Expression in a call of its own, so every target is read in full', async () => {
    const cw = mockClient(CloudWatchClient);
    const fake = fakeGetMetricData({ pageDatapoints: 20 });
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const res = fake(input);
      if (!(input.MetricDataQueries ?? []).some((q) => q.Expression !== undefined)) return res;
      const { NextToken: _dropped, ...rest } = res;
      return rest;
    });
    const custom = {
      type: 'custom',
      metricDataQueries: [hiddenSum('req', 'Requests'), { Id: 'load', Expression: 'req * 2' }],
    };
    const predefined = { type: 'predefined', metric: 'ASGTotalNetworkIn' };
    const requests = [
      { ...request(predefined), targetId: 'web' },
      { ...request(custom), targetId: 'api' },
      { ...request(predefined), targetId: 'jobs' },
    ];

    const out = await new CloudWatchHistory(new CloudWatchClient({})).fetchHistory(requests);

    for (const id of ['web', 'api', 'jobs']) {
      const history = out.get(id);
      expect(history?.ok === true && history.value.partial).toBe(false);
      expect(history?.ok === true ? history.value.points : []).toHaveLength(12);
    }
    cw.restore();
  });

  it('packs targets with metric math into calls of at most 100,800 points, which need no NextToken', async () => {
    const cw = mockClient(CloudWatchClient);
    const fake = fakeGetMetricData();
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const res = fake(input);
      if (!(input.MetricDataQueries ?? []).some((q) => q.Expression !== undefined)) return res;
      const { NextToken: _dropped, ...rest } = res;
      return rest;
    });
    // 14 days at 60 s: 20,160 points per target, so five fit in one call and the sixth does not.
    const requests = Array.from({ length: 6 }, (_, i) => ({
      ...request(
        {
          type: 'custom',
          metricDataQueries: [{ Id: 'load', Expression: `SUM(SEARCH('{App,Shard} ${i}', 'Sum', 60))` }],
        },
        60,
      ),
      targetId: `shard${i}`,
      endSec: 14 * 86_400,
    }));

    const out = await new CloudWatchHistory(new CloudWatchClient({})).fetchHistory(requests);

    const calls = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries?.length);
    expect(calls).toEqual([5, 1]);
    for (const r of requests) {
      const history = out.get(r.targetId);
      expect(history?.ok === true && history.value.partial).toBe(false);
      expect(history?.ok === true ? history.value.points : []).toHaveLength(20_160);
    }
    cw.restore();
  });
});

/**
 * GetMetricData's own `Messages`: "An example of a message that might be returned is Maximum
 * number of allowed metrics exceeded. If there is a message, as much of the operation as possible
 * is still executed. A message appears here only if it is related to the global GetMetricData
 * operation." (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html)
 */
describe('CloudWatchHistory with a message about the whole GetMetricData operation', () => {
  const CUT_SHORT = 'Maximum number of allowed metrics exceeded';
  const searchFor = (name: string) => ({
    type: 'custom',
    metricDataQueries: [
      {
        Id: 'load',
        Expression: `SUM(SEARCH('{AWS/EC2,InstanceId} MetricName="${name}"', 'Sum', 3600))`,
      },
    ],
  });
  /** Answers every query; the whole call gets `CUT_SHORT` when `tooMany` says its queries are too many. */
  const answering =
    (tooMany: (queries: readonly { Expression?: string }[]) => boolean) =>
    (input: GetMetricDataCommandInput) => {
      const queries = input.MetricDataQueries ?? [];
      return {
        MetricDataResults: queries
          .filter((q) => q.ReturnData !== false)
          .map((q) => ({
            Id: q.Id,
            Label: 'load',
            Timestamps: [new Date(0), new Date(3_600_000)],
            Values: [1200, 1300],
            StatusCode: 'Complete' as const,
          })),
        Messages: tooMany(queries) ? [{ Value: CUT_SHORT }] : [],
      };
    };

  it('returns a history CloudWatch computed only in part as partial, with the message', async () => {
    const cw = mockClient(CloudWatchClient);
    cw.on(GetMetricDataCommand).callsFake(answering(() => true));
    const r = { ...request(searchFor('CPUUtilization'), 3600), endSec: 7200 };

    const out = await new CloudWatchHistory(new CloudWatchClient({ region: 'us-east-1' })).fetchHistory([r]);

    const history = out.get(r.targetId);
    expect(history?.ok).toBe(true);
    const value = history?.ok === true ? history.value : undefined;
    expect(value?.partial).toBe(true);
    expect(value?.messages).toEqual([`the GetMetricData call was executed only in part: ${CUT_SHORT}`]);
    expect(value?.statusCodes).toEqual(['Complete']);
    cw.restore();
  });

  it('splits a call CloudWatch executed only in part, so targets read whole apart are complete', async () => {
    const cw = mockClient(CloudWatchClient);
    // Two SEARCH targets together select more metrics than one call may hold; each alone does not.
    cw.on(GetMetricDataCommand).callsFake(answering((queries) => queries.length > 1));
    const requests = ['web', 'api'].map((id) => ({
      ...request(searchFor(id), 3600),
      targetId: id,
      endSec: 7200,
    }));

    const out = await new CloudWatchHistory(new CloudWatchClient({})).fetchHistory(requests);

    expect(
      cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries?.length),
    ).toEqual([2, 1, 1]);
    for (const id of ['web', 'api']) {
      expect(out.get(id)).toMatchObject({ ok: true, value: { partial: false, messages: [] } });
    }
    cw.restore();
  });

  it('leaves partial only the target whose own queries CloudWatch cannot execute whole', async () => {
    const cw = mockClient(CloudWatchClient);
    cw.on(GetMetricDataCommand).callsFake(
      answering((queries) => queries.some((q) => q.Expression?.includes('"api"') === true)),
    );
    const requests = ['web', 'api', 'jobs'].map((id) => ({
      ...request(searchFor(id), 3600),
      targetId: id,
      endSec: 7200,
    }));

    const out = await new CloudWatchHistory(new CloudWatchClient({})).fetchHistory(requests);

    expect(out.get('web')).toMatchObject({ ok: true, value: { partial: false } });
    expect(out.get('jobs')).toMatchObject({ ok: true, value: { partial: false } });
    expect(out.get('api')).toMatchObject({
      ok: true,
      value: { partial: true, messages: [`the GetMetricData call was executed only in part: ${CUT_SHORT}`] },
    });
    cw.restore();
  });
});
