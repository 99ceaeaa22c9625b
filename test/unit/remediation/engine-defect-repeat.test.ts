/**
 * A flapping alarm whose InstanceId dimension the shipped document's allowedPattern rejects: the
 * first ALARM escalates (kind ruleDefect); repeats of the same defect within the rule's frequency
 * window are recorded skipped, naming the earlier escalation, instead of sending SNS each time.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { alarmOnInstance, type TestDeps, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';
import { newRemediation } from './ledger-fixtures';

const INJECTED = 'i-0abc; rm -rf /';
const HOUR = 3600;

describe('a rule defect repeated by a flapping alarm', () => {
  it('escalates the first and records the repeats within the window as skipped, naming the escalation', async () => {
    const deps = testDeps();
    const first = await handleAlarmEvent(alarmOnInstance('evt-1', INJECTED), deps);
    deps.clock.advance(5 * 60);

    const again = await handleAlarmEvent(alarmOnInstance('evt-2', INJECTED), deps);

    expect(first).toMatchObject({ outcome: 'escalated', escalation: { kind: 'ruleDefect' } });
    expect(again).toMatchObject({ outcome: 'skipped', remediationId: 'rem-evt-2', resourceId: INJECTED });
    expect(again.reason).toContain('not escalated again: remediation rem-evt-1 escalated the same defect at');
    expect(again.reason).toContain('SNS message msg-1, OpsItem oi-1');
    expect(again.reason).toContain(first.reason);
    expect(await deps.ledger.getRemediation('rem-evt-2')).toMatchObject({
      state: 'skipped',
      reason: again.reason,
      parameters: { InstanceId: [INJECTED] },
    });
    expect(deps.escalator.notifications).toHaveLength(1);
    expect(deps.escalator.opsItems).toHaveLength(1);
    expect(deps.automation.requests).toHaveLength(0);
  });

  it('escalates again once the frequency window since the escalation has passed', async () => {
    const deps = testDeps({ rules: [{ ...DISK_RULE, limits: { frequencyWindowHours: 2 } }] });
    await handleAlarmEvent(alarmOnInstance('evt-1', INJECTED), deps);
    deps.clock.advance(2 * HOUR - 1);
    expect(await handleAlarmEvent(alarmOnInstance('evt-2', INJECTED), deps)).toMatchObject({
      outcome: 'skipped',
    });
    deps.clock.advance(2);

    const later = await handleAlarmEvent(alarmOnInstance('evt-3', INJECTED), deps);

    expect(later).toMatchObject({ outcome: 'escalated', escalation: { kind: 'ruleDefect' } });
    expect(deps.escalator.notifications).toHaveLength(2);
  });

  it('escalates another rejected value at once: it is news', async () => {
    const deps = testDeps();
    await handleAlarmEvent(alarmOnInstance('evt-1', INJECTED), deps);

    const other = await handleAlarmEvent(alarmOnInstance('evt-2', 'i-0abc && reboot'), deps);

    expect(other).toMatchObject({ outcome: 'escalated', escalation: { kind: 'ruleDefect' } });
    expect(deps.escalator.notifications).toHaveLength(2);
  });

  it('finds the earlier escalation however many other records the ledger gained since', async () => {
    const deps = testDeps();
    await handleAlarmEvent(alarmOnInstance('evt-1', INJECTED), deps);
    deps.clock.advance(60);
    for (let i = 0; i < 250; i += 1) {
      await deps.ledger.createRemediation(
        newRemediation(`other-${i}`, { resourceId: `i-${i}`, state: 'skipped' }),
      );
    }
    deps.clock.advance(60);

    const again = await handleAlarmEvent(alarmOnInstance('evt-2', INJECTED), deps);

    expect(again).toMatchObject({ outcome: 'skipped' });
    expect(again.reason).toContain('not escalated again: remediation rem-evt-1 escalated the same defect at');
    expect(deps.escalator.notifications).toHaveLength(1);
  });

  it('reads no history, for the first escalation (its evidence is a key Query) or a repeat', async () => {
    const deps = testDeps();
    const reads = countHistoryReads(deps);

    await handleAlarmEvent(alarmOnInstance('evt-1', INJECTED), deps);
    expect(reads()).toBe(0);
    deps.clock.advance(60);
    await handleAlarmEvent(alarmOnInstance('evt-2', INJECTED), deps);

    expect(reads()).toBe(0);
  });
});

/** Counts the ledger's history reads from now on. */
function countHistoryReads(deps: TestDeps): () => number {
  const ledger = deps.ledger as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  let reads = 0;
  const original = ledger.readHistory?.bind(deps.ledger);
  if (original === undefined) throw new Error('no readHistory');
  ledger.readHistory = (...args: unknown[]) => {
    reads += 1;
    return original(...args);
  };
  return () => reads;
}
