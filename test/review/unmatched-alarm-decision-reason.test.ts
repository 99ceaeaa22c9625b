/**
 * Review (operability): an alarm that reaches the alarm handler but matches no rule is logged as
 * "no rule matches alarm X" and nothing else. decide() knows why each rule did not match
 * (`ruleEvaluations`, what `selfheal explain` prints), but the alarm handler's decision record
 * drops it, writes no ledger record, and never logs the event, so `explain` cannot be replayed.
 * EventBridge routes a rule with an `alarmNamePattern` by the name alone, so an alarm named like
 * the rule but on another metric arrives and is refused with a reason that contradicts what the
 * operator sees (the name does match `disk-full-*`).
 */
import { describe, expect, it } from 'vitest';
import { outputOf } from '../handlers/emf-capture';
import { mockRemediationAws, useMotoSuite } from '../handlers/remediation-mocks';
import {
  alarmEvent,
  context,
  DISK_RULE,
  loadHandlers,
  requireMoto,
  withRules,
} from '../handlers/remediation-setup';

const aws = mockRemediationAws();
const run = requireMoto();

/** The example disk-full alarm, named like the rule wants, but on CWAgent disk_inodes_free. */
function inodeAlarm(id: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(alarmEvent(id)).replaceAll('"disk_used_percent"', '"disk_inodes_free"'));
}

describe.runIf(run)('remediation alarm handler: an alarm no rule matches', () => {
  const moto = useMotoSuite(aws);

  it("logs each rule's reason for not matching, so the on-call can tell why nothing started", async () => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE), { env: { POWERTOOLS_LOG_LEVEL: 'INFO' } });

    const output = await outputOf(() => h.alarm(inodeAlarm('evt-inodes'), context));

    const decisions = output
      .split('\n')
      .filter((line) => line.includes('"message":"decision"'))
      .map((line) => JSON.parse(line) as { decision: { outcome: string; reason: string } });
    expect(decisions).toHaveLength(1);
    expect(decisions[0]?.decision.outcome).toBe('skipped');
    // What decide() found for the one rule: its name pattern matched, its metric did not.
    expect(JSON.stringify(decisions[0])).toContain('disk-full-cleanup');
    expect(JSON.stringify(decisions[0])).toContain('no metric of the alarm is CWAgent/disk_used_percent');
    // Nothing else keeps it: no ledger record for this event.
    expect(await h.ledger.getRemediation('rem-evt-inodes')).toBeUndefined();
  });
});
