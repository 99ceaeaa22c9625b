/**
 * The checks a resumed start makes again before StartAutomationExecution. A start left `started`
 * without an execution is resumed (by the sweeper: ./resume-stalled; by a redelivery of its event:
 * ./engine-redelivery) minutes after it was decided, and meanwhile the alarm may have left ALARM,
 * the rule may have been switched to observe or dryRun, or its error budget may have frozen it.
 * Each is checked as the first decision checks it: the `mode` and `errorBudget` guardrails
 * (./guardrails) on the error budget the snapshot reads (./engine-snapshot), and the alarm's
 * current state through the AlarmStateReader port, as the sweeper's re-drive reads it. The other
 * guardrails are answered by the holds the resume retakes (./engine-holds).
 *
 * A refusal closes the record as a `blocked` one's re-drive would (./engine-close): rule not
 * enforcing, or alarm out of ALARM → `skipped`; error budget → `escalated` (kind `errorBudget`,
 * freezing the rule if it is not frozen yet). The holds go back. The record has no execution
 * id; if the dead starter's StartAutomationExecution had reached SSM after all, that execution
 * is not tracked, as for a `blocked` record closed without starting.
 */
import type { RemediationRule } from '../../../lib/config/remediation-schema';
import { closeEscalated, closeSkipped } from './engine-close';
import type { EngineDeps } from './engine-ports';
import type { EngineResult } from './engine-result';
import { readErrorBudget } from './engine-snapshot';
import { EMPTY_SNAPSHOT, evaluateGuardrails, type GuardrailName } from './guardrails';
import type { RemediationRecord } from './ledger-records';

/** The guardrails a resume checks again; its holds answer for the others. */
export const RECHECKED_GUARDRAILS: readonly GuardrailName[] = ['mode', 'errorBudget'];

/**
 * Checks `record` (`started`, no execution) again just before its start is resumed: undefined
 * when it may go ahead (or its rule is gone, which the resume itself reports), else the result of
 * closing it. `byEventId` (the sweep, or the redelivered event) owns an escalation it sends.
 */
export async function recheckStart(
  record: RemediationRecord,
  deps: EngineDeps,
  byEventId: string,
): Promise<EngineResult | undefined> {
  const rule = deps.config.rules.find((r) => r.id === record.ruleId);
  if (rule === undefined) return undefined;
  const refusal = await recheckGuardrails(record, rule, deps);
  // `mode` first, without reading the alarm: with no rule left in enforce mode the alarm handler
  // is not granted cloudwatch:DescribeAlarms.
  if (refusal?.outcome === 'block') return closeSkipped(record, 'started', notResumed(refusal.reason), deps);
  const alarm = await deps.alarms.stateOf(record.alarmName);
  if (alarm !== 'ALARM') {
    const why = `alarm ${record.alarmName} is ${alarm ?? 'gone'} now: nothing to remediate`;
    return closeSkipped(record, 'started', notResumed(why), deps);
  }
  if (refusal === undefined) return undefined;
  // Only the error budget escalates of the rechecked guardrails; a recovered alarm needs no word.
  const reason = notResumed(refusal.reason);
  return closeEscalated(record, 'started', { kind: 'errorBudget', reason, byEventId }, deps);
}

/** The first of {@link RECHECKED_GUARDRAILS} that no longer passes, if any. */
async function recheckGuardrails(record: RemediationRecord, rule: RemediationRule, deps: EngineDeps) {
  const nowSec = deps.clock.nowSec();
  const budget = await readErrorBudget(deps.ledger, rule, nowSec);
  const verdicts = evaluateGuardrails(
    {
      eventId: record.eventId,
      rule,
      config: deps.config,
      snapshot: { ...EMPTY_SNAPSHOT, ...budget },
      nowSec,
      resourceId: record.resourceId,
      parameters: record.parameters ?? {},
      documentNames: deps.engine.documentNames,
    },
    RECHECKED_GUARDRAILS,
  );
  return verdicts.find((v) => v.outcome !== 'pass');
}

/** The reason a refused resume records. */
function notResumed(why: string): string {
  return `${why}; the start decided earlier was not resumed`;
}
