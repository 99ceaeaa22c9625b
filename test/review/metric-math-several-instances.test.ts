/**
 * Review: a metric-math alarm over several instances is remediated on whichever instance its first
 * matching metric names (lambdas/core/remediation/match.ts, matchOne's `alarm.metrics.find` and
 * resolveResource's `alarm.metrics.find`), not on the one that breached.
 *
 * The CloudWatch User Guide's Metric Math Alarm sample ("Alarm events and EventBridge",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html)
 * carries `SUM(METRICS())` over two metricStat entries, each with its own `dimensions`; the event says
 * only that the expression crossed the threshold, never which metric drove it. When those metrics
 * name two instances (the same sample with m2 on another instance: values changed, no field added),
 * the engine silently picks m1's instance and, in enforce mode, starts the document on it.
 */
import { describe, expect, it } from 'vitest';
import { decide, EMPTY_SNAPSHOT, parseEvent } from '../../lambdas/core/remediation';
import { configWith, ENGINE, NOW_SEC, rawFixture } from '../unit/remediation/helpers';

const FIRST = 'i-12345678901234567';
const SECOND = 'i-0abc123def4567890';

/** The published metric-math sample, m2 on a second instance. */
function twoInstanceAlarm() {
  const raw = rawFixture('cloudwatch-alarm-metric-math.json') as {
    detail: { configuration: { metrics: { id: string; metricStat?: { metric: { dimensions: object } } }[] } };
  };
  const m2 = raw.detail.configuration.metrics.find((m) => m.id === 'm2');
  if (m2?.metricStat === undefined) throw new Error('fixture has no m2');
  m2.metricStat.metric.dimensions = { InstanceId: SECOND };
  const parsed = parseEvent(raw);
  if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${JSON.stringify(parsed)}`);
  return parsed;
}

describe('a metric-math alarm whose metrics name several instances', () => {
  it.each([
    ['a name-only rule', { alarmNamePattern: 'TotalNetworkTraffic*' }],
    ['a namespace rule', { namespace: 'AWS/EC2' }],
    ['a wildcard-dimension rule', { dimensions: { InstanceId: '*' } }],
  ])('is not remediated on one of them picked by position (%s)', (_, match) => {
    const config = configWith([
      {
        id: 'restart-app',
        match,
        resource: { from: 'dimension', dimension: 'InstanceId' },
        document: { shipped: 'restart-service' },
        parameters: { InstanceId: '{{resourceId}}', ServiceName: 'app' },
        mode: 'enforce',
      },
    ]);

    const d = decide({
      event: twoInstanceAlarm(),
      rules: config.rules,
      config,
      snapshot: EMPTY_SNAPSHOT,
      nowSec: NOW_SEC,
      engine: ENGINE,
    });

    // Today: outcome 'start' on FIRST, though SECOND may be the one that breached.
    expect(d.outcome).not.toBe('start');
    expect(d.reason).toContain(FIRST);
    expect(d.reason).toContain(SECOND);
  });
});
