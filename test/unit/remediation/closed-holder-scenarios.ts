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
import { DISK_RULE } from './helpers';
import type { LedgerFactory } from './ledger-contract-subject';
import { nextStartsDie } from './start-died';

export const A = 'i-0abc123def4567890';
export const B = 'i-0def456abc7890123';
/** A's remediation, closed while starting: it keeps A's lock and the group's one slot. */
export const HOLDER = 'rem-evt-a';

/**
 * A's alarm handler is killed inside StartAutomationExecution after SSM took the request, and A's
 * OK event then resolves the record, which keeps its holds. A and B share a group at 34 % of 2
 * (one slot). Returns the deps and the ISO time the holds lapse.
 */
export async function resolvedWhileStarting(
  factory: LedgerFactory,
  rules?: readonly object[],
): Promise<{ deps: TestDeps; until: string }> {
  const base = testDeps(rules === undefined ? {} : { rules });
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

/** The lock A's holder keeps, as the resourceLock verdict names it. */
const lockHeld = (until: string) =>
  `remediation ${HOLDER} is closed (resolved) but holds the lock on ${A} until ${until}: its start may have reached SSM, so its automation may be running`;

/** The disk rule with `limits`, its cooldown off so only the lock and the limit under test count. */
const diskRuleWith = (limits: object) => [{ ...DISK_RULE, limits: { cooldownSec: 0, ...limits } }];

/** Spends the disk rule's error budget (2 failed verifications by default). */
async function spendErrorBudget(deps: TestDeps): Promise<void> {
  for (const id of ['rem-x', 'rem-y']) {
    await deps.ledger.recordFailedVerification(DISK_RULE.id, deps.clock.nowSec(), id);
  }
}

/** Moves the clock to when the holder's holds lapse. */
export async function holdsLapse(deps: TestDeps): Promise<void> {
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

    it('escalates at once on the frequency limit the closed holder reached: its lock does not hide it', async () => {
      const { deps, until } = await resolvedWhileStarting(factory, diskRuleWith({ maxPerResource: 1 }));

      const again = await handleAlarmEvent(alarmOnInstance('evt-a-2', A), deps);

      const limit = `1 remediation(s) of ${A} in the last 24 h (limit 1): acting again would hide a deeper fault`;
      expect(again).toMatchObject({
        outcome: 'escalated',
        remediationId: 'rem-evt-a-2',
        escalation: { kind: 'frequencyLimit' },
      });
      expect(again.reason).toContain(limit);
      const record = await deps.ledger.getRemediation('rem-evt-a-2');
      expect(record).toMatchObject({ state: 'escalated', escalation: { kind: 'frequencyLimit' } });
      // Every verdict is still recorded: the lock (and group slot) that would only make it wait, too.
      expect(record?.verdicts.filter((v) => v.outcome !== 'pass').map((v) => v.guardrail)).toEqual([
        'resourceLock',
        'frequencyLimit',
        'blastRadius',
      ]);
      expect(record?.verdicts).toContainEqual({
        guardrail: 'resourceLock',
        outcome: 'block',
        reason: lockHeld(until),
      });
      expect(record?.verdicts).toContainEqual({
        guardrail: 'frequencyLimit',
        outcome: 'escalate',
        reason: limit,
      });
      expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([[A]]);
    });

    it("escalates at once on a spent error budget and freezes the rule, the closed holder's lock notwithstanding", async () => {
      const { deps } = await resolvedWhileStarting(factory, diskRuleWith({}));
      await spendErrorBudget(deps);

      const again = await handleAlarmEvent(alarmOnInstance('evt-a-2', A), deps);

      expect(again).toMatchObject({ outcome: 'escalated', escalation: { kind: 'errorBudget' } });
      expect(await deps.ledger.getRemediation('rem-evt-a-2')).toMatchObject({ state: 'escalated' });
      expect(await deps.ledger.isRuleFrozen(DISK_RULE.id)).toBe(true);
    });

    it("escalates a blocked alarm from the sweep once the error budget is spent, though the closed holder's lock still holds", async () => {
      const { deps, until } = await resolvedWhileStarting(factory, diskRuleWith({}));
      await handleAlarmEvent(alarmOnInstance('evt-a-2', A), deps);
      expect(await deps.ledger.getRemediation('rem-evt-a-2')).toMatchObject({
        state: 'blocked',
        blockedBy: 'resourceLock',
        reason: expect.stringContaining(lockHeld(until)),
      });
      await spendErrorBudget(deps);
      deps.clock.advance(60);

      const sweep = await sweepDeadlines(deps, 'sweep-1');

      expect(sweep.results.find((r) => r.remediationId === 'rem-evt-a-2')).toMatchObject({
        outcome: 'escalated',
        escalation: { kind: 'errorBudget' },
      });
      expect(await deps.ledger.getRemediation('rem-evt-a-2')).toMatchObject({ state: 'escalated' });
      expect(await deps.ledger.isRuleFrozen(DISK_RULE.id)).toBe(true);
      expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([[A]]);
    });

    it("escalates a blocked alarm from the sweep once the frequency limit is reached, though the closed holder's lock still holds", async () => {
      const { deps, until } = await resolvedWhileStarting(factory, diskRuleWith({ maxPerResource: 2 }));
      await handleAlarmEvent(alarmOnInstance('evt-a-2', A), deps);
      expect(await deps.ledger.getRemediation('rem-evt-a-2')).toMatchObject({
        state: 'blocked',
        blockedBy: 'resourceLock',
        reason: expect.stringContaining(lockHeld(until)),
      });
      await deps.ledger.recordRemediation(DISK_RULE.id, A, deps.clock.nowSec(), 'rem-z');
      deps.clock.advance(60);

      const sweep = await sweepDeadlines(deps, 'sweep-1');

      expect(sweep.results.find((r) => r.remediationId === 'rem-evt-a-2')).toMatchObject({
        outcome: 'escalated',
        escalation: { kind: 'frequencyLimit' },
      });
      expect(await deps.ledger.getRemediation('rem-evt-a-2')).toMatchObject({
        state: 'escalated',
        escalation: { kind: 'frequencyLimit' },
      });
      expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).toEqual([[A]]);
    });
  });
}
