/**
 * A rule defect seen again: a value a shipped document's allowedPattern rejects (or a rule that
 * cannot be rendered) escalates as `ruleDefect` before any guardrail, so a flapping alarm with a
 * bad dimension would send an SNS message on every ALARM transition. The first is escalated; a
 * repeat of the same defect (same rule, resource and reason, so the same parameter, value and
 * pattern) within the rule's frequency window is recorded `skipped`, its reason naming the
 * earlier escalation; after the window it is escalated again, as a reminder. A different value
 * or resource is news and escalates.
 *
 * The earlier escalation is looked up in the newest {@link DEFECT_HISTORY_LIMIT} records (the
 * ledger's HISTORY index; what the escalation's own list of actions reads anyway): one older than
 * that escalates again, which errs on the loud side. Two deliveries deciding the same defect at
 * the same moment may both escalate (the OpsItem is deduplicated).
 */
import type { EscalateDecision } from './decision';
import type { EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import { splitMalformed } from './ledger-errors';
import type { NewRemediation, RemediationRecord } from './ledger-records';

/** How many of the newest records the lookup reads. */
export const DEFECT_HISTORY_LIMIT = 200;

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
  // An item that cannot be read is left out: at worst the defect is escalated again.
  const { records } = splitMalformed(await deps.ledger.readHistory(DEFECT_HISTORY_LIMIT));
  return records.find(
    (r) =>
      r.state === 'escalated' &&
      r.escalation?.kind === 'ruleDefect' &&
      r.ruleId === d.ruleId &&
      r.resourceId === d.resource.id &&
      r.reason === d.reason &&
      r.createdAtSec >= sinceSec,
  );
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
