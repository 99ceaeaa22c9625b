/**
 * Review (defect): an alarm OK event resolves whatever remediation is open for the alarm's name,
 * whatever the time of the OK it reports. EventBridge delivers the verify handler's events in no
 * guaranteed order and retries a failed one for up to 6 hours (VERIFY_EVENT_AGE_SEC), so an OK from
 * an earlier episode (its state.timestamp before the ALARM that opened this remediation) that is
 * retried or delivered late closes the new remediation as recovered while the alarm is in ALARM.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { parseEvent } from '../../lambdas/core/remediation/events';
import { handleAlarmOk } from '../../lambdas/core/remediation/verification';
import { alarmOn } from '../handlers/remediation-setup';
import { alarmOnInstance, testDeps } from '../unit/remediation/engine-deps';

const INSTANCE = 'i-0abc123def4567890';

/** The alarm's OK from an earlier episode: ALARM at 02:55, OK at 03:05, before today's 03:12:40 ALARM. */
function earlierOk(id: string) {
  const raw = alarmOn(id, INSTANCE) as { detail: Record<string, unknown> } & Record<string, unknown>;
  const state = raw.detail.state as Record<string, unknown>;
  const parsed = parseEvent({
    ...raw,
    time: '2026-11-27T03:05:01Z',
    detail: {
      ...raw.detail,
      state: {
        ...state,
        value: 'OK',
        reason: 'Threshold Crossed',
        timestamp: '2026-11-27T03:05:00.000+0000',
      },
      previousState: { ...state, value: 'ALARM', timestamp: '2026-11-27T02:55:00.000+0000' },
    },
  });
  if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${JSON.stringify(parsed)}`);
  return parsed;
}

describe('alarm OK event (review)', () => {
  it('does not resolve a remediation opened by an ALARM later than the OK it reports', async () => {
    const deps = testDeps();
    // Today's ALARM (state.timestamp 03:12:40.989) starts a remediation at 03:13:00.
    const started = await handleAlarmEvent(alarmOnInstance('evt-alarm', INSTANCE), deps);
    expect(started.outcome).toBe('started');
    deps.clock.advance(60);

    // The earlier episode's OK (03:05), redelivered now by EventBridge's retry.
    const result = await handleAlarmOk(earlierOk('evt-old-ok'), deps);

    expect(result.outcome).not.toBe('resolved');
    const record = await deps.ledger.getRemediation(started.remediationId ?? '');
    expect(record?.state).toBe('verifying');
  });
});
