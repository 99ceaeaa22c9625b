/**
 * The `Ledger` contract for a rule's actions on a resource (`listActions`, an escalation's
 * evidence): what counts as an action, in which order, within the limit, however many other
 * records the ledger holds (see ./ledger-contract).
 */
import { expect, it } from 'vitest';
import {
  type Ledger,
  MalformedRecordError,
  type RemediationRecord,
} from '../../../lambdas/core/remediation/ledger';
import type { LedgerSubject } from './ledger-contract-subject';
import { NOW, newRemediation } from './ledger-fixtures';

/** The ids of a listing, a malformed item as itself. */
const ids = (entries: readonly (RemediationRecord | MalformedRecordError)[]) =>
  entries.map((e) => (e instanceof MalformedRecordError ? e : e.id));

/** The ids of `disk`'s actions on `i-1`, at most `limit`. */
const actionsOnI1 = async (ledger: Ledger, limit = 10) => ids(await ledger.listActions('disk', 'i-1', limit));

export function actionListingContract(subject: LedgerSubject): void {
  it("lists a rule's actions on a resource newest first, within the limit, and nothing else", async () => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('a-1'));
    await ledger.transition('a-1', 'started', 'verifying', { executionId: 'exec-1' });
    await ledger.transition('a-1', 'verifying', 'resolved');
    clock.advance(10);
    // A start SSM refused: it was sent.
    await ledger.createRemediation(newRemediation('a-2'));
    await ledger.transition('a-2', 'started', 'failed');
    clock.advance(10);
    await ledger.createRemediation(newRemediation('a-3'));
    // Not actions: another resource or rule, or records that never entered `started`.
    await ledger.createRemediation(newRemediation('x-resource', { resourceId: 'i-2' }));
    await ledger.createRemediation(newRemediation('x-rule', { ruleId: 'cpu' }));
    await ledger.createRemediation(
      newRemediation('x-escalated', {
        state: 'escalated',
        escalation: { reason: 'too often', atSec: clock.nowSec(), kind: 'frequencyLimit' },
      }),
    );
    await ledger.createRemediation(newRemediation('x-blocked', { state: 'blocked' }));
    await ledger.transition('x-blocked', 'blocked', 'escalated');
    await ledger.createRemediation(newRemediation('x-skipped', { state: 'skipped' }));
    await ledger.createRemediation(newRemediation('x-observed', { state: 'observed', mode: 'observe' }));
    await ledger.createRemediation(newRemediation('x-dry-run', { state: 'dryRun', mode: 'dryRun' }));
    await ledger.createRemediation(newRemediation('x-no-document', { documentName: undefined }));

    expect(await actionsOnI1(ledger)).toEqual(['a-3', 'a-2', 'a-1']);
    expect(await actionsOnI1(ledger, 2)).toEqual(['a-3', 'a-2']);
    expect(await actionsOnI1(ledger, 0)).toEqual([]);
    expect(await ledger.listActions('disk', 'i-9', 10)).toEqual([]);
    expect((await ledger.listActions('disk', 'i-1', 1))[0]).toMatchObject({
      state: 'started',
      createdAtSec: NOW + 20,
    });
  });

  it('lists a record while it is an action: out once blocked, back once started again', async () => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    await ledger.transition('r-1', 'started', 'blocked', { blockedBy: 'globalCap' });
    expect(await actionsOnI1(ledger)).toEqual([]);
    await ledger.transition('r-1', 'blocked', 'started', { deadlineSec: NOW + 900 });
    await ledger.transition('r-1', 'started', 'verifying', { executionId: 'exec-1' });
    clock.advance(10);
    await ledger.createRemediation(newRemediation('r-3', { state: 'blocked' }));
    await ledger.transition('r-3', 'blocked', 'started', { deadlineSec: NOW + 900 });
    await ledger.transition('r-3', 'started', 'blocked', { blockedBy: 'globalCap' });
    await ledger.transition('r-3', 'blocked', 'escalated');
    // Moved back to `blocked` after `started`, then skipped: it holds nothing and ran nothing.
    await ledger.createRemediation(newRemediation('r-4'));
    await ledger.transition('r-4', 'started', 'blocked', { blockedBy: 'globalCap' });
    await ledger.transition('r-4', 'blocked', 'skipped');

    expect(await actionsOnI1(ledger)).toEqual(['r-3', 'r-1']);
    expect((await ledger.listActions('disk', 'i-1', 10)).map((r) => 'state' in r && r.state)).toEqual([
      'escalated',
      'verifying',
    ]);
  });

  it('lists a start closed without an execution (skipped by its resume): it may have reached SSM', async () => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    await ledger.transition('r-1', 'started', 'resolved');
    clock.advance(10);
    await ledger.createRemediation(newRemediation('r-2'));
    // As a resumed start's recheck closes it, without the frequency-limit count the engine writes
    // with it (`CLOSING`), so on DynamoDB only its ACTION item, kept by the close, can list it.
    await ledger.transition('r-2', 'started', 'skipped');

    expect(await actionsOnI1(ledger)).toEqual(['r-2', 'r-1']);
    expect(await actionsOnI1(ledger, 1)).toEqual(['r-2']);
    expect((await ledger.listActions('disk', 'i-1', 1))[0]).toMatchObject({ state: 'skipped' });
  });

  it('lists an older action within a limit of 1 when a newer record left `started` for `blocked`', async () => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('older'));
    await ledger.transition('older', 'started', 'resolved');
    clock.advance(10);
    // On DynamoDB its ACTION item must go with it: left behind, it would take the only slot of
    // the Query and hide the older action (written without a frequency-limit mark to find it by).
    await ledger.createRemediation(newRemediation('newer'));
    await ledger.transition('newer', 'started', 'blocked', { blockedBy: 'globalCap' });

    expect(await actionsOnI1(ledger, 1)).toEqual(['older']);
  });

  it("finds a resource's action however many other records were written after it", async () => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('a-1'));
    await ledger.transition('a-1', 'started', 'resolved');
    clock.advance(10);
    // Actions of the rule on other resources, and of another rule on this one. 30, not hundreds:
    // moto copies the table for each transaction. Found with a limit of 1, so a read of the
    // newest records filtered afterwards would miss it (test/unit/remediation/engine-earlier-actions
    // shows the evidence after 250 other records).
    for (let i = 0; i < 30; i += 1) {
      await ledger.createRemediation(
        newRemediation(`other-${i}`, i % 2 === 0 ? { resourceId: `i-other-${i}` } : { ruleId: 'cpu' }),
      );
    }

    expect(await actionsOnI1(ledger, 1)).toEqual(['a-1']);
    expect(ids(await ledger.readHistory(30))).not.toContain('a-1');
  });
}
