/**
 * A new alarm meeting a remediation closed from `started` without an execution, which keeps its
 * resource lock and group slot until they expire (./engine-closed-holds). The guardrail verdict
 * itself must block, naming the holder, why it still holds and until when, rather than pass on a
 * snapshot of open records and leave the ledger's conditional write to refuse it as if two
 * deliveries had raced. Run against every ledger (in memory in test/unit, DynamoDB on moto in
 * test/emulator).
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { LOCK_GRACE_SEC } from '../../../lambdas/core/remediation/engine-ports';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, type TestDeps, testDeps } from './engine-deps';
import type { LedgerFactory } from './ledger-contract-subject';
import { nextStartsDie } from './start-died';

const A = 'i-0abc123def4567890';
const B = 'i-0def456abc7890123';
const HOLDER = 'rem-evt-a';

/**
 * A's alarm handler is killed inside StartAutomationExecution after SSM took the request, and A's
 * OK event then resolves the record, which keeps its holds. A and B share a group at 34 % of 2
 * (one slot). Returns the deps and the ISO time the holds lapse.
 */
async function resolvedWhileStarting(factory: LedgerFactory): Promise<{ deps: TestDeps; until: string }> {
  const base = testDeps();
  const deps: TestDeps = { ...base, ledger: await factory(base.clock) };
  for (const i of [A, B]) deps.groups.groups.set(i, { name: 'web-asg', instancesInService: 2 });
  const reached = nextStartsDie(deps, 1, { reachSsm: true });
  void handleAlarmEvent(alarmOnInstance('evt-a', A), deps, { requestId: 'req-a' });
  await reached;
  await handleAlarmEvent(alarmOnInstance('evt-a-ok', A, 'OK'), deps);
  const holder = await deps.ledger.getRemediation(HOLDER);
  expect(holder).toMatchObject({ state: 'resolved' });
  const holdsUntilSec = (holder?.deadlineSec ?? 0) + LOCK_GRACE_SEC;
  deps.clock.advance(30);
  return { deps, until: new Date(holdsUntilSec * 1000).toISOString() };
}

/** Moves the clock to when the holder's holds lapse. */
async function holdsLapse(deps: TestDeps): Promise<void> {
  const holder = await deps.ledger.getRemediation(HOLDER);
  deps.clock.advance((holder?.deadlineSec ?? 0) + LOCK_GRACE_SEC - deps.clock.nowSec());
}

export function closedHolderScenarios(name: string, factory: LedgerFactory): void {
  describe(`a new alarm meeting a closed remediation that still holds: ${name}`, () => {
    it('is blocked by the resourceLock verdict naming the holder and until when, then starts once the lock lapsed', async () => {
      const { deps, until } = await resolvedWhileStarting(factory);

      const again = await handleAlarmEvent(alarmOnInstance('evt-a-2', A), deps);

      const why = `remediation ${HOLDER} is closed (resolved) but holds the lock on ${A} until ${until}: its start may have reached SSM, so its automation may be running`;
      expect(again).toMatchObject({ outcome: 'skipped', remediationId: 'rem-evt-a-2' });
      expect(again.reason).toContain(`resourceLock`);
      expect(again.reason).toContain(why);
      expect(again.reason).not.toContain('the ledger refused');
      const blocked = await deps.ledger.getRemediation('rem-evt-a-2');
      expect(blocked).toMatchObject({ state: 'blocked', blockedBy: 'resourceLock' });
      expect(blocked?.verdicts.find((v) => v.guardrail === 'resourceLock')).toEqual({
        guardrail: 'resourceLock',
        outcome: 'block',
        reason: why,
      });
      expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([[A]]);

      const sweep = await sweepDeadlines(deps, 'sweep-1');
      expect(sweep.results.find((r) => r.remediationId === 'rem-evt-a-2')?.reason).toBe(
        `still blocked by resourceLock: ${why}`,
      );

      await holdsLapse(deps);
      const later = await handleAlarmEvent(alarmOnInstance('evt-a-3', A), deps);
      expect(later).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-a-3' });
    });

    it("is blocked by the blastRadius verdict naming the holder of the group's slot and until when, then starts once it lapsed", async () => {
      const { deps, until } = await resolvedWhileStarting(factory);

      const b = await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);

      const why = `remediation ${HOLDER} on ${A} is closed (resolved) but holds a slot of web-asg until ${until}: its start may have reached SSM, so its automation may be running`;
      expect(b).toMatchObject({ outcome: 'skipped', remediationId: 'rem-evt-b' });
      expect(b.reason).toContain('2 of 2 in-service instance(s) of web-asg under remediation');
      expect(b.reason).toContain(why);
      expect(b.reason).not.toContain('the ledger refused');
      const blocked = await deps.ledger.getRemediation('rem-evt-b');
      expect(blocked).toMatchObject({ state: 'blocked', blockedBy: 'blastRadius' });
      expect(blocked?.verdicts.find((v) => v.guardrail === 'blastRadius')).toMatchObject({
        outcome: 'block',
        reason: expect.stringContaining(why),
      });
      expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([[A]]);

      await holdsLapse(deps);
      const later = await handleAlarmEvent(alarmOnInstance('evt-b-2', B), deps);
      expect(later).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-b-2' });
    });
  });
}
