/**
 * A result names each unreadable ledger item once, whatever met it: the evidence of its escalation
 * and the guardrail snapshot's holders may both name items, and the same item (a holder whose
 * record is also among the earlier actions, a holder of both the lock and a slot). The handler
 * logs and counts the items the result names (UnreadableLedgerItems).
 */
import { describe, expect, it } from 'vitest';
import { distinctUnreadable, type EngineResult } from '../../../lambdas/core/remediation/engine-result';
import { withUnreadableHolders } from '../../../lambdas/core/remediation/engine-snapshot-holds';
import { EMPTY_SNAPSHOT, type GuardrailSnapshot } from '../../../lambdas/core/remediation/guardrails';

const HOLDER = { key: 'pk=REM#rem-holder sk=REM', problem: 'createdAtSec: missing; required (number)' };
const ACTION = { key: 'pk=REM#rem-old sk=REM', problem: 'state: received "gone"' };

const escalated: EngineResult = {
  eventId: 'evt-2',
  outcome: 'escalated',
  reason: 'frequency limit',
  unreadableLedgerItems: [ACTION],
};

/** A snapshot whose lock and group slot are both held by the unreadable HOLDER. */
function heldByUnreadable(): GuardrailSnapshot {
  const hold = { remediationId: 'rem-holder', untilSec: 2_000, unreadable: HOLDER };
  return {
    ...EMPTY_SNAPSHOT,
    closedHoldOnResource: hold,
    group: { name: 'web-asg', instancesInService: 2, instancesUnderRemediation: 1, closedHolds: [hold] },
  };
}

describe('the unreadable ledger items a result names', () => {
  it("keeps those of the escalation's evidence and adds the holders', each once", () => {
    expect(withUnreadableHolders(escalated, heldByUnreadable()).unreadableLedgerItems).toEqual([
      ACTION,
      HOLDER,
    ]);
  });

  it('names an item met as a holder and among the earlier actions once', () => {
    const both = { ...escalated, unreadableLedgerItems: [HOLDER] };

    expect(withUnreadableHolders(both, heldByUnreadable()).unreadableLedgerItems).toEqual([HOLDER]);
  });

  it('leaves a result with none as it is', () => {
    const started: EngineResult = { eventId: 'evt-3', outcome: 'started', reason: 'all guardrails passed' };

    expect(withUnreadableHolders(started, EMPTY_SNAPSHOT)).toBe(started);
  });

  it.each([
    [[], []],
    [
      [HOLDER, ACTION, HOLDER],
      [HOLDER, ACTION],
    ],
    [[ACTION, { ...ACTION, problem: 'read again' }], [ACTION]],
  ])('counts items by key, the first met kept %#', (items, distinct) => {
    expect(distinctUnreadable(items)).toEqual(distinct);
  });
});
