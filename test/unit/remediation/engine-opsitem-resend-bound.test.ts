/**
 * docs/remediation-engine.md ("A missing OpsItem", "A later escalation into an open OpsItem"):
 * CreateOpsItem, and the read and update adding a later escalation to the open OpsItem, get 5
 * failed attempts in all, each counted once in OpsItemsFailed, whichever path makes them. While
 * SNS also refuses the escalation, every re-send (the event's redelivery, then the sweeper each
 * minute) stops making the call once its attempts are spent, and counts the failures it met,
 * although the re-send itself fails (an error of the sweep).
 */
import { describe, expect, it } from 'vitest';
import { EscalationNotDeliveredError } from '../../../lambdas/core/remediation/escalation-send';
import { MAX_OPS_ITEM_ATTEMPTS } from '../../../lambdas/core/remediation/ledger-apply';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { startThenFail, testDeps } from './engine-deps';

function createDenied(): Error {
  const error = new Error('not authorized to perform ssm:CreateOpsItem');
  error.name = 'AccessDeniedException';
  return error;
}

const INSTANCE = 'i-0abc123def4567890';

function accessDenied(): Error {
  const error = new Error('not authorized to perform ssm:UpdateOpsItem');
  error.name = 'AccessDeniedException';
  return error;
}

describe('a later escalation SNS keeps refusing', () => {
  it(`attempts the update of the open OpsItem at most ${MAX_OPS_ITEM_ATTEMPTS} times in all`, async () => {
    const deps = testDeps();
    deps.escalator.deduplicates = true;
    await startThenFail(deps, 'evt-1', INSTANCE);
    deps.clock.advance(1000);
    deps.escalator.updateFails = accessDenied();
    deps.escalator.snsFails = true;
    await expect(startThenFail(deps, 'evt-2', INSTANCE)).rejects.toBeInstanceOf(EscalationNotDeliveredError);

    // SNS stays down for 8 minutes; the sweeper re-sends the escalation each minute.
    const failedPerSweep: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      deps.clock.advance(61);
      failedPerSweep.push((await sweepDeadlines(deps, `sweep-${i}`)).opsItemsFailed);
    }

    expect(
      deps.escalator.updates.length,
      `UpdateOpsItem attempts; OpsItemsFailed per sweep ${JSON.stringify(failedPerSweep)}; recorded failures ${
        (await deps.ledger.getRemediation('rem-evt-2'))?.escalation?.opsItemUpdateFailures
      }`,
    ).toBeLessThanOrEqual(MAX_OPS_ITEM_ATTEMPTS);
    expect(deps.escalator.updates).toHaveLength(MAX_OPS_ITEM_ATTEMPTS);
    // The first failed update was the alarm handler's (its own OpsItemsFailed); then one a sweep.
    expect(failedPerSweep).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    expect((await deps.ledger.getRemediation('rem-evt-2'))?.escalation).toMatchObject({
      opsItemUpdateError: 'AccessDeniedException: not authorized to perform ssm:UpdateOpsItem',
      opsItemUpdateFailures: MAX_OPS_ITEM_ATTEMPTS,
    });
  });

  it(`calls CreateOpsItem at most ${MAX_OPS_ITEM_ATTEMPTS} times in all, counting each failure once`, async () => {
    const deps = testDeps();
    deps.escalator.opsItemFails = createDenied();
    deps.escalator.snsFails = true;
    await expect(startThenFail(deps, 'evt-1', INSTANCE)).rejects.toBeInstanceOf(EscalationNotDeliveredError);

    const failedPerSweep: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      deps.clock.advance(61);
      failedPerSweep.push((await sweepDeadlines(deps, `sweep-${i}`)).opsItemsFailed);
    }
    deps.escalator.snsFails = false;
    deps.clock.advance(61);
    const delivered = await sweepDeadlines(deps, 'sweep-delivered');

    expect(deps.escalator.opsItemRequests).toHaveLength(MAX_OPS_ITEM_ATTEMPTS);
    expect(failedPerSweep).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    expect(delivered).toMatchObject({ resentEscalations: 1, opsItemsFailed: 0, opsItemRetries: [] });
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation).toMatchObject({
      snsMessageId: 'msg-1',
      opsItemError: 'AccessDeniedException: not authorized to perform ssm:CreateOpsItem',
      opsItemFailures: MAX_OPS_ITEM_ATTEMPTS,
    });
    expect(deps.escalator.notifications[0]?.message.split('\n')[0]).toBe(
      'OpsItem: could not be created (AccessDeniedException: not authorized to perform ssm:CreateOpsItem); not retried after 5 failed attempts',
    );
  });
});
