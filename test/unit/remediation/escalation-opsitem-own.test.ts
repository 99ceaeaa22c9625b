/**
 * A CreateOpsItem whose answer is lost (a timeout after OpsCenter created the OpsItem) is recorded
 * as failed, and the sweeper calls CreateOpsItem again. OpsCenter then answers
 * OpsItemAlreadyExistsException with the OpsItem that very escalation created: the dedup string
 * matches an OpsItem that is open
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/OpsCenter-working-deduplication.html).
 * The same happens when the SDK retries a CreateOpsItem whose first answer was lost.
 *
 * That answer is not "a later escalation deduplicated into an open OpsItem": the OpsItem's
 * `selfheal:escalation` (written on create) names this very escalation, so it is recorded as
 * created, and nothing is added to it (no `selfheal:later:*` key, no count, no description line
 * telling the SRE of a second failure that never happened).
 */
import { describe, expect, it } from 'vitest';
import type { OpsItemRequest } from '../../../lambdas/core/remediation/engine-ports';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { FakeEscalator, startThenFail, testDeps } from './engine-deps';

const INSTANCE = 'i-0abc123def4567890';

/** OpsCenter creates the OpsItem, but the next `lose` answers are lost on the way back. */
class LostAnswerEscalator extends FakeEscalator {
  lose = 0;
  override async openOpsItem(request: OpsItemRequest) {
    const answer = await super.openOpsItem(request);
    if (this.lose > 0) {
      this.lose -= 1;
      const error = new Error('socket hang up');
      error.name = 'TimeoutError';
      throw error;
    }
    return answer;
  }
}

describe('an escalation whose CreateOpsItem answer was lost', () => {
  it('is not added to its own OpsItem as a later escalation when the retry finds that OpsItem open', async () => {
    const deps = testDeps();
    const escalator = new LostAnswerEscalator();
    escalator.deduplicates = true;
    escalator.lose = 1;
    const engine = { ...deps, escalator };
    await startThenFail(engine, 'evt-1', INSTANCE);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation).toMatchObject({
      opsItemFailures: 1,
    });
    expect(escalator.opsItems).toHaveLength(1);

    deps.clock.advance(300);
    await sweepDeadlines(engine, 'sweep-1');

    // Only one escalation ever happened: nothing is a "later" one.
    const item = escalator.contents.get('oi-1');
    const laterKeys = Object.keys(item?.OperationalData ?? {}).filter((k) => k.startsWith('selfheal:'));
    expect(laterKeys.filter((k) => k.startsWith('selfheal:later'))).toEqual([]);
    expect(item?.Description).not.toContain('Later escalations deduplicated into this OpsItem');
    expect(escalator.updates).toEqual([]);
    const escalation = (await deps.ledger.getRemediation('rem-evt-1'))?.escalation;
    expect(escalation).toMatchObject({ opsItemId: 'oi-1', opsItemFailures: 1 });
    expect(escalation?.opsItemDeduplicated).toBeUndefined();
    expect(escalation?.opsItemUpdated).toBeUndefined();
    expect(escalation?.opsItemError).toBeUndefined();
  });
});
