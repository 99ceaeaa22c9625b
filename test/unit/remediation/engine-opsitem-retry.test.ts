/**
 * An escalation whose SNS message went but whose CreateOpsItem failed (a throttled burst, access
 * denied) stays pending for its OpsItem alone: the sweeper calls CreateOpsItem again, never SNS,
 * until it is created or `MAX_OPS_ITEM_ATTEMPTS` calls have failed, and counts each failure.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import {
  EscalationNotDeliveredError,
  sendEscalation,
} from '../../../lambdas/core/remediation/escalation-send';
import { MAX_OPS_ITEM_ATTEMPTS } from '../../../lambdas/core/remediation/ledger-apply';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import {
  alarmOnInstance,
  FakeEscalator,
  startThenFail,
  type TestDeps,
  testDeps,
  throttled,
} from './engine-deps';
import { DISK_RULE } from './helpers';
import { NOW, newRemediation } from './ledger-fixtures';

const INSTANCE = 'i-0abc123def4567890';

function accessDenied(): Error {
  const error = new Error('not authorized to perform ssm:CreateOpsItem');
  error.name = 'AccessDeniedException';
  return error;
}

/** An automation failure escalated while CreateOpsItem throws `error`; SNS took it. */
async function escalatedWithoutOpsItem(error: Error): Promise<TestDeps> {
  const deps = testDeps();
  deps.escalator.opsItemFails = error;
  await startThenFail(deps, 'evt-1', INSTANCE);
  return deps;
}

const pendingIds = async (deps: TestDeps) =>
  (await deps.ledger.listPendingEscalations(deps.clock.nowSec() + 3600)).records.map((r) => r.id);

describe('an escalation whose OpsItem could not be created', () => {
  it('gets its OpsItem created by a later attempt once OpsCenter stops throttling', async () => {
    const deps = await escalatedWithoutOpsItem(throttled());
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation).toMatchObject({
      snsMessageId: 'msg-1',
      opsItemError: 'ThrottlingException: Rate exceeded',
      opsItemFailures: 1,
    });
    deps.escalator.opsItemFails = undefined;

    // Well past the 60 s after which the sweeper takes over an unfinished escalation.
    deps.clock.advance(300);
    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(deps.escalator.opsItemRequests).toHaveLength(2);
    const stored = (await deps.ledger.getRemediation('rem-evt-1'))?.escalation;
    expect(stored).toMatchObject({ snsMessageId: 'msg-1', opsItemId: 'oi-1', opsItemFailures: 1 });
    expect(stored?.opsItemError).toBeUndefined();
    expect(sweep).toMatchObject({ resentEscalations: 0, opsItemsFailed: 0, errors: [] });
    expect(sweep.opsItemRetries).toEqual([
      {
        remediationId: 'rem-evt-1',
        ruleId: DISK_RULE.id,
        resourceId: INSTANCE,
        opsItemId: 'oi-1',
        deduplicated: false,
        opsItemFailures: 1,
        retriedAgain: false,
      },
    ]);
    expect(await pendingIds(deps)).toEqual([]);
  });

  it('never publishes to SNS again, and tells people in the one message that the OpsItem is retried', async () => {
    const deps = await escalatedWithoutOpsItem(throttled());
    deps.clock.advance(61);

    await sweepDeadlines(deps, 'sweep-1');
    deps.clock.advance(60);
    await sweepDeadlines(deps, 'sweep-2');

    expect(deps.escalator.notifications).toHaveLength(1);
    expect(deps.escalator.notifications[0]?.message.split('\n')[0]).toBe(
      'OpsItem: could not be created (ThrottlingException: Rate exceeded); the sweeper calls CreateOpsItem again within minutes (selfheal history shows the OpsItem id)',
    );
  });

  it('asks for the same OpsItem: same dedup string, related resource, title and actions', async () => {
    const deps = await escalatedWithoutOpsItem(throttled());
    deps.escalator.opsItemFails = undefined;
    deps.clock.advance(61);

    await sweepDeadlines(deps, 'sweep-1');

    const [first, retried] = deps.escalator.opsItemRequests;
    for (const key of ['/aws/dedup', '/aws/resources', 'selfheal:kind', 'selfheal:actions']) {
      expect(retried?.OperationalData[key]).toEqual(first?.OperationalData[key]);
    }
    expect(retried?.Title).toBe(first?.Title);
  });

  it(`stops after ${MAX_OPS_ITEM_ATTEMPTS} failed calls in all, counting each failure`, async () => {
    const deps = await escalatedWithoutOpsItem(accessDenied());
    const failedPerSweep: number[] = [];
    const retriedAgain: boolean[] = [];

    for (let i = 0; i < MAX_OPS_ITEM_ATTEMPTS + 2; i += 1) {
      deps.clock.advance(61);
      const sweep = await sweepDeadlines(deps, `sweep-${i}`);
      failedPerSweep.push(sweep.opsItemsFailed);
      retriedAgain.push(...sweep.opsItemRetries.map((r) => r.retriedAgain));
    }

    expect(deps.escalator.opsItemRequests).toHaveLength(MAX_OPS_ITEM_ATTEMPTS);
    expect(failedPerSweep).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(retriedAgain).toEqual([true, true, true, false]);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation).toMatchObject({
      opsItemError: 'AccessDeniedException: not authorized to perform ssm:CreateOpsItem',
      opsItemFailures: MAX_OPS_ITEM_ATTEMPTS,
    });
    expect(await pendingIds(deps)).toEqual([]);
    expect(deps.escalator.notifications).toHaveLength(1);
  });

  it('leaves the OpsItem to its owner for the first 60 s', async () => {
    const deps = await escalatedWithoutOpsItem(throttled());
    deps.clock.advance(30);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.opsItemRetries).toEqual([]);
    expect(deps.escalator.opsItemRequests).toHaveLength(1);
  });

  it("counts a re-send's failed CreateOpsItem towards the bound, then retries the OpsItem alone", async () => {
    const deps = testDeps({ rules: [{ ...DISK_RULE, limits: { maxPerResource: 1 } }] });
    await deps.ledger.recordRemediation(DISK_RULE.id, INSTANCE, deps.clock.nowSec() - 60, 'old');
    const event = alarmOnInstance('evt-1', INSTANCE);
    deps.escalator.snsFails = true;
    deps.escalator.opsItemFails = throttled();
    await expect(handleAlarmEvent(event, deps)).rejects.toBeInstanceOf(EscalationNotDeliveredError);
    deps.escalator.snsFails = false;

    const resent = await handleAlarmEvent(event, deps);

    expect(resent.escalation).toMatchObject({ snsMessageId: 'msg-1', opsItemFailures: 2 });
    deps.escalator.opsItemFails = undefined;
    deps.clock.advance(61);
    const sweep = await sweepDeadlines(deps, 'sweep-1');
    expect(sweep.resentEscalations).toBe(0);
    expect(sweep.opsItemRetries).toMatchObject([{ remediationId: 'rem-evt-1', opsItemId: 'oi-1' }]);
    expect(deps.escalator.notifications).toHaveLength(1);
  });

  it('promises no retry for an untracked execution, whose escalation is recorded on no remediation', async () => {
    const escalator = new FakeEscalator();
    escalator.opsItemFails = throttled();

    const sent = await sendEscalation(escalator, {
      kind: 'untrackedExecution',
      reason: 'automation execution exec-2 is running untracked',
      remediation: newRemediation('r-1', { state: 'resolved' }),
      alarm: { name: 'disk-full-i-1' },
      actions: [],
      ruleFrozen: false,
      nowSec: NOW,
    });

    expect(sent.record).toMatchObject({ snsMessageId: 'msg-1', opsItemFailures: 1 });
    expect(escalator.notifications[0]?.message.split('\n')[0]).toBe(
      'OpsItem: could not be created (ThrottlingException: Rate exceeded)',
    );
  });
});
