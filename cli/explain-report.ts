import type {
  AlarmStateChange,
  Decision,
  GuardrailVerdict,
  RuleEvaluation,
  StartAutomationRequest,
} from '../lambdas/core/remediation';
import { printable, printableLines } from './printable';

/** The one line for an event the engine does not act on (its message quotes the event's source). */
export function otherKindLine(path: string, message: string): string {
  return printable(`${path}: ${message}; nothing would happen`);
}

/**
 * Renders a decision for people: event, rule, resource, guardrails in order, outcome, SSM call.
 * An event file is untrusted input (pasted from a ticket, another account's bus) and its strings
 * reach most lines, so every line is shown {@link printable}.
 */
export function formatDecision(event: AlarmStateChange, d: Decision, configLabel: string): string {
  const lines = [
    `event:     ${event.alarmType === 'composite' ? 'composite' : 'metric'} alarm "${event.alarmName}" ${event.previousState.value} → ${event.state.value} at ${event.time} (event ${event.eventId})`,
    `config:    ${configLabel}`,
    ...ruleLines(d),
  ];
  if ('resource' in d && d.resource !== undefined) lines.push(resourceLine(d, d.resource));
  if ('guardrails' in d && d.guardrails.length > 0) {
    lines.push(
      'guardrails (first occurrence: empty ledger, nothing in progress):',
      ...guardrailLines(d.guardrails),
    );
  }
  lines.push(`outcome:   ${d.outcome}: ${d.reason}`);
  lines.push(...callLines(d));
  return printableLines(lines);
}

/** The resource acted on, or for one the alarm does not name, what it had and the stand-in id. */
function resourceLine(d: Decision, resource: { readonly type: string; readonly id: string }): string {
  if (d.outcome !== 'escalate' || d.unresolved === undefined)
    return `resource:  ${resource.type} ${resource.id}`;
  const { dimension, values } = d.unresolved;
  const had = values.length === 0 ? 'no value' : `${values.length} values (${values.join(', ')})`;
  return `resource:  unresolved: dimension ${dimension} has ${had} in the alarm; recorded as ${resource.id}`;
}

function ruleLines(d: Decision): string[] {
  const winner = d.ruleEvaluations.find((e) => e.matched);
  if (winner !== undefined) {
    const mode = 'mode' in d ? ` (mode ${d.mode})` : '';
    const before = d.ruleEvaluations.filter((e) => !e.matched).map(evaluationLine);
    return [`rule:      ${winner.ruleId}${mode}: ${winner.reason}`, ...before];
  }
  if (d.ruleEvaluations.length === 0) return [];
  return ['rule:      none matched', ...d.ruleEvaluations.map(evaluationLine)];
}

function evaluationLine(e: RuleEvaluation): string {
  return `           - ${e.ruleId}: ${e.reason}`;
}

function guardrailLines(verdicts: readonly GuardrailVerdict[]): string[] {
  const width = Math.max(...verdicts.map((v) => v.guardrail.length));
  return verdicts.map(
    (v, i) => `  ${i + 1}. ${v.guardrail.padEnd(width)}  ${v.outcome.padEnd(8)}  ${v.reason}`,
  );
}

function callLines(d: Decision): string[] {
  switch (d.outcome) {
    case 'start':
      return ['SSM call (StartAutomationExecution):', ...requestLines(d.request)];
    case 'dryRun':
    case 'observe': {
      const would = d.enforceWould;
      const enforce =
        would.guardrail === undefined
          ? 'in enforce mode every guardrail passes and this call would be sent'
          : `in enforce mode ${would.guardrail} would ${would.outcome === 'escalate' ? 'escalate' : 'stop it'}`;
      return [
        `SSM call it would make (not sent in ${d.outcome} mode; ${enforce}):`,
        ...requestLines(d.request),
      ];
    }
    case 'escalate':
      return d.request === undefined
        ? ['no SSM call: a human is notified instead']
        : ['no SSM call: a human is notified instead of this call:', ...requestLines(d.request)];
    default:
      return ['no SSM call'];
  }
}

function requestLines(r: StartAutomationRequest): string[] {
  return [
    `  DocumentName: ${r.DocumentName}`,
    '  Parameters:',
    ...Object.entries(r.Parameters).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`),
    `  ClientToken: ${r.ClientToken}`,
    `  Tags: ${r.Tags.map((t) => `${t.Key}=${t.Value}`).join(', ')}`,
  ];
}
