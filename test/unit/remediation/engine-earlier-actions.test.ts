/**
 * An escalation's evidence lists the rule's earlier actions on the resource from a lookup of that
 * pair (`Ledger.listActions`), not from the ledger's newest records: however busy the ledger, the
 * newest 50 actions are listed, and the evidence says when there are older ones. Escalations that
 * ran nothing are not actions, so a flapping alarm cannot push the actions out.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import {
  alarmOnInstance,
  EVENT_CLAIM_LEASE_SEC,
  evidenceOf,
  startThenFail,
  type TestDeps,
  testDeps,
} from './engine-deps';
import { DISK_RULE } from './helpers';
import { newRemediation } from './ledger-fixtures';
import { ALARM, INSTANCE, nextStartsDie, REMEDIATION } from './start-died';

const OLDER = 'earlier actions on the resource are listed; it has older ones.';

/** `n` resolved actions of the disk rule on INSTANCE, written directly, one a second. */
async function earlierActions(deps: TestDeps, n: number) {
  for (let i = 0; i < n; i += 1) {
    await deps.ledger.createRemediation(
      newRemediation(`earlier-${i}`, { ruleId: DISK_RULE.id, resourceId: INSTANCE }),
    );
    await deps.ledger.transition(`earlier-${i}`, 'started', 'resolved');
    deps.clock.advance(1);
  }
}

describe("an escalation's earlier actions", () => {
  it('lists an earlier action however many other records the ledger gained since', async () => {
    const deps = testDeps();
    const first = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
    deps.automation.statuses.set(first.executionId ?? '', 'Success');
    await handleAlarmEvent(alarmOnInstance('evt-1-ok', INSTANCE, 'OK'), deps);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.state).toBe('resolved');
    deps.clock.advance(60);
    for (let i = 0; i < 250; i += 1) {
      await deps.ledger.createRemediation(
        newRemediation(`other-${i}`, { ruleId: DISK_RULE.id, resourceId: `i-${i}`, state: 'skipped' }),
      );
    }
    deps.clock.advance(841);

    const result = await startThenFail(deps, 'evt-2', INSTANCE);

    expect(result.outcome).toBe('verificationFailed');
    const evidence = evidenceOf(deps.escalator.notifications[0]);
    expect(evidence.actions.map((a) => [a.remediationId, a.state])).toEqual([
      ['rem-evt-2', 'failed'],
      ['rem-evt-1', 'resolved'],
    ]);
    expect(evidence.timeline.map((t) => t.what)).toContain('earlier remediation rem-evt-1: resolved');
    expect(deps.escalator.opsItems[0]?.Description).toContain('Actions: rem-evt-2 failed');
  });

  it.each([
    [49, false],
    [50, true],
  ])(
    'with %i earlier actions lists at most the newest 50, saying when older ones exist: %s',
    async (n, older) => {
      const deps = testDeps();
      await earlierActions(deps, n);

      await startThenFail(deps, 'evt-1', INSTANCE);

      const [sent] = deps.escalator.notifications;
      const evidence = evidenceOf(sent);
      expect(evidence.actions).toHaveLength(50);
      expect(evidence.actions[0]?.remediationId).toBe('rem-evt-1');
      expect(evidence.actions.at(-1)?.remediationId).toBe(`earlier-${n - 49}`);
      expect(evidence.olderActionsNotListed).toBe(older ? true : undefined);
      const line = `Only the newest 50 ${OLDER}`;
      expect(sent?.message.includes(line)).toBe(older);
      expect(deps.escalator.opsItems[0]?.Description.includes(line)).toBe(older);
    },
  );

  it('leaves out escalations that ran nothing, so a flapping alarm cannot push the actions out', async () => {
    const deps = testDeps({ rules: [{ ...DISK_RULE, limits: { maxPerResource: 1 } }] });
    const first = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
    deps.automation.statuses.set(first.executionId ?? '', 'Success');
    await handleAlarmEvent(alarmOnInstance('evt-1-ok', INSTANCE, 'OK'), deps);
    for (let i = 2; i <= 60; i += 1) {
      deps.clock.advance(60);
      const refused = await handleAlarmEvent(alarmOnInstance(`evt-${i}`, INSTANCE), deps);
      expect(refused.escalation?.kind).toBe('frequencyLimit');
    }

    const evidence = evidenceOf(deps.escalator.notifications.at(-1));

    expect(evidence.actions.map((a) => [a.remediationId, a.state])).toEqual([['rem-evt-1', 'resolved']]);
    expect(evidence.olderActionsNotListed).toBeUndefined();
  });

  it('lists a start its resume skipped, which the frequency limit counts: it may have reached SSM', async () => {
    const deps = testDeps({ rules: [{ ...DISK_RULE, limits: { maxPerResource: 1 } }] });
    // SSM takes the request (the automation runs), but the handler dies before the answer.
    const reached = nextStartsDie(deps, 1, { reachSsm: true });
    void handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' });
    await reached;
    deps.alarms.states.set(ALARM, 'OK'); // the automation fixed it
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    await sweepDeadlines(deps, 'sweep-1');
    expect(await deps.ledger.getRemediation(REMEDIATION)).toMatchObject({ state: 'skipped' });
    deps.clock.advance(3600);
    deps.alarms.states.set(ALARM, 'ALARM');

    const refused = await handleAlarmEvent(alarmOnInstance('evt-2', INSTANCE), deps);

    expect(refused.escalation?.kind).toBe('frequencyLimit');
    const evidence = evidenceOf(deps.escalator.notifications.at(-1));
    expect(evidence.guardrails.find((v) => v.guardrail === 'frequencyLimit')?.reason).toContain(
      '1 remediation(s)',
    );
    expect(evidence.actions).toEqual([
      expect.objectContaining({ remediationId: REMEDIATION, state: 'skipped', closedWithoutExecution: true }),
    ]);
    expect(evidence.actions[0]?.executionId).toBeUndefined();
    const note = 'skipped (closed without a recorded execution; its start may have reached SSM)';
    expect(evidence.timeline.map((t) => t.what)).toContain(`earlier remediation ${REMEDIATION}: ${note}`);
    expect(deps.escalator.opsItems.at(-1)?.Description).toContain(`Actions: ${REMEDIATION} ${note}.`);
  });
});
