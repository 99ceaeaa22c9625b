/**
 * A later escalation OpsCenter deduplicates into the OpsItem still open for the same rule,
 * resource and alarm is added to that OpsItem (./escalation-opsitem-update), so an SRE working it
 * sees the later failure too. An update that fails is recorded and retried by the sweeper, as a
 * failed CreateOpsItem is, at most `MAX_OPS_ITEM_ATTEMPTS` times, each failure counted in
 * `OpsItemsFailed`; SNS is never sent again, and a re-send never adds a second copy.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { type EngineResult, opsItemCallsFailedIn } from '../../../lambdas/core/remediation/engine-result';
import { EscalationNotDeliveredError } from '../../../lambdas/core/remediation/escalation-send';
import { MAX_OPS_ITEM_ATTEMPTS } from '../../../lambdas/core/remediation/ledger-apply';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, startThenFail, type TestDeps, testDeps, throttled } from './engine-deps';
import { DISK_RULE } from './helpers';

const INSTANCE = 'i-0abc123def4567890';

function accessDenied(): Error {
  const error = new Error('not authorized to perform ssm:UpdateOpsItem');
  error.name = 'AccessDeniedException';
  return error;
}

/**
 * Two automation failures on the same instance, past the cooldown, OpsCenter deduplicating; the
 * second's result is kept as `deps.second`.
 */
async function twoFailures(updateFails?: Error): Promise<TestDeps & { second: EngineResult }> {
  const deps = testDeps();
  deps.escalator.deduplicates = true;
  await startThenFail(deps, 'evt-1', INSTANCE);
  deps.clock.advance(1000);
  deps.escalator.updateFails = updateFails;
  const second = await startThenFail(deps, 'evt-2', INSTANCE);
  return { ...deps, second };
}

const laterKey = 'selfheal:later:automationFailed:rem-evt-2';
const pendingIds = async (deps: TestDeps) =>
  (await deps.ledger.listPendingEscalations(deps.clock.nowSec() + 3600)).records.map((r) => r.id);

describe('a later escalation OpsCenter deduplicated into an open OpsItem', () => {
  it('is added to that OpsItem under its own key, and recorded as added', async () => {
    const deps = await twoFailures();

    expect(deps.escalator.opsItems).toHaveLength(1);
    expect(deps.escalator.updates.map((u) => u.opsItemId)).toEqual(['oi-1']);
    const item = deps.escalator.contents.get('oi-1');
    expect(JSON.parse(item?.OperationalData[laterKey]?.Value ?? '')).toMatchObject({
      kind: 'automationFailed',
      remediation: { id: 'rem-evt-2', state: 'failed' },
    });
    // The first escalation's evidence is still what CreateOpsItem put there.
    expect(item?.OperationalData['selfheal:remediation']).toEqual(
      deps.escalator.opsItems[0]?.OperationalData['selfheal:remediation'],
    );
    expect(item?.Description.split('\n').at(-1)).toMatch(
      /^Later escalations deduplicated into this OpsItem: 1 \(newest .*, automationFailed, rem-evt-2\)/,
    );
    expect((await deps.ledger.getRemediation('rem-evt-2'))?.escalation).toMatchObject({
      opsItemId: 'oi-1',
      opsItemDeduplicated: true,
      opsItemUpdated: true,
    });
    expect(deps.escalator.notifications[1]?.message.split('\n')[0]).toBe(
      'OpsItem: oi-1 (already open for this rule and resource; this escalation was added to it)',
    );
    expect(await pendingIds(deps)).toEqual([]);
  });

  it('is not added a second time by a re-send of the same escalation', async () => {
    const deps = testDeps({ rules: [{ ...DISK_RULE, limits: { maxPerResource: 1 } }] });
    deps.escalator.deduplicates = true;
    await startThenFail(deps, 'evt-1', INSTANCE);
    deps.clock.advance(600);
    const event = alarmOnInstance('evt-2', INSTANCE);
    deps.escalator.snsFails = true;
    await expect(handleAlarmEvent(event, deps)).rejects.toBeInstanceOf(EscalationNotDeliveredError);
    deps.escalator.snsFails = false;

    const resent = await handleAlarmEvent(event, deps);

    expect(resent.escalation).toMatchObject({
      snsMessageId: 'msg-2',
      opsItemId: 'oi-1',
      opsItemUpdated: true,
    });
    expect(deps.escalator.updates).toHaveLength(1);
    const later = Object.keys(deps.escalator.contents.get('oi-1')?.OperationalData ?? {}).filter((k) =>
      k.startsWith('selfheal:later:'),
    );
    expect(later).toEqual(['selfheal:later:frequencyLimit:rem-evt-2']);
    expect(deps.escalator.contents.get('oi-1')?.OperationalData['selfheal:laterCount']?.Value).toBe('1');
  });

  it('records a failed update, says so in the SNS message, and counts it as a failed OpsItem call', async () => {
    const deps = await twoFailures(throttled());

    const stored = (await deps.ledger.getRemediation('rem-evt-2'))?.escalation;
    expect(stored).toMatchObject({
      snsMessageId: 'msg-2',
      opsItemId: 'oi-1',
      opsItemDeduplicated: true,
      opsItemUpdateError: 'ThrottlingException: Rate exceeded',
      opsItemUpdateFailures: 1,
    });
    expect(stored?.opsItemUpdated).toBeUndefined();
    expect(opsItemCallsFailedIn(deps.second)).toBe(1);
    expect(deps.escalator.notifications[1]?.message.split('\n')[0]).toBe(
      'OpsItem: oi-1 (already open for this rule and resource; this escalation could not be added to it: ThrottlingException: Rate exceeded); the sweeper tries again within minutes (selfheal history shows whether it was added)',
    );
    expect(await pendingIds(deps)).toEqual(['rem-evt-2']);
  });

  it('is added by the sweeper once the update works, without another CreateOpsItem or SNS message', async () => {
    const deps = await twoFailures(throttled());
    deps.escalator.updateFails = undefined;
    deps.clock.advance(300);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(deps.escalator.opsItemRequests).toHaveLength(2);
    expect(deps.escalator.notifications).toHaveLength(2);
    expect(deps.escalator.contents.get('oi-1')?.OperationalData[laterKey]).toBeDefined();
    expect(sweep).toMatchObject({ resentEscalations: 0, opsItemsFailed: 0, errors: [] });
    expect(sweep.opsItemRetries).toMatchObject([
      { remediationId: 'rem-evt-2', opsItemId: 'oi-1', opsItemUpdated: true, retriedAgain: false },
    ]);
    const stored = (await deps.ledger.getRemediation('rem-evt-2'))?.escalation;
    expect(stored).toMatchObject({ opsItemUpdated: true, opsItemUpdateFailures: 1 });
    expect(stored?.opsItemUpdateError).toBeUndefined();
    expect(await pendingIds(deps)).toEqual([]);
  });

  it(`stops retrying after ${MAX_OPS_ITEM_ATTEMPTS} failed updates in all, counting each failure`, async () => {
    const deps = await twoFailures(accessDenied());
    const failedPerSweep: number[] = [];

    for (let i = 0; i < MAX_OPS_ITEM_ATTEMPTS + 1; i += 1) {
      deps.clock.advance(61);
      failedPerSweep.push((await sweepDeadlines(deps, `sweep-${i}`)).opsItemsFailed);
    }

    expect(deps.escalator.updates).toHaveLength(MAX_OPS_ITEM_ATTEMPTS);
    expect(failedPerSweep).toEqual([1, 1, 1, 1, 0, 0]);
    expect((await deps.ledger.getRemediation('rem-evt-2'))?.escalation).toMatchObject({
      opsItemUpdateError: 'AccessDeniedException: not authorized to perform ssm:UpdateOpsItem',
      opsItemUpdateFailures: MAX_OPS_ITEM_ATTEMPTS,
    });
    expect(await pendingIds(deps)).toEqual([]);
    expect(deps.escalator.notifications).toHaveLength(2);
  });
});
