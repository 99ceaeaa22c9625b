/**
 * Review (defect): the alarm's OK event resolves a remediation whose automation is still running
 * and gives its holds back (./engine-closed-holds keeps them only for a `started` record without an
 * execution). The global cap (maxConcurrentRemediations) then admits another start beside the
 * automation still running, so more automations run at once than the cap allows.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { handleAlarmOk } from '../../lambdas/core/remediation/verification';
import { alarmOnInstance, testDeps } from '../unit/remediation/engine-deps';
import { DISK_RULE } from '../unit/remediation/helpers';

const FIRST = 'i-0abc123def4567890';
const SECOND = 'i-0fedcba9876543210';

describe('alarm OK while the automation runs (review)', () => {
  it('keeps the global cap while the resolved remediation’s automation still runs', async () => {
    const deps = testDeps({ rules: [DISK_RULE], extra: { maxConcurrentRemediations: 1 } });
    const first = await handleAlarmEvent(alarmOnInstance('evt-a', FIRST), deps);
    expect(first.outcome).toBe('started');
    deps.clock.advance(30);
    const ok = await handleAlarmOk(alarmOnInstance('evt-a-ok', FIRST, 'OK'), deps);
    expect(ok.outcome).toBe('resolved');
    // SSM still runs the first automation.
    expect(await deps.automation.statusOf(first.executionId ?? '')).toBe('InProgress');

    deps.clock.advance(30);
    const second = await handleAlarmEvent(alarmOnInstance('evt-b', SECOND), deps);

    expect(second.outcome).not.toBe('started');
    expect(deps.automation.requests).toHaveLength(1);
  });
});
