/**
 * A transient failure after the event was claimed but before anything was recorded (Auto Scaling
 * or DynamoDB throttling that outlasted the SDK's retries): the retry of the same event must
 * handle it, not drop it as a duplicate.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { alarmOnInstance, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const INSTANCE = 'i-0abc123def4567890';
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });

describe('an alarm whose first attempt failed before anything was recorded', () => {
  it('is started by the retry when Auto Scaling was throttled while reading the snapshot', async () => {
    const deps = testDeps();
    const groupOf = deps.groups.groupOf.bind(deps.groups);
    let calls = 0;
    deps.groups.groupOf = async (id) => {
      calls += 1;
      if (calls === 1) throw throttled();
      return groupOf(id);
    };
    const event = alarmOnInstance('evt-1', INSTANCE);
    await expect(handleAlarmEvent(event, deps)).rejects.toThrow('Rate exceeded');

    const retried = await handleAlarmEvent(event, deps);

    expect(retried.outcome).toBe('started');
    expect(deps.automation.requests).toHaveLength(1);
  });

  it('escalates on the retry when the escalation could not be recorded the first time', async () => {
    const deps = testDeps({ rules: [{ ...DISK_RULE, limits: { maxPerResource: 1 } }] });
    await deps.ledger.recordRemediation('disk-full-cleanup', INSTANCE, deps.clock.nowSec() - 60, 'old');
    const create = deps.ledger.createRemediation.bind(deps.ledger);
    let calls = 0;
    deps.ledger.createRemediation = async (record) => {
      calls += 1;
      if (calls === 1) throw throttled();
      return create(record);
    };
    const event = alarmOnInstance('evt-1', INSTANCE);
    await expect(handleAlarmEvent(event, deps)).rejects.toThrow('Rate exceeded');

    const retried = await handleAlarmEvent(event, deps);

    expect(retried.outcome).toBe('escalated');
    expect(deps.escalator.notifications).toHaveLength(1);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.state).toBe('escalated');
  });

  it('still answers a redelivery of a handled event as a duplicate', async () => {
    const deps = testDeps();
    const event = alarmOnInstance('evt-1', INSTANCE);
    expect((await handleAlarmEvent(event, deps)).outcome).toBe('started');

    const again = await handleAlarmEvent(event, deps);

    expect(again.outcome).toBe('duplicate');
    expect(deps.automation.requests).toHaveLength(1);
  });
});
