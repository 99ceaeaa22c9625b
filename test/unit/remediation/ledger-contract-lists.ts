/**
 * The `Ledger` contract for the lists the handlers and the sweeper read: open remediations by
 * resource and alarm, overdue, blocked, stalled starts, and history (see ./ledger-contract).
 */
import { expect, it } from 'vitest';
import type { NewRemediation } from '../../../lambdas/core/remediation/ledger';
import { MalformedRecordError, type SweepListing } from '../../../lambdas/core/remediation/ledger';
import type { LedgerSubject } from './ledger-contract-subject';
import { NOW, newRemediation } from './ledger-fixtures';

/** A sweeper work list with nothing in it. */
const NONE: SweepListing = { records: [], malformed: [] };

/** The ids of a sweeper work list's records, in its order. */
const ids = (listing: SweepListing) => listing.records.map((r) => r.id);

/** What each list holds, in which order, within its limit. */
export function listingContract(subject: LedgerSubject): void {
  it('finds the open remediations of an alarm by its ARN, and those recorded without one by its name', async () => {
    // An alarm's ARN names its Region and account (alarm names are unique only within both):
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
    const home = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:disk-a';
    const other = 'arn:aws:cloudwatch:us-east-1:210987654321:alarm:disk-a';
    const { ledger } = subject();
    await ledger.createRemediation(newRemediation('r-home', { alarmName: 'disk-a', alarmArn: home }));
    await ledger.createRemediation(newRemediation('r-other', { alarmName: 'disk-a', alarmArn: other }));
    // Written before records kept the alarm's ARN.
    await ledger.createRemediation(newRemediation('r-legacy', { resourceId: 'i-2', alarmName: 'disk-a' }));

    const found = async (alarmArn?: string) =>
      (await ledger.findOpenByAlarm({ alarmName: 'disk-a', alarmArn })).map((r) => r.id).sort();

    expect(await found(home)).toEqual(['r-home', 'r-legacy']);
    expect(await found(undefined)).toEqual(['r-home', 'r-legacy', 'r-other']);
  });

  it('finds open remediations by resource and alarm, and forgets closed ones', async () => {
    const { ledger } = subject();
    await ledger.createRemediation(newRemediation('r-1', { resourceId: 'i-1', alarmName: 'disk-a' }));
    await ledger.createRemediation(newRemediation('r-2', { resourceId: 'i-2', alarmName: 'disk-a' }));
    await ledger.createRemediation(newRemediation('r-3', { resourceId: 'i-1', state: 'dryRun' }));
    expect((await ledger.findOpenByResource('i-1')).map((r) => r.id)).toEqual(['r-1']);
    expect((await ledger.findOpenByAlarm({ alarmName: 'disk-a' })).map((r) => r.id).sort()).toEqual([
      'r-1',
      'r-2',
    ]);
    await ledger.transition('r-1', 'started', 'resolved');
    expect(await ledger.findOpenByResource('i-1')).toEqual([]);
    expect((await ledger.listOpen()).map((r) => r.id)).toEqual(['r-2']);
  });

  it('lists overdue open remediations earliest first, within the limit', async () => {
    const { ledger } = subject();
    await ledger.createRemediation(newRemediation('r-1', { deadlineSec: NOW + 300 }));
    await ledger.createRemediation(newRemediation('r-2', { deadlineSec: NOW + 100 }));
    await ledger.createRemediation(newRemediation('r-3', { deadlineSec: NOW + 900 }));
    await ledger.createRemediation(newRemediation('r-4', { deadlineSec: NOW + 200 }));
    await ledger.transition('r-4', 'started', 'escalated');
    await ledger.transition('r-3', 'started', 'verifying', { deadlineSec: NOW + 50 });
    expect(ids(await ledger.listOverdue(NOW + 300))).toEqual(['r-3', 'r-2', 'r-1']);
    expect(ids(await ledger.listOverdue(NOW + 300, 2))).toEqual(['r-3', 'r-2']);
    expect(await ledger.listOverdue(NOW + 10)).toEqual(NONE);
  });

  it('lists blocked remediations earliest deadline first and forgets them once moved', async () => {
    const { ledger } = subject();
    await ledger.createRemediation(newRemediation('r-1', { state: 'blocked', deadlineSec: NOW + 300 }));
    await ledger.createRemediation(newRemediation('r-2', { state: 'blocked', deadlineSec: NOW + 100 }));
    await ledger.createRemediation(newRemediation('r-3', { state: 'blocked', deadlineSec: NOW + 200 }));
    await ledger.createRemediation(newRemediation('r-4', { state: 'skipped' }));
    expect(ids(await ledger.listBlocked())).toEqual(['r-2', 'r-3', 'r-1']);
    expect(ids(await ledger.listBlocked(1))).toEqual(['r-2']);
    await ledger.transition('r-2', 'blocked', 'started', { deadlineSec: NOW + 900 });
    await ledger.transition('r-3', 'blocked', 'skipped');
    expect(ids(await ledger.listBlocked())).toEqual(['r-1']);
    expect((await ledger.listOpen()).map((r) => r.id)).toEqual(['r-2']);
  });

  it('moves a started remediation to blocked: out of the open and overdue lists, into the blocked one', async () => {
    const { ledger } = subject();
    await ledger.createRemediation(newRemediation('r-1', { deadlineSec: NOW + 300 }));
    const moved = await ledger.transition('r-1', 'started', 'blocked', { blockedBy: 'globalCap' });
    expect(moved).toMatchObject({ state: 'blocked', blockedBy: 'globalCap', deadlineSec: NOW + 300 });
    expect(await ledger.listOpen()).toEqual([]);
    expect(await ledger.listOverdue(NOW + 300)).toEqual(NONE);
    expect(ids(await ledger.listBlocked())).toEqual(['r-1']);
    expect(await ledger.findOpenByResource(moved.resourceId)).toEqual([]);
  });

  it('lists started remediations by when they entered started, up to a time and within the limit', async () => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    clock.advance(10);
    await ledger.createRemediation(newRemediation('r-2'));
    await ledger.createRemediation(newRemediation('r-3', { state: 'blocked' }));
    clock.advance(10);
    await ledger.createRemediation(newRemediation('r-4'));
    await ledger.createRemediation(newRemediation('r-5', { state: 'dryRun' }));
    const stalled = async (atOrBeforeSec: number, limit?: number) =>
      ids(await ledger.listStalledStarts(atOrBeforeSec, limit));
    expect(await stalled(NOW + 20)).toEqual(['r-1', 'r-2', 'r-4']);
    expect(await stalled(NOW + 10)).toEqual(['r-1', 'r-2']);
    expect(await stalled(NOW + 20, 1)).toEqual(['r-1']);
    expect(await stalled(NOW - 1)).toEqual([]);
  });

  it('keeps a stalled start listed only while started, timed from its latest entry into started', async () => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    await ledger.createRemediation(newRemediation('r-2'));
    await ledger.createRemediation(newRemediation('r-3'));
    await ledger.transition('r-1', 'started', 'verifying', { executionId: 'exec-1' });
    await ledger.transition('r-2', 'started', 'blocked', { blockedBy: 'globalCap' });
    await ledger.transition('r-3', 'started', 'failed');
    expect(await ledger.listStalledStarts(NOW + 100)).toEqual(NONE);
    clock.advance(50);
    await ledger.transition('r-2', 'blocked', 'started', { deadlineSec: NOW + 900 });
    expect(await ledger.listStalledStarts(NOW + 49)).toEqual(NONE);
    expect(ids(await ledger.listStalledStarts(NOW + 50))).toEqual(['r-2']);
  });

  it('lists history newest first, within the limit', async () => {
    const { ledger, clock } = subject();
    for (const id of ['r-1', 'r-2', 'r-3']) {
      await ledger.createRemediation(newRemediation(id, { state: 'dryRun' }));
      clock.advance(10);
    }
    const history = async (limit: number) =>
      (await ledger.readHistory(limit)).map((r) => (r instanceof MalformedRecordError ? r : r.id));
    expect(await history(2)).toEqual(['r-3', 'r-2']);
    expect(await history(10)).toEqual(['r-3', 'r-2', 'r-1']);
    expect(await history(0)).toEqual([]);
  });

  it("lists a rule's defect escalations on a resource since a time, newest first, and nothing else", async () => {
    const { ledger, clock } = subject();
    const defect = (id: string, overrides: Partial<NewRemediation> = {}) =>
      ledger.createRemediation(
        newRemediation(id, {
          state: 'escalated',
          escalation: { reason: 'bad value', atSec: clock.nowSec(), kind: 'ruleDefect' },
          ...overrides,
        }),
      );
    await defect('d-old');
    clock.advance(100);
    await defect('d-1');
    await defect('d-other-resource', { resourceId: 'i-2' });
    await defect('d-other-rule', { ruleId: 'cpu' });
    await defect('f-1', {
      escalation: { reason: 'too often', atSec: clock.nowSec(), kind: 'frequencyLimit' },
    });
    await ledger.createRemediation(newRemediation('s-1', { state: 'skipped' }));
    await ledger.createRemediation(newRemediation('t-1'));
    clock.advance(10);
    await defect('d-2');
    await ledger.transition('t-1', 'started', 'escalated', {
      escalation: { reason: 'bad value', atSec: clock.nowSec(), kind: 'ruleDefect' },
    });
    const listed = async (sinceSec: number) =>
      (await ledger.listDefectEscalations('disk', 'i-1', sinceSec)).map((r) =>
        r instanceof MalformedRecordError ? r : r.id,
      );
    expect(await listed(NOW + 100)).toEqual(['d-2', 't-1', 'd-1']);
    expect(await listed(NOW)).toEqual(['d-2', 't-1', 'd-1', 'd-old']);
    expect(await listed(NOW + 111)).toEqual([]);
    expect(await ledger.listDefectEscalations('disk', 'i-3', NOW)).toEqual([]);
  });
}
