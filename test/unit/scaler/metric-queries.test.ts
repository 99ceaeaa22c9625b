import { describe, expect, it } from 'vitest';
import { targetQueries } from '../../../lambdas/adapters/metric-queries';
import type { HistoryRequest } from '../../../lambdas/core/scaler';
import { target } from './memory-ports';

function request(loadMetric: Record<string, unknown>): HistoryRequest {
  const t = target({ loadMetric });
  return {
    targetId: t.id,
    loadMetric: t.loadMetric,
    autoScalingGroupName: t.autoScalingGroupName,
    periodSec: 300,
    startSec: 0,
    endSec: 3600,
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
    const q = targetQueries(request({ type: 'predefined', metric }), 7);
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
      0,
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
          {
            Id: 'req',
            MetricStat: { Metric: { Namespace: 'App', MetricName: 'Requests' }, Stat: 'Sum' },
            ReturnData: false,
          },
          {
            Id: 'err',
            MetricStat: { Metric: { Namespace: 'App', MetricName: 'Errors' }, Stat: 'Sum' },
            ReturnData: false,
          },
          { Id: 'load', Expression: 'req - err + reqx', Label: 'good requests' },
        ],
      }),
      3,
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
});
