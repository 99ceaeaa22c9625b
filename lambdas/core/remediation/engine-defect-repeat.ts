/**
 * A rule defect seen again: a value a shipped document's allowedPattern rejects (or a rule that
 * cannot be rendered, or a resource the alarm does not name: ./unresolved-resource) escalates as
 * `ruleDefect` before any guardrail, so a flapping alarm with a bad dimension would send an SNS
 * message on every ALARM transition. The first is escalated; a
 * repeat of the same defect (same rule, resource and reason, so the same parameter, value and
 * pattern) within the rule's frequency window is recorded `skipped`, its reason naming the
 * earlier escalation; after the window it is escalated again, as a reminder. A different value
 * or resource is news and escalates.
 *
 * The earlier escalation is looked up among the rule's defect escalations on the resource within
 * the window (`Ledger.listDefectEscalations`, a key Query on their own index), however many other
 * records the ledger holds; the history is not read. One the ledger cannot read is left out, which
 * errs on the loud side (escalated again), as does a defect escalated before that index existed.
 * Two deliveries deciding the same defect at the same moment may both escalate (the OpsItem is
 * deduplicated).
 */
import type { EscalateDecision } from './decision';
import type { EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { splitMalformed } from './ledger-errors';
import type { NewRemediation, RemediationRecord } from './ledger-records';

const HOUR_SEC = 3600;
const iso = (sec: number) => new Date(sec * 1000).toISOString();

/**
 * Records `d` as `skipped` and returns its result when the same defect was escalated within the
 * rule's frequency window; undefined when it must be escalated.
 */
export async function skipRepeatedDefect(
  d: EscalateDecision,
  base: Omit<NewRemediation, 'state'>,
  deps: EngineDeps,
): Promise<EngineResult | undefined> {
  const nowSec = deps.clock.nowSec();
  const hours = deps.config.rules.find((r) => r.id === d.ruleId)?.limits.frequencyWindowHours ?? 24;
  const earlier = await earlierEscalation(d, deps, nowSec - hours * HOUR_SEC);
  if (earlier === undefined) return undefined;
  const atSec = earlier.escalation?.atSec ?? earlier.createdAtSec;
  const reason = `not escalated again: remediation ${earlier.id} escalated the same defect at ${iso(atSec)}${delivery(earlier)}; the next repeat after ${iso(atSec + hours * HOUR_SEC)} (frequencyWindowHours ${hours}) escalates again. ${d.reason}`;
  await deps.ledger.createRemediation({ ...base, state: 'skipped', reason });
  return { ...aboutRemediation(base), eventId: d.eventId, outcome: 'skipped', reason };
}

/** The newest `ruleDefect` escalation of the same rule, resource and reason since `sinceSec`. */
async function earlierEscalation(
  d: EscalateDecision,
  deps: EngineDeps,
  sinceSec: number,
): Promise<RemediationRecord | undefined> {
  const listed = await deps.ledger.listDefectEscalations(d.ruleId, d.resource.id, sinceSec);
  return splitMalformed(listed).records.find((r) => r.reason === d.reason);
}

/** Where the earlier escalation went, for the reader of the skipped record. */
function delivery(earlier: RemediationRecord): string {
  const e = earlier.escalation;
  if (e === undefined) return '';
  const where = [
    e.snsMessageId === undefined ? 'SNS pending' : `SNS message ${e.snsMessageId}`,
    ...(e.opsItemId === undefined ? [] : [`OpsItem ${e.opsItemId}`]),
  ];
  return ` (${where.join(', ')})`;
}
