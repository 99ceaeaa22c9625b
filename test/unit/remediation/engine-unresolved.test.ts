/**
 * The engine on an ALARM a rule matches but whose resource it cannot resolve (the published Metric
 * Math sample with m2 on a second instance, values only): escalated as a rule defect with the
 * alarm's metrics as evidence, under a stand-in resource id, without taking any lock, slot or
 * window; repeats within the rule's frequency window are recorded skipped, as for other defects.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { parseEvent } from '../../../lambdas/core/remediation/events';
import type { Ledger } from '../../../lambdas/core/remediation/ledger';
import { evidenceOf, type TestDeps, testDeps } from './engine-deps';
import { rawFixture } from './helpers';

const FIRST = 'i-12345678901234567';
const SECOND = 'i-0abc123def4567890';
const STAND_IN = '(unresolved) alarm "TotalNetworkTrafficTooHigh"';
const HOUR = 3600;

const RULE = {
  id: 'restart-app',
  match: { namespace: 'AWS/EC2' },
  resource: { from: 'dimension', dimension: 'InstanceId' },
  document: { shipped: 'restart-service' },
  parameters: { InstanceId: '{{resourceId}}', ServiceName: 'app' },
  mode: 'enforce',
  limits: { frequencyWindowHours: 2 },
};

/** The metric math sample as event `id`, its m2 on instance `second`, going to `value`. */
function mathAlarm(id: string, second = SECOND, value: 'ALARM' | 'OK' = 'ALARM') {
  const raw = rawFixture('cloudwatch-alarm-metric-math.json') as {
    id: string;
    detail: {
      state: { value: string };
      previousState: { value: string };
      configuration: { metrics: { id: string; metricStat?: { metric: { dimensions: object } } }[] };
    };
  };
  raw.id = id;
  const m2 = raw.detail.configuration.metrics.find((m) => m.id === 'm2');
  if (m2?.metricStat === undefined) throw new Error('fixture has no m2');
  m2.metricStat.metric.dimensions = { InstanceId: second };
  raw.detail.state.value = value;
  raw.detail.previousState.value = value === 'ALARM' ? 'OK' : 'ALARM';
  const parsed = parseEvent(raw);
  if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${JSON.stringify(parsed)}`);
  return parsed;
}

/** Counts every call of the ledger's lock, slot and window methods from now on. */
function countHolds(deps: TestDeps): () => string[] {
  const ledger = deps.ledger as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const calls: string[] = [];
  const holds: (keyof Ledger)[] = [
    'acquireResourceLock',
    'acquireGlobalSlot',
    'acquireGroupSlot',
    'recordRemediation',
    'resourceLockHolder',
  ];
  for (const name of holds) {
    const original = ledger[name]?.bind(deps.ledger);
    if (original === undefined) throw new Error(`no ${name}`);
    ledger[name] = (...args: unknown[]) => {
      calls.push(`${name}(${String(args[0])})`);
      return original(...args);
    };
  }
  return () => calls;
}

describe('an ALARM whose matched rule cannot resolve its resource', () => {
  it.each(['enforce', 'dryRun', 'observe'])(
    'is escalated as a rule defect with the alarm metrics as evidence, taking no hold (%s)',
    async (mode) => {
      const deps = testDeps({ rules: [{ ...RULE, mode }] });
      const holds = countHolds(deps);
      const event = mathAlarm('evt-1');

      const result = await handleAlarmEvent(event, deps);

      // Before: outcome skipped, nothing recorded, nobody told.
      expect(result).toMatchObject({
        outcome: 'escalated',
        remediationId: 'rem-evt-1',
        resourceId: STAND_IN,
        escalation: { kind: 'ruleDefect', snsMessageId: 'msg-1', opsItemId: 'oi-1' },
      });
      expect(result.reason).toContain(`name 2 different values: ${FIRST} (metric m1), ${SECOND} (metric m2)`);
      expect(await deps.ledger.getRemediation('rem-evt-1')).toMatchObject({
        state: 'escalated',
        ruleId: 'restart-app',
        resourceId: STAND_IN,
        alarmMetrics: event.metrics,
      });
      const evidence = evidenceOf(deps.escalator.notifications[0]);
      expect(evidence).toMatchObject({
        kind: 'ruleDefect',
        resourceId: STAND_IN,
        alarm: { name: 'TotalNetworkTrafficTooHigh', metrics: event.metrics },
      });
      expect(deps.escalator.notifications[0]?.subject).toBe(
        `selfheal: restart-app on ${STAND_IN}: rule cannot be applied`,
      );
      expect(deps.automation.requests).toHaveLength(0);
      expect(holds()).toEqual([]);
      expect(await deps.ledger.resourceLockHolder(STAND_IN)).toBeUndefined();
      expect(await deps.ledger.activeGlobalSlots()).toBe(0);
      expect(await deps.ledger.countRemediations('restart-app', STAND_IN, 0)).toBe(0);
    },
  );

  it('records repeats within the frequency window as skipped, naming the escalation', async () => {
    const deps = testDeps({ rules: [RULE] });
    const first = await handleAlarmEvent(mathAlarm('evt-1'), deps);
    deps.clock.advance(5 * 60);

    const again = await handleAlarmEvent(mathAlarm('evt-2'), deps);

    expect(first).toMatchObject({ outcome: 'escalated', escalation: { kind: 'ruleDefect' } });
    expect(again).toMatchObject({ outcome: 'skipped', remediationId: 'rem-evt-2', resourceId: STAND_IN });
    expect(again.reason).toContain('not escalated again: remediation rem-evt-1 escalated the same defect at');
    expect(again.reason).toContain(first.reason);
    expect(deps.escalator.notifications).toHaveLength(1);
    expect(deps.escalator.opsItems).toHaveLength(1);
  });

  it('escalates again after the window, and at once when the alarm names other values', async () => {
    const deps = testDeps({ rules: [RULE] });
    await handleAlarmEvent(mathAlarm('evt-1'), deps);

    const other = await handleAlarmEvent(mathAlarm('evt-2', 'i-0fedcba9876543210'), deps);
    deps.clock.advance(2 * HOUR + 1);
    const later = await handleAlarmEvent(mathAlarm('evt-3'), deps);

    expect(other).toMatchObject({ outcome: 'escalated', escalation: { kind: 'ruleDefect' } });
    expect(later).toMatchObject({ outcome: 'escalated', escalation: { kind: 'ruleDefect' } });
    expect(deps.escalator.notifications).toHaveLength(3);
  });

  it('re-sends an escalation SNS did not take with the same metrics, on redelivery', async () => {
    const deps = testDeps({ rules: [RULE] });
    deps.escalator.snsFails = true;
    const event = mathAlarm('evt-1');
    await expect(handleAlarmEvent(event, deps)).rejects.toThrow();
    deps.escalator.snsFails = false;

    const resent = await handleAlarmEvent(event, deps);

    expect(resent).toMatchObject({ outcome: 'escalated', escalation: { snsMessageId: expect.any(String) } });
    expect(evidenceOf(deps.escalator.notifications.at(-1))).toMatchObject({
      resourceId: STAND_IN,
      alarm: { metrics: event.metrics },
    });
  });

  it('keeps its change back to OK a skip, recording nothing', async () => {
    const deps = testDeps({ rules: [RULE] });

    const ok = await handleAlarmEvent(mathAlarm('evt-ok', SECOND, 'OK'), deps);

    expect(ok).toMatchObject({ outcome: 'skipped' });
    expect(await deps.ledger.getRemediation('rem-evt-ok')).toBeUndefined();
    expect(deps.escalator.notifications).toHaveLength(0);
  });
});
