/** The decision core's input and output shapes (plain data: recorded, logged and printed as is). */
import type { RemediationConfig, RemediationRule } from '../../../lib/config/remediation-schema';
import type { AlarmStateChange } from './alarm-event';
import type { EngineSettings, StartAutomationRequest } from './automation-request';
import type { GuardrailName, GuardrailSnapshot, GuardrailVerdict } from './guardrails';
import type { ResolvedResource, RuleEvaluation } from './match';
import type { UnresolvedResource } from './unresolved-resource';

/** Everything {@link decide} reads; it reads nothing else (no clock, no I/O). */
export interface DecideInput {
  readonly event: AlarmStateChange;
  /** Rules in configuration order (usually `config.rules`); the first match wins. */
  readonly rules: readonly RemediationRule[];
  readonly config: RemediationConfig;
  /** Ledger and Auto Scaling facts for the matched rule and resource (see {@link decideTarget}). */
  readonly snapshot: GuardrailSnapshot;
  /** Epoch seconds. */
  readonly nowSec: number;
  readonly engine: EngineSettings;
}

/** Facts every decision carries. */
export interface DecisionBase {
  readonly eventId: string;
  readonly alarmName: string;
  /** One line saying why this outcome. */
  readonly reason: string;
  /** How each rule was matched, up to the winner. */
  readonly ruleEvaluations: readonly RuleEvaluation[];
}

/** Facts of a decision about a matched rule and a resolved resource. */
export interface TargetedDecision extends DecisionBase {
  readonly ruleId: string;
  readonly mode: RemediationRule['mode'];
  readonly resource: ResolvedResource;
}

/** Enforce mode, every guardrail passed: send `request`, verify by `deadlineSec`. */
export interface StartDecision extends TargetedDecision {
  readonly outcome: 'start';
  readonly request: StartAutomationRequest;
  readonly guardrails: readonly GuardrailVerdict[];
  readonly deadlineSec: number;
}

/** dryRun records what would run; observe records and notifies. Neither starts anything. */
export interface RecordOnlyDecision extends TargetedDecision {
  readonly outcome: 'dryRun' | 'observe';
  readonly request: StartAutomationRequest;
  readonly guardrails: readonly GuardrailVerdict[];
  readonly blockedBy: 'mode';
  /** What enforce mode would have done, and the guardrail that would have stopped it. */
  readonly enforceWould: {
    readonly outcome: 'start' | 'escalate' | 'skip';
    readonly guardrail?: GuardrailName;
  };
}

/** A human must look: frequency limit, error budget, or a defective rule. Nothing is started. */
export interface EscalateDecision extends TargetedDecision {
  readonly outcome: 'escalate';
  readonly guardrails: readonly GuardrailVerdict[];
  readonly blockedBy?: GuardrailName;
  /** The call that was not made (absent when the rule could not even be rendered). */
  readonly request?: StartAutomationRequest;
  /** The error budget is exhausted now: the handler must freeze the rule. */
  readonly freezeRule: boolean;
  /**
   * Present when the rule could not resolve its resource from the alarm (`resource` is then a
   * stand-in of type `unresolved`): the dimension, the values found and the alarm's metrics.
   */
  readonly unresolved?: UnresolvedResource;
}

/** Nothing to do: no rule, not an ALARM transition, actions off, or a blocking guardrail. */
export interface SkipDecision extends DecisionBase {
  readonly outcome: 'skip';
  readonly ruleId?: string;
  readonly resource?: ResolvedResource;
  readonly guardrails: readonly GuardrailVerdict[];
  readonly blockedBy?: GuardrailName;
  /** The call a blocking guardrail stopped (recorded, so a blocked remediation can start later). */
  readonly request?: StartAutomationRequest;
}

/** The alarm is back to OK and a remediation is open on its resource: the verification side resolves it. */
export interface ResolveCandidateDecision extends TargetedDecision {
  readonly outcome: 'resolveCandidate';
  readonly remediationId: string;
}

/** What the engine does with one alarm event. */
export type Decision =
  | StartDecision
  | RecordOnlyDecision
  | EscalateDecision
  | SkipDecision
  | ResolveCandidateDecision;

/** Decision outcomes. */
export type DecisionOutcome = Decision['outcome'];
