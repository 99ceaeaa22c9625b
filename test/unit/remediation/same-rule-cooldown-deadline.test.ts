/**
 * Found by review: a second alarm of the same rule on a resource under remediation is recorded
 * `blocked` by the resourceLock (lambdas/core/remediation/engine-refusal.ts `heldForAnotherAlarm`)
 * "so that the sweeper starts it once the holder closes". With the rule's default limits
 * (cooldownSec 900, verificationTimeoutSec 600: lib/config/remediation-schema.ts) the cooldown
 * that the first remediation of the same rule and resource started outlasts the blocked record's
 * deadline (its creation + verificationTimeoutSec) whenever the second alarm arrives within 5
 * minutes of the first: the sweeper finds the lock free, is refused by the cooldown every minute,
 * and at the deadline escalated "could not remediate: blocked by resourceLock for 600 s", a page
 * that named a lock released minutes before, not the guardrail that kept it waiting. It now names
 * the cooldown (and the lock that blocked it first).
 *
 * CloudWatch sends an EventBridge event only on a state change, so nothing else re-drives it:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { parseEvent } from '../../../lambdas/core/remediation/events';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmEvent, INSTANCE } from '../../handlers/remediation-setup';
import { testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const ID = 'i-00000000000000001';

function alarm(eventId: string, name: string, state: 'ALARM' | 'OK' = 'ALARM') {
  const raw = JSON.parse(JSON.stringify(alarmEvent(eventId, state, name)).replaceAll(INSTANCE, ID));
  const parsed = parseEvent(raw);
  if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${eventId}`);
  return parsed;
}

describe('review: same-rule second alarm blocked by the lock, with the default limits', () => {
  it('is started once the lock is free, or its escalation names the guardrail that kept it waiting', async () => {
    // DISK_RULE as shipped: default cooldownSec (900) and verificationTimeoutSec (600).
    const deps = testDeps({ rules: [DISK_RULE] });
    const root = `disk-full-root-${ID}`;
    const data = `disk-full-data-${ID}`;
    const first = await handleAlarmEvent(alarm('e-root', root), deps);
    expect(first.outcome).toBe('started');

    deps.clock.advance(60);
    await handleAlarmEvent(alarm('e-data', data), deps);
    expect(await deps.ledger.getRemediation('rem-e-data')).toMatchObject({
      state: 'blocked',
      blockedBy: 'resourceLock',
    });

    // The first remediation resolves its own alarm two minutes in; the lock is given back.
    deps.clock.advance(60);
    if (first.executionId !== undefined) deps.automation.statuses.set(first.executionId, 'Success');
    deps.alarms.states.set(root, 'OK');
    expect((await handleAlarmEvent(alarm('e-root-ok', root, 'OK'), deps)).outcome).toBe('resolved');
    expect(await deps.ledger.resourceLockHolder(ID)).toBeUndefined();

    // The data alarm stays in ALARM; the sweeper runs every minute for 20 minutes.
    deps.alarms.states.set(data, 'ALARM');
    for (let minute = 0; minute < 20; minute += 1) {
      deps.clock.advance(60);
      await sweepDeadlines(deps, `sweep-${minute}`);
    }

    const record = await deps.ledger.getRemediation('rem-e-data');
    const started = deps.automation.requests.length === 2;
    // Either the sweeper started it, or the page says what actually blocked it at the end: the
    // cooldown (the lock was free from minute 2 on).
    if (!started) {
      expect(record?.state).toBe('escalated');
      expect(record?.escalation?.reason).toMatch(/cooldown/);
    }
  });
});
