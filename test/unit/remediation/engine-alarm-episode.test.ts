/**
 * Alarm episodes: EventBridge delivers the verify handler's events in no guaranteed order and
 * Lambda retries or re-queues one for up to 6 hours (VERIFY_EVENT_AGE_SEC), so an OK or
 * INSUFFICIENT_DATA that ended an earlier episode (stamped before the ALARM that opened the
 * remediation) may arrive while the alarm is in ALARM again. It must not close the newer
 * remediation (./alarm-episode).
 */
import { describe, expect, it } from 'vitest';
import type { AlarmStateChange } from '../../../lambdas/core/remediation/alarm-event';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { parseEvent } from '../../../lambdas/core/remediation/events';
import { handleAlarmOk } from '../../../lambdas/core/remediation/verification';
import { handleAlarmInsufficientData } from '../../../lambdas/core/remediation/verification-insufficient-data';
import { alarmOn } from '../../handlers/remediation-setup';
import { alarmOnInstance, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const INSTANCE = 'i-0abc123def4567890';
const ALARM = `disk-full-${INSTANCE}`;

/** The alarm moving to `value` at `timestamp` (ALARM before), e.g. an earlier episode's OK. */
function change(id: string, value: 'OK' | 'INSUFFICIENT_DATA', timestamp: string): AlarmStateChange {
  const raw = alarmOn(id, INSTANCE) as { detail: Record<string, unknown> } & Record<string, unknown>;
  const state = raw.detail.state as Record<string, unknown>;
  const parsed = parseEvent({
    ...raw,
    time: `${timestamp.slice(0, 19)}Z`,
    detail: {
      ...raw.detail,
      state: { ...state, value, reason: 'Threshold Crossed', timestamp },
      previousState: { ...state, value: 'ALARM', timestamp: '2026-11-27T02:55:00.000+0000' },
    },
  });
  if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${JSON.stringify(parsed)}`);
  return parsed;
}

/** Today's ALARM (state.timestamp 03:12:40.989) starts a remediation at 03:13:00. */
async function started(rules: readonly object[] = [DISK_RULE]) {
  const deps = testDeps({ rules });
  const start = await handleAlarmEvent(alarmOnInstance('evt-alarm', INSTANCE), deps);
  expect(start.outcome).toBe('started');
  deps.clock.advance(60);
  return { deps, id: start.remediationId ?? '' };
}

describe('alarm episodes', () => {
  it('records the triggering ALARM’s state timestamp on the remediation', async () => {
    const { deps, id } = await started();
    expect((await deps.ledger.getRemediation(id))?.alarmStateAtMs).toBe(
      Date.parse('2026-11-27T03:12:40.989Z'),
    );
  });

  it('does not resolve a remediation opened by an ALARM later than the OK it reports', async () => {
    const { deps, id } = await started();

    // The earlier episode's OK (03:05), redelivered now by a retry.
    const result = await handleAlarmOk(change('evt-old-ok', 'OK', '2026-11-27T03:05:00.000+0000'), deps);

    expect(result.outcome).toBe('ignored');
    expect(result.reason).toContain('2026-11-27T03:05:00.000+0000');
    expect(result.reason).toContain('2026-11-27T03:12:40.989Z');
    expect((await deps.ledger.getRemediation(id))?.state).toBe('verifying');
    expect(await deps.ledger.activeGlobalSlots()).toBe(1);
  });

  it('resolves on an OK stamped after the ALARM, however late it arrives', async () => {
    const { deps, id } = await started();
    const executionId = (await deps.ledger.getRemediation(id))?.executionId ?? '';
    deps.automation.statuses.set(executionId, 'Success');

    const result = await handleAlarmOk(change('evt-ok', 'OK', '2026-11-27T03:14:00.000+0000'), deps);

    expect(result.outcome).toBe('resolved');
    expect((await deps.ledger.getRemediation(id))?.state).toBe('resolved');
  });

  it('does not count an earlier episode’s INSUFFICIENT_DATA, even after the automation succeeded', async () => {
    const accepts = { ...DISK_RULE, verificationRecoveredStates: ['OK', 'INSUFFICIENT_DATA'] };
    const { deps, id } = await started([accepts]);
    await deps.ledger.recordAutomationSucceeded(id, deps.clock.nowSec());

    const result = await handleAlarmInsufficientData(
      change('evt-old-id', 'INSUFFICIENT_DATA', '2026-11-27T03:05:00.000+0000'),
      deps,
    );

    expect(result.outcome).toBe('ignored');
    expect((await deps.ledger.getRemediation(id))?.state).toBe('verifying');
  });

  it('falls back to the creation time for a record written before the ALARM’s time was kept', async () => {
    const deps = testDeps();
    const nowSec = deps.clock.nowSec();
    await deps.ledger.createRemediation({
      id: 'rem-legacy',
      ruleId: DISK_RULE.id,
      resourceId: INSTANCE,
      alarmName: ALARM,
      eventId: 'evt-legacy',
      mode: 'enforce',
      state: 'started',
      verdicts: [],
      deadlineSec: nowSec + 900,
    });
    const before = new Date((nowSec - 30) * 1000).toISOString().replace('Z', '+0000');
    const after = new Date((nowSec + 30) * 1000).toISOString().replace('Z', '+0000');

    const stale = await handleAlarmOk(change('evt-before', 'OK', before), deps);
    const fresh = await handleAlarmOk(change('evt-after', 'OK', after), deps);

    expect(stale.outcome).toBe('ignored');
    expect(stale.reason).toContain("its ALARM's time was not recorded");
    expect(fresh.outcome).toBe('resolved');
  });
});
