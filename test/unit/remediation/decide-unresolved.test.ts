/**
 * decide() on an ALARM transition a rule matches but whose resource it cannot resolve: the
 * dimension it takes the resource from is missing or empty, or the alarm's metrics (the published
 * Metric Math sample, `SUM(METRICS())`, with m2 moved to a second instance: values only) name
 * more than one value of it. A human is told (`escalate`, kind ruleDefect), in every mode; an OK,
 * a non-matching alarm and a muted one stay skips.
 */
import { describe, expect, it } from 'vitest';
import {
  type AlarmStateChange,
  decide,
  EMPTY_SNAPSHOT,
  parseEvent,
  unresolvedResourceId,
} from '../../../lambdas/core/remediation';
import { alarmFixture, configWith, diskInput, ENGINE, NOW_SEC, rawFixture } from './helpers';

const FIRST = 'i-12345678901234567';
const SECOND = 'i-0abc123def4567890';
const MUTE_RULE = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm-mute-rule:maintenance';

/** The metric math sample with m2 on a second instance, its state and mute patched as given. */
function twoInstanceAlarm(patch: { previous?: string; value?: string; muted?: boolean } = {}) {
  const raw = rawFixture('cloudwatch-alarm-metric-math.json') as {
    detail: {
      state: { value: string; timestamp: string };
      previousState: { value: string };
      configuration: { metrics: { id: string; metricStat?: { metric: { dimensions: object } } }[] };
      muteDetail?: object;
    };
  };
  const m2 = raw.detail.configuration.metrics.find((m) => m.id === 'm2');
  if (m2?.metricStat === undefined) throw new Error('fixture has no m2');
  m2.metricStat.metric.dimensions = { InstanceId: SECOND };
  if (patch.value !== undefined) raw.detail.state.value = patch.value;
  if (patch.previous !== undefined) raw.detail.previousState.value = patch.previous;
  if (patch.muted === true) {
    raw.detail.muteDetail = {
      mutedByArn: MUTE_RULE,
      muteWindowStart: '2000-01-01T00:00:00.000+0000',
      muteWindowEnd: '2100-01-01T00:00:00.000+0000',
    };
  }
  const parsed = parseEvent(raw);
  if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${JSON.stringify(parsed)}`);
  return parsed;
}

function decideOn(event: AlarmStateChange, mode = 'enforce', match: object = { namespace: 'AWS/EC2' }) {
  const config = configWith([
    {
      id: 'restart-app',
      match,
      resource: { from: 'dimension', dimension: 'InstanceId' },
      document: { shipped: 'restart-service' },
      parameters: { InstanceId: '{{resourceId}}', ServiceName: 'app' },
      mode,
    },
  ]);
  return decide({
    event,
    rules: config.rules,
    config,
    snapshot: EMPTY_SNAPSHOT,
    nowSec: NOW_SEC,
    engine: ENGINE,
  });
}

describe('decide on an alarm whose resource cannot be resolved', () => {
  it.each(['enforce', 'dryRun', 'observe'])(
    'escalates metrics naming two instances as a rule defect, naming each value (%s)',
    (mode) => {
      const event = twoInstanceAlarm();

      const d = decideOn(event, mode);

      // Before: a skip, logged and forgotten.
      expect(d).toMatchObject({
        outcome: 'escalate',
        ruleId: 'restart-app',
        mode,
        resource: {
          type: 'unresolved',
          id: '(unresolved) alarm "TotalNetworkTrafficTooHigh"',
          dimensions: {},
        },
        unresolved: { dimension: 'InstanceId', values: [FIRST, SECOND], metrics: event.metrics },
        guardrails: [],
        freezeRule: false,
      });
      expect(d.reason).toBe(
        `rule restart-app takes the resource from dimension InstanceId, but the metrics of alarm "TotalNetworkTrafficTooHigh" name 2 different values: ${FIRST} (metric m1), ${SECOND} (metric m2); the alarm does not say which crossed the threshold, so nothing is acted on (pin the rule to one metric, or give a fixed resource)`,
      );
      expect(d).not.toHaveProperty('request');
    },
  );

  it('escalates a missing resource dimension, saying the alarm has none', () => {
    const d = decide(diskInput({}, { resource: { from: 'dimension', dimension: 'AutoScalingGroupName' } }));

    expect(d).toMatchObject({
      outcome: 'escalate',
      ruleId: 'disk-full-cleanup',
      resource: { type: 'unresolved', id: unresolvedResourceId('disk-full-web-1') },
      unresolved: { dimension: 'AutoScalingGroupName', values: [] },
      reason:
        'rule disk-full-cleanup takes the resource from dimension AutoScalingGroupName, but alarm "disk-full-web-1" has none (no such dimension); nothing to act on',
    });
  });

  it('escalates an empty resource dimension, saying it is empty', () => {
    const event = alarmFixture('example-disk-full-alarm.json');
    const emptied: AlarmStateChange = {
      ...event,
      metrics: event.metrics.map((m) =>
        m.metricStat === undefined
          ? m
          : {
              ...m,
              metricStat: {
                ...m.metricStat,
                metric: {
                  ...m.metricStat.metric,
                  dimensions: { ...m.metricStat.metric.dimensions, InstanceId: '' },
                },
              },
            },
      ),
    };

    const d = decide(diskInput({ event: emptied }));

    expect(d).toMatchObject({
      outcome: 'escalate',
      unresolved: { dimension: 'InstanceId', values: [] },
      reason: expect.stringContaining('but the dimension is empty ("") in alarm "disk-full-web-1"'),
    });
  });

  it('keeps a change back to OK a skip: nothing was open on a resource it never named', () => {
    const d = decideOn(twoInstanceAlarm({ previous: 'ALARM', value: 'OK' }));

    expect(d).toMatchObject({ outcome: 'skip', ruleId: 'restart-app' });
    expect(d.reason).toContain('name 2 different values');
  });

  it.each([
    ['ALARM', 'ALARM'],
    ['ALARM', 'INSUFFICIENT_DATA'],
  ])('keeps %s → %s a skip', (previous, value) => {
    expect(decideOn(twoInstanceAlarm({ previous, value })).outcome).toBe('skip');
  });

  it('keeps an alarm no rule matches a skip', () => {
    const d = decideOn(twoInstanceAlarm(), 'enforce', { namespace: 'CWAgent' });

    expect(d).toMatchObject({
      outcome: 'skip',
      reason: 'no rule matches alarm "TotalNetworkTrafficTooHigh"',
    });
  });

  it.each(['enforce', 'observe'])('escalates nothing for a muted alarm: its actions are off (%s)', (mode) => {
    const d = decideOn(twoInstanceAlarm({ muted: true }), mode);

    expect(d).toMatchObject({ outcome: 'skip', ruleId: 'restart-app' });
    expect(d.reason).toContain(`is muted by alarm mute rule ${MUTE_RULE}`);
  });

  it('marks the stand-in so no real resource id (an instance id) looks like it', () => {
    expect(unresolvedResourceId('disk-full-web-1')).toBe('(unresolved) alarm "disk-full-web-1"');
    expect(unresolvedResourceId('x')).not.toMatch(/^i-/);
  });
});
