/**
 * The error budget's one counting rule (readErrorBudget): failed verifications of the rule within
 * its window and since its last human reset, read by the guardrail before a start, by a resumed
 * start's recheck, and by a failed verification deciding whether to freeze the rule.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { readErrorBudget } from '../../../lambdas/core/remediation/engine-snapshot';
import { InMemoryLedger } from '../../../lambdas/core/remediation/ledger-memory';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { alarmOnInstance, automationStatus, type TestDeps, testDeps } from './engine-deps';
import { configWith, DISK_RULE } from './helpers';
import { FakeClock, NOW, RETENTION } from './ledger-fixtures';

const HOUR = 3600;
/** The disk rule with a budget of 2 failures in 24 h. */
const RULE = configWith([{ ...DISK_RULE, limits: { errorBudgetFailures: 2, errorBudgetWindowHours: 24 } }])
  .rules[0];

describe('readErrorBudget', () => {
  it.each([
    { case: 'failures in the window', failedAgo: [60, 2 * HOUR], expected: 2 },
    { case: 'not those before the window', failedAgo: [60, 24 * HOUR + 1], expected: 1 },
    { case: 'one just inside the window', failedAgo: [24 * HOUR], expected: 1 },
    { case: 'not those before the last reset', failedAgo: [60, 2 * HOUR], resetAgo: HOUR, expected: 1 },
    { case: 'one at the reset itself', failedAgo: [HOUR], resetAgo: HOUR, expected: 1 },
    {
      case: 'the window when the reset is older',
      failedAgo: [60, 30 * HOUR],
      resetAgo: 48 * HOUR,
      expected: 1,
    },
  ])('counts $case', async ({ failedAgo, resetAgo, expected }) => {
    const clock = new FakeClock(NOW);
    const ledger = new InMemoryLedger(clock, RETENTION);
    for (const [i, ago] of failedAgo.entries())
      await ledger.recordFailedVerification(DISK_RULE.id, NOW - ago, `r-${i}`);
    if (resetAgo !== undefined) {
      clock.set(NOW - resetAgo);
      await ledger.resetRule(DISK_RULE.id, 'alice');
      clock.set(NOW);
    }
    await ledger.recordFailedVerification('other-rule', NOW, 'r-other');

    const budget = await readErrorBudget(ledger, requireRule(), NOW);

    expect(budget).toEqual({ failedVerificationsInWindow: expected, ruleFrozen: false });
  });

  it('says whether the rule is frozen, and not once a human reset it', async () => {
    const ledger = new InMemoryLedger(new FakeClock(NOW), RETENTION);
    await ledger.freezeRule(DISK_RULE.id, 'budget spent');
    expect((await readErrorBudget(ledger, requireRule(), NOW)).ruleFrozen).toBe(true);
    await ledger.resetRule(DISK_RULE.id, 'alice');
    expect((await readErrorBudget(ledger, requireRule(), NOW)).ruleFrozen).toBe(false);
  });
});

describe('a failed verification spending the error budget', () => {
  /** Starts a remediation on instance number `n` and fails its automation. */
  async function failOn(deps: TestDeps, n: number) {
    const instance = `i-0000000000000000${n}`;
    const started = await handleAlarmEvent(alarmOnInstance(`evt-${n}`, instance), deps);
    expect(started.outcome).toBe('started');
    return handleAutomationEvent(automationStatus(`auto-${n}`, 'Failed', started.executionId ?? ''), deps);
  }

  it('counts from the last human reset, so failures before it do not freeze the rule again', async () => {
    const deps = testDeps({ rules: [{ ...DISK_RULE, limits: { errorBudgetFailures: 2 } }] });
    await failOn(deps, 1);
    expect((await failOn(deps, 2)).froze).toBe(DISK_RULE.id);
    deps.clock.advance(HOUR);
    await deps.ledger.resetRule(DISK_RULE.id, 'alice');
    deps.clock.advance(60);

    const afterReset = await failOn(deps, 3);

    expect(afterReset.froze).toBeUndefined();
    expect(await deps.ledger.isRuleFrozen(DISK_RULE.id)).toBe(false);
    deps.clock.advance(60);
    const second = await failOn(deps, 4);
    expect(second.froze).toBe(DISK_RULE.id);
    expect(second.escalation?.reason).toContain(
      `2 failed verification(s) of rule ${DISK_RULE.id} in 24 h (budget 2): rule frozen until a human resets it`,
    );
  });
});

function requireRule() {
  if (RULE === undefined) throw new Error('no rule');
  return RULE;
}
