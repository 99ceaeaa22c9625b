/**
 * A start left `started` with no execution recorded is resumed minutes after it was decided: by
 * the sweeper once the lease is over, or by Lambda's retry of the attempt that died in it. The
 * world may have moved meanwhile. The resume checks again what the first decision checked (the
 * rule's mode, the error-budget freeze, the alarm still in ALARM, the cleanup path still within
 * the allowed prefixes) and, when that now refuses,
 * closes the record instead of starting. Its starter died inside StartAutomationExecution, most
 * likely after SSM took the request, so the closed record keeps its holds until they expire and
 * counts as a remediation: the blast radius and caps must still see an automation that may run.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { LOCK_GRACE_SEC } from '../../../lambdas/core/remediation/engine-ports';
import type { EngineResult } from '../../../lambdas/core/remediation/engine-result';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, type TestDeps, testDeps } from './engine-deps';
import { configWith, DISK_RULE } from './helpers';
import { ALARM, INSTANCE, nextStartsDie, REMEDIATION, startDied } from './start-died';

/** Allowed cleanup prefixes after a redeploy: the recorded Directory /var/log/app/ is outside. */
const NARROWED = ['/tmp/'];

/** What changed between the claim and the resume, and what the resume must then record. */
const CHANGES: ReadonlyArray<{
  readonly change: string;
  readonly apply: (deps: TestDeps) => Promise<TestDeps>;
  readonly state: 'skipped' | 'escalated';
  readonly reason: string;
}> = [
  {
    change: 'the rule was switched to dryRun',
    apply: async (deps) => ({ ...deps, config: configWith([{ ...DISK_RULE, mode: 'dryRun' }]) }),
    state: 'skipped',
    reason: 'rule is in dryRun mode',
  },
  {
    change: 'the rule was switched to observe',
    apply: async (deps) => ({ ...deps, config: configWith([{ ...DISK_RULE, mode: 'observe' }]) }),
    state: 'skipped',
    reason: 'rule is in observe mode',
  },
  {
    change: 'the error budget froze the rule',
    apply: async (deps) => {
      await deps.ledger.freezeRule(DISK_RULE.id, 'budget spent by another remediation');
      return deps;
    },
    state: 'escalated',
    reason: `rule ${DISK_RULE.id} is frozen by its error budget`,
  },
  {
    change: 'a redeploy narrowed cleanupAllowedPathPrefixes below its Directory',
    apply: async (deps) => ({
      ...deps,
      config: configWith([DISK_RULE], { cleanupAllowedPathPrefixes: NARROWED }),
    }),
    state: 'escalated',
    reason: 'allowListedDocument: cleanup path "/var/log/app/" is not within /tmp/',
  },
  {
    change: 'the alarm went back to OK',
    apply: async (deps) => {
      deps.alarms.states.set(ALARM, 'OK');
      return deps;
    },
    state: 'skipped',
    reason: `alarm ${ALARM} is OK now`,
  },
  {
    change: 'the alarm went to INSUFFICIENT_DATA',
    apply: async (deps) => {
      deps.alarms.states.set(ALARM, 'INSUFFICIENT_DATA');
      return deps;
    },
    state: 'skipped',
    reason: `alarm ${ALARM} is INSUFFICIENT_DATA now: nothing to remediate`,
  },
  {
    change: 'the alarm was deleted',
    apply: async (deps) => {
      deps.alarms.stateOf = async () => undefined;
      return deps;
    },
    state: 'skipped',
    reason: `alarm ${ALARM} is gone now: nothing to remediate`,
  },
];

/**
 * Nothing started, the record closed as `state` saying why; its lock and global slot held until
 * its deadline plus the lock grace, and the remediation counted for the frequency limit and cooldown.
 */
async function expectClosedWithoutStart(
  deps: TestDeps,
  result: EngineResult | undefined,
  expected: (typeof CHANGES)[number],
) {
  expect(deps.automation.requests).toEqual([]);
  expect(result).toMatchObject({ remediationId: REMEDIATION, outcome: expected.state });
  expect(result?.reason).toContain(expected.reason);
  const record = await deps.ledger.getRemediation(REMEDIATION);
  expect(record).toMatchObject({ state: expected.state });
  expect(record?.reason).toContain(expected.reason);
  expect(result?.reason).toContain('; the start decided earlier was not resumed');
  expect(record?.reason).toMatch(/; the start decided earlier was not resumed$/);
  expect(await deps.ledger.activeGlobalSlots()).toBe(1);
  expect(await deps.ledger.acquireResourceLock(INSTANCE, 'rem-probe', deps.clock.nowSec() + 60)).toBe(false);
  expect(await deps.ledger.countRemediations(DISK_RULE.id, INSTANCE, 0)).toBe(1);
  expect(await deps.ledger.lastRemediationAt(DISK_RULE.id, INSTANCE)).toBe(record?.createdAtSec);
  deps.clock.advance((record?.deadlineSec ?? 0) + LOCK_GRACE_SEC - deps.clock.nowSec());
  expect(await deps.ledger.acquireResourceLock(INSTANCE, 'rem-probe', deps.clock.nowSec() + 60)).toBe(true);
}

describe('the sweeper resuming a stalled start', () => {
  it.each(CHANGES)('starts nothing and closes it $state when $change', async (expected) => {
    const deps = await expected.apply(await startDied());
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.errors).toEqual([]);
    expect(sweep.resumed).toBe(0);
    await expectClosedWithoutStart(
      deps,
      sweep.results.find((r) => r.remediationId === REMEDIATION),
      expected,
    );
  });

  it('escalates a frozen rule once, as the error budget kind the first decision uses', async () => {
    const deps = await startDied();
    await deps.ledger.freezeRule(DISK_RULE.id, 'budget spent by another remediation');
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    await sweepDeadlines(deps, 'sweep-1');
    await sweepDeadlines(deps, 'sweep-2');

    expect(await deps.ledger.getRemediation(REMEDIATION)).toMatchObject({
      escalation: { kind: 'errorBudget', byEventId: 'sweep-1', snsMessageId: 'msg-1' },
    });
    expect(deps.escalator.notifications).toHaveLength(1);
  });

  it('freezes the rule, as the first decision does, when its error budget ran out meanwhile', async () => {
    const deps = await startDied();
    for (const id of ['rem-x', 'rem-y']) {
      await deps.ledger.recordFailedVerification(DISK_RULE.id, deps.clock.nowSec(), id);
    }
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(deps.automation.requests).toEqual([]);
    expect(sweep.results.find((r) => r.remediationId === REMEDIATION)?.reason).toContain(
      `2 failed verification(s) of rule ${DISK_RULE.id}`,
    );
    expect(await deps.ledger.isRuleFrozen(DISK_RULE.id)).toBe(true);
    const record = await deps.ledger.getRemediation(REMEDIATION);
    expect(record).toMatchObject({ state: 'escalated', escalation: { kind: 'errorBudget' } });
    // The record says which guardrail refused, and the freeze carries the guardrail's own reason.
    expect(record?.verdicts.find((v) => v.guardrail === 'errorBudget')).toMatchObject({
      outcome: 'escalate',
    });
    const freeze = await deps.ledger.getRuleFreeze(DISK_RULE.id);
    expect(freeze?.reason).toContain(`2 failed verification(s) of rule ${DISK_RULE.id}`);
    expect(freeze?.reason).not.toContain('not resumed');
  });

  it('escalates a cleanup the current config forbids as blocked by allowListedDocument, saying its earlier request was not resumed', async () => {
    const stalled = await startDied();
    expect((await stalled.ledger.getRemediation(REMEDIATION))?.parameters?.Directory).toEqual([
      '/var/log/app/',
    ]);
    const deps = { ...stalled, config: configWith([DISK_RULE], { cleanupAllowedPathPrefixes: NARROWED }) };
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    await sweepDeadlines(deps, 'sweep-1');
    await sweepDeadlines(deps, 'sweep-2');

    expect(deps.automation.requests.map((r) => r.Parameters.Directory)).toEqual([]);
    const refused = 'cleanup path "/var/log/app/" is not within /tmp/';
    const record = await deps.ledger.getRemediation(REMEDIATION);
    expect(record).toMatchObject({
      state: 'escalated',
      escalation: { kind: 'blocked', byEventId: 'sweep-1', snsMessageId: 'msg-1' },
    });
    expect(record?.verdicts.find((v) => v.guardrail === 'allowListedDocument')).toEqual({
      guardrail: 'allowListedDocument',
      outcome: 'block',
      reason: refused,
    });
    expect(record?.reason).toBe(`allowListedDocument: ${refused}; the start decided earlier was not resumed`);
    expect(deps.escalator.notifications).toHaveLength(1);
    expect(await deps.ledger.isRuleFrozen(DISK_RULE.id)).toBe(false);
  });

  it('keeps counting it against the blast radius: a start that reached SSM before its starter died may be running', async () => {
    const OTHER = 'i-0def456abc7890123';
    const deps = testDeps();
    // Two instances at 34 %: one under remediation at a time.
    for (const i of [INSTANCE, OTHER]) deps.groups.groups.set(i, { name: 'web-asg', instancesInService: 2 });
    // SSM takes the request (the automation runs), but the handler dies before the answer.
    const reached = nextStartsDie(deps, 1, { reachSsm: true });
    void handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' });
    await reached;
    deps.alarms.states.set(ALARM, 'OK'); // the automation fixed it
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    await sweepDeadlines(deps, 'sweep-1');
    const other = await handleAlarmEvent(alarmOnInstance('evt-2', OTHER), deps);

    expect(await deps.ledger.getRemediation(REMEDIATION)).toMatchObject({ state: 'skipped' });
    expect(other.outcome).not.toBe('started');
    expect(deps.automation.requests).toHaveLength(1);
  });

  it('still resumes it when nothing changed', async () => {
    const deps = await startDied();
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.resumed).toBe(1);
    expect(deps.automation.requests).toHaveLength(1);
    expect(await deps.ledger.getRemediation(REMEDIATION)).toMatchObject({ state: 'verifying' });
  });
});

describe("Lambda's retry resuming the start its attempt died in", () => {
  it.each(CHANGES)('starts nothing and closes it $state when $change', async (expected) => {
    const deps = await expected.apply(await startDied());
    deps.clock.advance(60);

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' });

    await expectClosedWithoutStart(deps, result, expected);
  });

  it('reads no alarm state for a rule no longer enforcing (the handler may lack DescribeAlarms then)', async () => {
    const deps = { ...(await startDied()), config: configWith([{ ...DISK_RULE, mode: 'observe' }]) };
    const read: string[] = [];
    deps.alarms.stateOf = async (name) => {
      read.push(name);
      return 'ALARM';
    };
    deps.clock.advance(60);

    await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' });

    expect(read).toEqual([]);
    expect(await deps.ledger.getRemediation(REMEDIATION)).toMatchObject({ state: 'skipped' });
  });

  it('skips rather than escalates a frozen rule whose alarm went back to OK', async () => {
    const deps = await startDied();
    await deps.ledger.freezeRule(DISK_RULE.id, 'budget spent by another remediation');
    deps.alarms.states.set(ALARM, 'OK');
    deps.clock.advance(60);

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' });

    expect(result).toMatchObject({ outcome: 'skipped' });
    expect(deps.escalator.notifications).toEqual([]);
  });
});
