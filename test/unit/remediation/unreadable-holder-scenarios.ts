/**
 * A new alarm meeting a lock or group slot whose holder's ledger item cannot be read (a hand edit,
 * a bug): the holder is not open (the open records were read), so it may be a remediation closed
 * from `started` whose automation still runs. It counts as holding until its hold lapses: the alarm
 * is recorded `blocked`, the reason naming the holder and that its record could not be read, and
 * the result names the item for the handler to log at ERROR. Failing instead would fail every alarm
 * on the resource and its group, which nothing re-drives. Run against every ledger (in memory in
 * test/unit, DynamoDB on moto in test/emulator, where the item really lost a field).
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import type { Ledger } from '../../../lambdas/core/remediation/ledger';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { A, B, HOLDER, resolvedWhileStarting } from './closed-holder-scenarios';
import { alarmOnInstance, type TestDeps } from './engine-deps';
import type { FakeClock } from './ledger-fixtures';

/** A fresh ledger, and how to make one of its remediation items malformed (`createdAtSec` gone). */
export type BreakableLedgerFactory = (
  clock: FakeClock,
) => Promise<{ readonly ledger: Ledger; readonly removeCreatedAt: (id: string) => Promise<void> }>;

const UNREADABLE = { key: `pk=REM#${HOLDER} sk=REM`, problem: 'createdAtSec: missing; required (number)' };

/** The holder's reason: what it holds until when, and that its record could not be read. */
const heldUnread = (what: string, until: string) =>
  `remediation ${HOLDER} holds ${what} until ${until}, but its record could not be read (ledger item ${UNREADABLE.key}: ${UNREADABLE.problem}): counted as holding, as its automation may be running`;

/** A's remediation closed while starting (keeping A's lock and the group's slot), then its item broken. */
async function brokenHolder(factory: BreakableLedgerFactory): Promise<{ deps: TestDeps; until: string }> {
  let removeCreatedAt: ((id: string) => Promise<void>) | undefined;
  const held = await resolvedWhileStarting(async (clock) => {
    const made = await factory(clock);
    removeCreatedAt = made.removeCreatedAt;
    return made.ledger;
  });
  await removeCreatedAt?.(HOLDER);
  await expect(held.deps.ledger.getRemediation(HOLDER)).rejects.toMatchObject({
    name: 'MalformedRecordError',
    ...UNREADABLE,
  });
  return held;
}

export function unreadableHolderScenarios(name: string, factory: BreakableLedgerFactory): void {
  describe(`a new alarm meeting a hold whose holder cannot be read: ${name}`, () => {
    it('is blocked by the resourceLock verdict naming the holder, re-driven, and started once the lock lapsed', async () => {
      const { deps, until } = await brokenHolder(factory);

      const again = await handleAlarmEvent(alarmOnInstance('evt-a-2', A), deps);

      const why = heldUnread(`the lock on ${A}`, until);
      expect(again).toMatchObject({
        outcome: 'skipped',
        remediationId: 'rem-evt-a-2',
        unreadableLedgerItems: [UNREADABLE],
      });
      expect(again.reason).toContain(why);
      const blocked = await deps.ledger.getRemediation('rem-evt-a-2');
      expect(blocked).toMatchObject({ state: 'blocked', blockedBy: 'resourceLock' });
      expect(blocked?.verdicts.find((v) => v.guardrail === 'resourceLock')).toEqual({
        guardrail: 'resourceLock',
        outcome: 'block',
        reason: why,
      });

      deps.clock.advance(60);
      const sweep = await sweepDeadlines(deps, 'sweep-1');
      expect(sweep.errors).toEqual([]);
      expect(sweep.results.find((r) => r.remediationId === 'rem-evt-a-2')).toMatchObject({
        outcome: 'skipped',
        reason: `still blocked by resourceLock: ${why}`,
        unreadableLedgerItems: [UNREADABLE],
      });
      expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([[A]]);

      // The holds lapse when they expire, whether or not their holder can be read.
      deps.clock.advance(Date.parse(until) / 1000 - deps.clock.nowSec());
      const later = await handleAlarmEvent(alarmOnInstance('evt-a-3', A), deps);
      expect(later).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-a-3' });
      expect(later.unreadableLedgerItems).toBeUndefined();
    });

    it('is named once by a sweep that re-drives two alarms it blocks', async () => {
      const { deps } = await brokenHolder(factory);
      await handleAlarmEvent(alarmOnInstance('evt-a-2', A), deps);
      await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);
      deps.clock.advance(60);

      const sweep = await sweepDeadlines(deps, 'sweep-1');

      const redriven = ['rem-evt-a-2', 'rem-evt-b'].map((id) =>
        sweep.results.find((r) => r.remediationId === id),
      );
      expect(redriven.map((r) => [r?.outcome, r?.unreadableLedgerItems])).toEqual([
        ['skipped', [UNREADABLE]],
        ['skipped', [UNREADABLE]],
      ]);
      expect(sweep.errors).toEqual([]);
      expect(sweep.unreadableLedgerItems).toEqual([UNREADABLE]);
    });

    it('is blocked by the blastRadius verdict on another instance of the group, naming the holder', async () => {
      const { deps, until } = await brokenHolder(factory);

      const b = await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);

      const why = heldUnread('a slot of web-asg', until);
      expect(b).toMatchObject({
        outcome: 'skipped',
        remediationId: 'rem-evt-b',
        unreadableLedgerItems: [UNREADABLE],
      });
      expect(b.reason).toContain('2 of 2 in-service instance(s) of web-asg under remediation');
      expect(b.reason).toContain(why);
      expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({
        state: 'blocked',
        blockedBy: 'blastRadius',
      });
      expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([[A]]);
    });
  });
}
