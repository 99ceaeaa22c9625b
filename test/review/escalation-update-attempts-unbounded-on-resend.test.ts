/**
 * docs/remediation-engine.md ("A later escalation into an open OpsItem"): a failed read or update
 * of the open OpsItem is retried "5 failed attempts in all, each counted in OpsItemsFailed", and
 * the SNS message of the fifth says "not retried after 5 failed attempts".
 *
 * While SNS also refuses the escalation, every re-send (the event's redelivery, then the sweeper
 * each minute) calls GetOpsItem and UpdateOpsItem again whatever `opsItemUpdateFailures` says
 * (escalation-send.ts `updateIfDeduplicated` never looks at the bound): an update that cannot
 * work (AccessDeniedException: an OpsItem created before the `selfheal:stack` tag existed, the
 * case the docs name) is attempted once a minute for as long as SNS is down, well past the
 * documented 5 (and none of those failures reaches the sweep's `opsItemsFailed`, which counts only
 * re-sends SNS took).
 */
import { describe, expect, it } from 'vitest';
import { EscalationNotDeliveredError } from '../../lambdas/core/remediation/escalation-send';
import { MAX_OPS_ITEM_ATTEMPTS } from '../../lambdas/core/remediation/ledger-apply';
import { sweepDeadlines } from '../../lambdas/core/remediation/verification-sweep';
import { startThenFail, testDeps } from '../unit/remediation/engine-deps';

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
  });
});
