import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, automationStatus, renamedAlarm, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const A = 'i-00000000000000001';
const B = 'i-00000000000000002';
/** A second rule on the same alarms (restart a service) so two rules can meet on one instance. */
const OTHER_RULE = {
  ...DISK_RULE,
  id: 'disk-full-restart',
  match: { ...DISK_RULE.match, alarmNamePattern: 'disk-full-other-*' },
  document: { shipped: 'restart-service' },
  parameters: { InstanceId: '{{resourceId}}', ServiceName: 'app' },
};

/** Global cap 1: the alarm on B is blocked while A's remediation runs. */
async function blockedByGlobalCap() {
  const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
  const first = await handleAlarmEvent(alarmOnInstance('evt-a', A), deps);
  const second = await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);
  return { deps, first, second };
}

describe('blocked remediations', () => {
  it.each([
    ['globalCap', { extra: { maxConcurrentRemediations: 1 } }, B, undefined],
    ['blastRadius', { extra: {} }, B, { name: 'web-asg', instancesInService: 2 }],
  ] as const)(
    'records an alarm refused by %s as blocked until the verification timeout',
    async (guardrail, opts, second, group) => {
      const deps = testDeps(opts);
      if (group !== undefined) for (const i of [A, B]) deps.groups.groups.set(i, group);
      await handleAlarmEvent(alarmOnInstance('evt-a', A), deps);

      const result = await handleAlarmEvent(alarmOnInstance('evt-b', second), deps);

      expect(result.outcome).toBe('skipped');
      expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({
        state: 'blocked',
        blockedBy: guardrail,
        deadlineSec: deps.clock.nowSec() + 600,
      });
    },
  );

  it('escalates a blocked remediation whose error budget ran out and freezes the rule, as the first decision does', async () => {
    const { deps } = await blockedByGlobalCap();
    for (const id of ['rem-x', 'rem-y']) {
      await deps.ledger.recordFailedVerification(DISK_RULE.id, deps.clock.nowSec(), id);
    }

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.results.find((r) => r.remediationId === 'rem-evt-b')).toMatchObject({
      outcome: 'escalated',
      escalation: { kind: 'errorBudget' },
    });
    expect(await deps.ledger.isRuleFrozen(DISK_RULE.id)).toBe(true);
  });

  it('heals a 2-instance group at 34 % one instance at a time (blast radius at least 1)', async () => {
    const deps = testDeps();
    for (const i of [A, B]) deps.groups.groups.set(i, { name: 'web-asg', instancesInService: 2 });

    const first = await handleAlarmEvent(alarmOnInstance('evt-a', A), deps);
    await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);

    expect(first.outcome).toBe('started');
    expect(deps.automation.requests.map((r) => r.Parameters.InstanceId?.[0])).toEqual([A]);
    expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({
      state: 'blocked',
      blockedBy: 'blastRadius',
    });
  });

  it('blocks on a lock held by another rule or by its rule for another alarm, but skips its own alarm’s repeat', async () => {
    const deps = testDeps({ rules: [OTHER_RULE, DISK_RULE] });
    await handleAlarmEvent(alarmOnInstance('evt-a', A), deps);
    await handleAlarmEvent(alarmOnInstance('evt-same', A), deps);
    const other = alarmOnInstance('evt-other', A);
    await handleAlarmEvent(renamedAlarm(other, `disk-full-other-${A}`), deps);
    // The same rule (disk-full-*) on the same instance, through another alarm.
    const data = alarmOnInstance('evt-data', A);
    await handleAlarmEvent(renamedAlarm(data, `disk-full-data-${A}`), deps);

    expect((await deps.ledger.getRemediation('rem-evt-same'))?.state).toBe('skipped');
    for (const id of ['rem-evt-other', 'rem-evt-data']) {
      expect(await deps.ledger.getRemediation(id)).toMatchObject({
        state: 'blocked',
        blockedBy: 'resourceLock',
      });
    }
  });

  it('skips, from the sweep, a same-rule alarm blocked by the lock once it went back to OK', async () => {
    const deps = testDeps();
    await handleAlarmEvent(alarmOnInstance('evt-a', A), deps);
    const data = alarmOnInstance('evt-data', A);
    await handleAlarmEvent(renamedAlarm(data, `disk-full-data-${A}`), deps);
    deps.alarms.states.set(`disk-full-data-${A}`, 'OK');

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.results.find((r) => r.remediationId === 'rem-evt-data')?.outcome).toBe('skipped');
    expect((await deps.ledger.getRemediation('rem-evt-data'))?.state).toBe('skipped');
    expect(deps.automation.requests).toHaveLength(1);
  });

  it('re-drives a blocked remediation that itself holds a global slot without counting that slot', async () => {
    // Cap 1; a cooldown blocks the alarm; its own start (killed after its holds, say) left a slot.
    const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
    const cooldownSec = deps.config.rules[0]?.limits.cooldownSec ?? 0;
    await deps.ledger.recordRemediation(DISK_RULE.id, A, deps.clock.nowSec() - cooldownSec + 60, 'rem-old');
    await handleAlarmEvent(alarmOnInstance('evt-a', A), deps);
    await deps.ledger.acquireGlobalSlot('rem-evt-a', 1, deps.clock.nowSec() + 3_600);
    deps.clock.advance(60);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.results.map((r) => r.outcome)).toEqual(['started']);
    expect(deps.automation.requests.map((r) => r.Parameters.InstanceId?.[0])).toEqual([A]);
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'verifying' });
  });

  it('starts a blocked remediation from the sweep once the blocker is gone and the alarm still fires', async () => {
    const { deps, first } = await blockedByGlobalCap();
    deps.clock.advance(60);
    expect((await sweepDeadlines(deps, 'sweep-1')).redriven).toBe(0);
    await handleAutomationEvent(automationStatus('auto-a', 'Failed', first.executionId ?? ''), deps);
    deps.clock.advance(60);

    const sweep = await sweepDeadlines(deps, 'sweep-2');

    expect(sweep.results.map((r) => r.outcome)).toEqual(['started']);
    expect(sweep.redriven).toBe(1);
    expect(deps.automation.requests.map((r) => r.Parameters.InstanceId?.[0])).toEqual([A, B]);
    const record = await deps.ledger.getRemediation('rem-evt-b');
    expect(record).toMatchObject({ state: 'verifying', deadlineSec: deps.clock.nowSec() + 600 });
    expect(record?.stateTimes).toMatchObject({ blocked: expect.any(Number), started: deps.clock.nowSec() });
    expect((await deps.ledger.listBlocked()).records).toEqual([]);
  });

  it('blocks an alarm refused by the cooldown and starts it from the sweep once the cooldown passed', async () => {
    const deps = testDeps();
    const cooldownSec = deps.config.rules[0]?.limits.cooldownSec ?? 0;
    await deps.ledger.recordRemediation(DISK_RULE.id, A, deps.clock.nowSec() - cooldownSec + 60, 'rem-old');

    const result = await handleAlarmEvent(alarmOnInstance('evt-a', A), deps);
    const early = await sweepDeadlines(deps, 'sweep-1');
    deps.clock.advance(60);
    const late = await sweepDeadlines(deps, 'sweep-2');

    expect(result.reason).toContain('blocked: the sweeper starts it once cooldown allows');
    expect(early.redriven).toBe(0);
    expect(late.results.map((r) => r.outcome)).toEqual(['started']);
    expect(deps.automation.requests.map((r) => r.Parameters.InstanceId?.[0])).toEqual([A]);
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({
      state: 'verifying',
      stateTimes: { blocked: expect.any(Number) },
    });
  });

  it('skips a blocked remediation whose alarm went back to OK', async () => {
    const { deps } = await blockedByGlobalCap();
    deps.alarms.states.set(`disk-full-${B}`, 'OK');

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.results.map((r) => r.outcome)).toEqual(['skipped']);
    expect((await deps.ledger.getRemediation('rem-evt-b'))?.state).toBe('skipped');
    expect(deps.automation.requests).toHaveLength(1);
  });

  it('starts, rather than escalates, a remediation past its deadline that nothing blocks any more', async () => {
    // The first remediation's slot is given back just as the second's deadline passes.
    const { deps } = await blockedByGlobalCap();
    deps.clock.advance(600);
    await deps.ledger.releaseGlobalSlot('rem-evt-a');

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.results.find((r) => r.remediationId === 'rem-evt-b')?.outcome).not.toBe('escalated');
    expect((await deps.ledger.getRemediation('rem-evt-b'))?.state).toBe('verifying');
    expect(deps.automation.requests).toHaveLength(2);
  });

  it('escalates "could not remediate" when the blocker outlasts the verification timeout', async () => {
    const { deps } = await blockedByGlobalCap();
    deps.clock.advance(300);
    await sweepDeadlines(deps, 'sweep-1');
    deps.clock.advance(300);

    const sweep = await sweepDeadlines(deps, 'sweep-2');

    const blocked = sweep.results.find((r) => r.remediationId === 'rem-evt-b');
    expect(blocked).toMatchObject({ outcome: 'escalated' });
    expect(blocked?.reason).toMatch(/^could not remediate: blocked by globalCap for 600 s/);
    expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({
      state: 'escalated',
      escalation: { snsMessageId: expect.any(String), byEventId: 'sweep-2' },
    });
    expect(deps.escalator.notifications.some((n) => n.subject.includes('blocked'))).toBe(true);
    expect(deps.automation.requests).toHaveLength(1);
  });
});
