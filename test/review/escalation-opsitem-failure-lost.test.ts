/**
 * Review: an OpsItem that CreateOpsItem refused transiently is never created. sendEscalation
 * (lambdas/core/remediation/escalation-send.ts) records `opsItemError` and goes on; only a missing
 * SNS message id keeps the escalation pending (assertDelivered, listPendingEscalations), so neither
 * the event's redelivery nor the sweeper ever calls CreateOpsItem again. No metric or alarm counts
 * `opsItemError` either: after a throttled burst (many alarms escalating at once) OpsCenter is
 * missing items and nothing but a line inside each SNS message says so.
 */
import { describe, expect, it } from 'vitest';
import type { OpsItemRequest } from '../../lambdas/core/remediation/engine-ports';
import { sweepDeadlines } from '../../lambdas/core/remediation/verification-sweep';
import { FakeEscalator, startThenFail, testDeps } from '../unit/remediation/engine-deps';

const INSTANCE = 'i-0abc123def4567890';

/** The SDK's error once its own retries are spent on a throttled CreateOpsItem. */
function throttled(): Error {
  const error = new Error('Rate exceeded');
  error.name = 'ThrottlingException';
  return error;
}

/** OpsCenter refuses the first `refusals` CreateOpsItem calls as throttled, then creates. */
class ThrottledOpsCenter extends FakeEscalator {
  readonly attempts: OpsItemRequest[] = [];
  constructor(private refusals: number) {
    super();
  }
  override async openOpsItem(request: OpsItemRequest) {
    this.attempts.push(request);
    if (this.refusals > 0) {
      this.refusals -= 1;
      throw throttled();
    }
    return super.openOpsItem(request);
  }
}

describe('an escalation whose OpsItem could not be created', () => {
  it('gets its OpsItem created by a later attempt once OpsCenter stops throttling', async () => {
    const escalator = new ThrottledOpsCenter(1);
    const deps = { ...testDeps(), escalator };
    await startThenFail(deps, 'evt-1', INSTANCE);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation).toMatchObject({
      snsMessageId: 'msg-1',
      opsItemError: 'ThrottlingException: Rate exceeded',
    });

    // Well past the 60 s after which the sweeper takes over an unfinished escalation.
    deps.clock.advance(300);
    await sweepDeadlines(deps, 'sweep-1');

    expect(escalator.attempts).toHaveLength(2);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation?.opsItemId).toBe('oi-1');
  });
});
