/**
 * The checks a resumed start makes again before StartAutomationExecution. A start left `started`
 * without an execution is resumed (by the sweeper: ./resume-stalled; by a redelivery of its event:
 * ./engine-redelivery) minutes after it was decided, and meanwhile the alarm may have left ALARM,
 * the rule may have been switched to observe or dryRun, its error budget may have frozen it, or a
 * redeploy may have narrowed `cleanupAllowedPathPrefixes` below the recorded Directory. Each is
 * checked as the first decision checks it: the `mode`, `errorBudget` and `allowListedDocument`
 * guardrails (./guardrails) on the error budget the snapshot reads (./engine-snapshot) and the
 * recorded parameters, and the alarm's current state through the AlarmStateReader port, as the
 * sweeper's re-drive reads it. The lock and slot guardrails are answered by the holds the resume
 * retakes (./engine-holds); the frequency limit and cooldown are not evaluated again (the
 * remediation is already counted once it may have reached SSM).
 *
 * A refusal closes the record as a `blocked` one's re-drive would (./engine-close): rule not
 * enforcing, or alarm out of ALARM → `skipped`; error budget → `escalated` (kind `errorBudget`,
 * freezing the rule if it is not frozen yet); a document or cleanup path the current config no
 * longer allows → `escalated` (kind `blocked`): the alarm is still in ALARM, no later sweep would
 * start it, and the earlier request, which the config now forbids, may have run. The record has
 * no execution id, but the dead starter's StartAutomationExecution may have reached SSM: the
 * closed record keeps its holds until they expire and counts as a remediation
 * (./engine-closed-holds); that execution is not tracked.
 */
import type { RemediationRule } from '../../../lib/config/remediation-schema';
import { closeEscalated, closeSkipped } from './engine-close';
import type { EngineDeps } from './engine-ports';
import type { EngineResult } from './engine-result';
import { readErrorBudget } from './engine-snapshot';
import { EMPTY_SNAPSHOT, evaluateGuardrails, type GuardrailName, type GuardrailSnapshot } from './guardrails';
import { type RemediationRecord, replaceVerdict } from './ledger-records';

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
  // `mode` first, reading nothing: with no rule left in enforce mode the alarm handler is not
  // granted cloudwatch:DescribeAlarms, and a skip needs no ledger read.
  const [mode] = recheck(record, rule, deps, EMPTY_SNAPSHOT, ['mode']);
  if (mode !== undefined && mode.outcome !== 'pass')
    return closeSkipped(record, 'started', notResumed(mode.reason), deps);
  const alarm = await deps.alarms.stateOf(record.alarmName, record.alarmArn);
  if (alarm !== 'ALARM') {
    const why = `alarm ${record.alarmName} is ${alarm ?? 'gone'} now: nothing to remediate`;
    return closeSkipped(record, 'started', notResumed(why), deps);
  }
  const budget = await readErrorBudget(deps.ledger, rule, deps.clock.nowSec());
  const verdict = recheck(record, rule, deps, { ...EMPTY_SNAPSHOT, ...budget }, [
    'errorBudget',
    'allowListedDocument',
  ]).find((v) => v.outcome !== 'pass');
  if (verdict === undefined) return undefined;
  // A recovered alarm or a rule switched off needs no word; these leave the alarm unremediated.
  const verdicts = replaceVerdict(record.verdicts, verdict);
  const reason = notResumed(verdict.reason);
  const escalation =
    verdict.guardrail === 'errorBudget'
      ? { kind: 'errorBudget' as const, reason, byEventId, verdicts, freezeReason: verdict.reason }
      : { kind: 'blocked' as const, reason: `${verdict.guardrail}: ${reason}`, byEventId, verdicts };
  return closeEscalated(record, 'started', escalation, deps);
}

/** The `only` guardrails' verdicts for `record` on `snapshot`, as the first decision gave them. */
function recheck(
  record: RemediationRecord,
  rule: RemediationRule,
  deps: EngineDeps,
  snapshot: GuardrailSnapshot,
  only: readonly GuardrailName[],
) {
  return evaluateGuardrails(
    {
      eventId: record.eventId,
      rule,
      config: deps.config,
      snapshot,
      nowSec: deps.clock.nowSec(),
      resourceId: record.resourceId,
      parameters: record.parameters ?? {},
      documentNames: deps.engine.documentNames,
    },
    only,
  );
}

/** The reason a refused resume records. */
function notResumed(why: string): string {
  return `${why}; the start decided earlier was not resumed`;
}
