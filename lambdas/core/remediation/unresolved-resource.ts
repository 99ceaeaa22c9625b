/**
 * A rule matched an ALARM transition but cannot say what to act on: the dimension it takes the
 * resource from is missing or empty in the alarm, or the alarm's metrics (metric math over several
 * instances) name more than one value of it (./match `resolveResource`). Nothing can be started,
 * but a human must hear of it: the decision is a `ruleDefect` escalation (in every mode, before any
 * guardrail), the same as a value a document's allowedPattern rejects, so a flapping alarm is
 * escalated once per frequency window (./engine-defect-repeat).
 *
 * Where the ledger needs a resource id (the record's `resourceId`, the `DEFECT#<rule>#<resource>`
 * index the repeat check queries, the OpsItem's dedup string) a stand-in names the alarm instead,
 * marked as such: {@link unresolvedResourceId}. No lock, slot or frequency window is taken for it
 * (an escalation without acting takes none), so it never holds back a real resource.
 */
import type { RemediationRule } from '../../../lib/config/remediation-schema';
import type { AlarmMetric, AlarmStateChange } from './alarm-event';
import type { DecisionBase, EscalateDecision } from './decision';

/** The rule's resource dimension and what the alarm had of it. */
export interface UnresolvedResource {
  readonly dimension: string;
  /** The distinct non-empty values the alarm's metrics gave it: several, or none. */
  readonly values: readonly string[];
  /** Every metric of the alarm, as the event carried them (the evidence a human needs). */
  readonly metrics: readonly AlarmMetric[];
}

/** How every stand-in id begins: no instance id does, and it says what it is where it is printed. */
export const UNRESOLVED_PREFIX = '(unresolved) ';

/** The stand-in resource id of alarm `alarmName`'s unresolved resource. */
export function unresolvedResourceId(alarmName: string): string {
  return `${UNRESOLVED_PREFIX}alarm "${alarmName}"`;
}

/**
 * The `ruleDefect` escalation of an ALARM transition `rule` matched but whose resource could not
 * be resolved (`reason`, naming the rule, the dimension and each value found or none).
 */
export function unresolvedEscalation(
  base: DecisionBase,
  event: AlarmStateChange,
  rule: RemediationRule,
  found: { readonly dimension: string; readonly values: readonly string[] },
): EscalateDecision {
  return {
    ...base,
    ruleId: rule.id,
    mode: rule.mode,
    resource: { type: 'unresolved', id: unresolvedResourceId(event.alarmName), dimensions: {} },
    unresolved: { dimension: found.dimension, values: found.values, metrics: event.metrics },
    outcome: 'escalate',
    guardrails: [],
    freezeRule: false,
  };
}
