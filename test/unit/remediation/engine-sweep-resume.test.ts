/**
 * Starts left `started` with no execution recorded and no redelivery to resume them: the sweeper
 * that re-drove a blocked remediation and died inside StartAutomationExecution, or an alarm
 * handler killed there whose retries ran out. The sweeper resumes them once the lease since the
 * record entered `started` is over (the rule a redelivery applies), with the recorded ClientToken.
 */
import { describe, expect, it } from 'vitest';
import type { StartAutomationRequest } from '../../../lambdas/core/remediation/automation-request';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';
import { nextStartsDie } from './start-died';

const INSTANCE = 'i-0abc123def4567890';
const OTHER = 'i-00000000000000001';

/** evt-b blocked by the global cap, re-driven by sweep-1, which dies inside its start. */
async function redriveDiesInStart() {
  const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
  await handleAlarmEvent(alarmOnInstance('evt-a', OTHER), deps);
  await handleAlarmEvent(alarmOnInstance('evt-b', INSTANCE), deps);
  await deps.ledger.transition('rem-evt-a', 'verifying', 'resolved', { reason: 'alarm OK' });
  await deps.ledger.releaseGlobalSlot('rem-evt-a');
  deps.clock.advance(EVENT_CLAIM_LEASE_SEC + 60);
  const died = nextStartsDie(deps);
  void sweepDeadlines(deps, 'sweep-1');
  const dying = await died;
  expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({ state: 'started' });
  return { deps, dying };
}

describe('the sweeper resuming a stalled start', () => {
  it('leaves a start its own re-drive left half done alone while the lease since the re-drive runs', async () => {
    const { deps } = await redriveDiesInStart();
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC - 1);

    const sweep = await sweepDeadlines(deps, 'sweep-2');

    expect(sweep.resumed).toBe(0);
    expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([[OTHER]]);
    expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({ state: 'started' });
  });

  it('resumes it once the lease is over, with the recorded ClientToken, and counts it', async () => {
    const { deps, dying } = await redriveDiesInStart();
    const clientToken = dying.ClientToken;
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    const sweep = await sweepDeadlines(deps, 'sweep-2');

    expect(sweep.resumed).toBe(1);
    expect(sweep.errors).toEqual([]);
    const result = sweep.results.find((r) => r.remediationId === 'rem-evt-b');
    expect(result).toMatchObject({ outcome: 'started', executionId: `exec-${clientToken}` });
    expect(result?.reason).toContain('resumed by sweep sweep-2');
    expect(deps.automation.requests.map((r) => r.ClientToken)).toEqual([expect.any(String), clientToken]);
    expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({
      state: 'verifying',
      executionId: `exec-${clientToken}`,
    });
    expect(await deps.ledger.activeGlobalSlots()).toBe(1);
    expect((await sweepDeadlines(deps, 'sweep-3')).resumed).toBe(0);
  });

  it('resumes a start whose alarm handler died in it and was never redelivered', async () => {
    const deps = testDeps();
    const died = nextStartsDie(deps);
    void handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' });
    await died;
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.resumed).toBe(1);
    expect(await deps.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'verifying' });
    expect(deps.automation.requests).toHaveLength(1);
    expect(deps.escalator.notifications).toHaveLength(0);
  });
});

describe('the sweeper resuming stalled starts listed before one of them moved on', () => {
  it('starts nothing for a start the alarm resolved while the sweep was resuming an earlier one', async () => {
    const deps = testDeps();
    const died = nextStartsDie(deps, 2);
    void handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' });
    void handleAlarmEvent(alarmOnInstance('evt-2', OTHER), deps, { requestId: 'req-2' });
    await died;
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    // While the sweep resumes rem-evt-1 (listed first), OTHER's alarm goes back to OK.
    const start = deps.automation.start.bind(deps.automation);
    deps.automation.start = async (request: StartAutomationRequest) => {
      if (request.Parameters.InstanceId?.[0] === INSTANCE)
        await handleAlarmEvent(alarmOnInstance('evt-2-ok', OTHER, 'OK'), deps);
      return start(request);
    };

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(await deps.ledger.getRemediation('rem-evt-2')).toMatchObject({ state: 'resolved' });
    expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([[INSTANCE]]);
    expect(sweep.results.map((r) => r.outcome)).not.toContain('untrackedExecution');
    expect(deps.escalator.notifications).toHaveLength(0);
    expect(sweep.resumed).toBe(1);
    // Resolved from `started` without an execution, it keeps its holds until they expire: its
    // starter died inside StartAutomationExecution, so its automation may be running
    // (./engine-closed-holds). The sweep resumed rem-evt-1 with its own holds, not OTHER's.
    expect(await deps.ledger.acquireResourceLock(OTHER, 'rem-probe', deps.clock.nowSec() + 60)).toBe(false);
    expect(await deps.ledger.activeGlobalSlots()).toBe(2);
    expect(await deps.ledger.countRemediations(DISK_RULE.id, OTHER, 0)).toBe(1);
  });
});
