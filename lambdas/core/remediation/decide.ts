/**
 * The pure decision core: one alarm event in, one {@link Decision} out.
 *
 * 1. OK → `resolveCandidate` when a remediation is open on the rule's resource, else `skip`.
 *    INSUFFICIENT_DATA, or ALARM → ALARM (no transition) → `skip`.
 * 2. Match the first rule (see ./match), resolve its resource, render its parameters: no rule →
 *    `skip`; an ALARM whose actions CloudWatch has off, muted by an alarm mute rule or suppressed
 *    by a composite alarm's actions suppressor (./actions-off) → `skip` in every mode, naming the
 *    mute rule or the suppression; a matched ALARM with no resource (the dimension missing or
 *    empty, or metrics naming several values of it) → `escalate` as a rule defect, in every mode
 *    (./unresolved-resource; an OK stays a `skip`); a rule that cannot be rendered (an unknown
 *    variable, or a parameter's dimension missing or empty in the alarm) → `escalate`; a
 *    resolved value its shipped document's allowedPattern rejects (./parameter-patterns) →
 *    `escalate` with the call that was not made, in every mode.
 * 3. Evaluate every guardrail in the fixed order of ./guardrails; the first that does not pass
 *    decides (a lock that lapses gives way to a later escalation: `decidingVerdict`):
 *    duplicateEvent → `skip`; mode → `dryRun` / `observe`; another block → `skip`; escalate →
 *    `escalate`. All pass → `start`, with the exact StartAutomationExecution input.
 */
import type { RemediationRule } from '../../../lib/config/remediation-schema';
import { actionsOffReason } from './actions-off';
import type { AlarmStateChange } from './alarm-event';
import { buildStartRequest } from './automation-request';
import type { DecideInput, Decision, DecisionBase } from './decision';
import { decidingVerdict, evaluateGuardrails, type GuardrailVerdict } from './guardrails';
import { matchRule, type ResolvedResource, type RuleEvaluation, resolveResource } from './match';
import { rejectedParameter } from './parameter-patterns';
import { renderParameters } from './template';
import { unresolvedEscalation } from './unresolved-resource';

/** The matched rule and resource, or why there is none. */
export type DecideTarget =
  | {
      readonly ok: true;
      readonly rule: RemediationRule;
      readonly resource: ResolvedResource;
      readonly evaluations: readonly RuleEvaluation[];
    }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly ruleId?: string;
      readonly evaluations: readonly RuleEvaluation[];
      /** A rule matched but its resource could not be resolved: the rule and what the alarm had. */
      readonly unresolved?: {
        readonly rule: RemediationRule;
        readonly dimension: string;
        readonly values: readonly string[];
      };
    };

/**
 * The rule and resource an event concerns: the handler calls this first to know which ledger
 * entries and Auto Scaling group to read for the {@link GuardrailSnapshot}, then {@link decide}.
 */
export function decideTarget(event: AlarmStateChange, rules: readonly RemediationRule[]): DecideTarget {
  const match = matchRule(event, rules);
  if (match.rule === undefined) {
    return {
      ok: false,
      reason: `no rule matches alarm "${event.alarmName}"`,
      evaluations: match.evaluations,
    };
  }
  const resolved = resolveResource(match.rule, event, match.metrics);
  if (!resolved.ok) {
    const { dimension, values } = resolved;
    return {
      ok: false,
      reason: resolved.reason,
      ruleId: match.rule.id,
      evaluations: match.evaluations,
      unresolved: { rule: match.rule, dimension, values },
    };
  }
  return { ok: true, rule: match.rule, resource: resolved.resource, evaluations: match.evaluations };
}

/** Decides what to do with one alarm state change. Pure and deterministic. */
export function decide(input: DecideInput): Decision {
  const { event, snapshot } = input;
  const base = { eventId: event.eventId, alarmName: event.alarmName };
  const transition = `${event.previousState.value} → ${event.state.value}`;
  if (
    event.state.value === 'INSUFFICIENT_DATA' ||
    (event.state.value === 'ALARM' && event.previousState.value === 'ALARM')
  ) {
    return skip({ ...base, ruleEvaluations: [], reason: `${transition} is not a transition to ALARM or OK` });
  }
  const target = decideTarget(event, input.rules);
  if (!target.ok) {
    const found = target.unresolved;
    if (found !== undefined && event.state.value === 'ALARM') {
      const matched = { ...base, ruleEvaluations: target.evaluations, reason: target.reason };
      // Muted: no escalation either, as for a resolved resource.
      const off = actionsOffReason(event);
      if (off !== undefined) return skip({ ...matched, ruleId: found.rule.id, reason: off });
      return unresolvedEscalation(matched, event, found.rule, found);
    }
    return skip({
      ...base,
      ruleEvaluations: target.evaluations,
      reason: target.reason,
      ...(target.ruleId === undefined ? {} : { ruleId: target.ruleId }),
    });
  }
  const { rule, resource } = target;
  const targeted = {
    ...base,
    ruleEvaluations: target.evaluations,
    ruleId: rule.id,
    mode: rule.mode,
    resource,
  };
  if (event.state.value === 'OK') {
    const open = snapshot.activeRemediationOnResource;
    return open === undefined
      ? skip({
          ...targeted,
          reason: `alarm back to OK (${transition}); no remediation open on ${resource.id}`,
        })
      : {
          ...targeted,
          outcome: 'resolveCandidate',
          remediationId: open.remediationId,
          reason: `alarm back to OK; remediation ${open.remediationId} on ${resource.id} may be resolved`,
        };
  }
  // Before rendering and guardrails: a muted alarm neither starts, records a dry run, notifies
  // (observe) nor escalates a defective rule, as none of its other actions run either.
  const off = actionsOffReason(event);
  if (off !== undefined) return skip({ ...targeted, reason: off });
  return decideAlarm(input, rule, resource, targeted);
}

function decideAlarm(
  input: DecideInput,
  rule: RemediationRule,
  resource: ResolvedResource,
  targeted: Omit<
    Extract<Decision, { outcome: 'escalate' }>,
    'outcome' | 'guardrails' | 'freezeRule' | 'reason'
  >,
): Decision {
  const { event, snapshot } = input;
  const rendered = renderParameters(rule.parameters, {
    resourceId: resource.id,
    alarmName: event.alarmName,
    region: event.region,
    account: event.account,
    dimensions: resource.dimensions,
  });
  if (!rendered.ok) {
    if (snapshot.eventAlreadySeen)
      return skip({ ...targeted, reason: `event ${event.eventId} was already processed` });
    // A parameter's dimension missing or empty in this alarm, like an unknown variable, is a rule
    // that cannot be applied: a human must look at alarm or rule (repeats are kept quiet:
    // ./engine-defect-repeat), never a silent skip.
    return {
      ...targeted,
      outcome: 'escalate',
      guardrails: [],
      freezeRule: false,
      reason:
        rendered.problem === 'missingDimension'
          ? `rule ${rule.id} cannot be applied to this alarm: ${rendered.reason}`
          : `rule ${rule.id} cannot be rendered: ${rendered.reason}`,
    };
  }
  const request = buildStartRequest({
    rule,
    settings: input.engine,
    eventId: event.eventId,
    resourceId: resource.id,
    parameters: rendered.parameters,
  });
  const rejected = rejectedParameter(rule, rendered.parameters, input.engine.documentPatterns);
  if (rejected !== undefined) {
    if (snapshot.eventAlreadySeen)
      return skip({ ...targeted, reason: `event ${event.eventId} was already processed` });
    // Before the guardrails: no later alarm or timeout makes this value acceptable, so it is
    // never recorded as blocked for the sweeper to start; a human must look at alarm or rule.
    return {
      ...targeted,
      outcome: 'escalate',
      request,
      guardrails: [],
      freezeRule: false,
      reason: `rule ${rule.id} cannot be applied to this alarm: ${rejected}`,
    };
  }
  const guardrails = evaluateGuardrails({
    eventId: event.eventId,
    rule,
    config: input.config,
    snapshot,
    nowSec: input.nowSec,
    resourceId: resource.id,
    parameters: rendered.parameters,
    documentNames: input.engine.documentNames,
  });
  const first = decidingVerdict(guardrails, snapshot);
  if (first === undefined) {
    return {
      ...targeted,
      outcome: 'start',
      request,
      guardrails,
      deadlineSec: input.nowSec + rule.verificationTimeoutSec,
      reason: `every guardrail passed: start ${request.DocumentName} on ${resource.id}`,
    };
  }
  if (first.guardrail === 'duplicateEvent')
    return skip({ ...targeted, guardrails, blockedBy: first.guardrail, reason: first.reason });
  if (first.guardrail === 'mode' && rule.mode !== 'enforce') {
    const later = decidingVerdict(
      guardrails.filter((g) => g.guardrail !== 'mode'),
      snapshot,
    );
    const enforceWould =
      later === undefined
        ? { outcome: 'start' as const }
        : {
            outcome: later.outcome === 'escalate' ? ('escalate' as const) : ('skip' as const),
            guardrail: later.guardrail,
          };
    return {
      ...targeted,
      outcome: rule.mode,
      request,
      guardrails,
      blockedBy: 'mode',
      enforceWould,
      reason: first.reason,
    };
  }
  return first.outcome === 'escalate'
    ? {
        ...targeted,
        outcome: 'escalate',
        request,
        guardrails,
        blockedBy: first.guardrail,
        freezeRule: first.guardrail === 'errorBudget' && !snapshot.ruleFrozen,
        reason: first.reason,
      }
    : skip({ ...targeted, guardrails, blockedBy: first.guardrail, reason: first.reason, request });
}

function skip(
  d: DecisionBase & { guardrails?: readonly GuardrailVerdict[] } & Partial<
      Pick<Extract<Decision, { outcome: 'skip' }>, 'ruleId' | 'resource' | 'blockedBy' | 'request'>
    >,
): Decision {
  return { ...d, guardrails: d.guardrails ?? [], outcome: 'skip' };
}
