/**
 * The values a rule's parameters resolved to for one alarm, checked against the shipped
 * document's `allowedPattern`s before anything is started. The synth checks a rule's literal
 * values against the same patterns (lib/ssm-documents/check-rule-parameters.ts); a templated
 * value (`{{resourceId}}`, `{{dimension:InstanceId}}`, …) is known only now. SSM would refuse a
 * value its pattern rejects; refusing it here keeps an alarm-supplied value such as
 * `i-0abc; rm -rf /` out of the call altogether and tells a human which value and why.
 *
 * AWS-owned documents (e.g. `AWS-RestartEC2Instance`) are not checked: their published reference
 * (the Systems Manager Automation runbook reference) gives only parameter types (`InstanceId`:
 * StringList, `AutomationAssumeRole`: String) and no allowedPattern, and every value the engine
 * renders is a string, which both types take. SSM validates them when the start is requested; a
 * refusal is escalated as a failed start.
 */
import { allowedPatternRegExp, type DocumentPatterns } from '../../../lib/config/document-patterns';
import type { RemediationRule } from '../../../lib/config/remediation-schema';

/**
 * The first resolved value of a shipped document's parameter that its allowedPattern rejects (a
 * parameter the document does not declare is rejected too), as one line naming the parameter,
 * the value, the pattern and the document; `undefined` when every value passes or the document
 * is AWS-owned. Checks the rule's parameters only: `AutomationAssumeRole` is the engine's own.
 */
export function rejectedParameter(
  rule: RemediationRule,
  parameters: Readonly<Record<string, readonly string[]>>,
  patterns: DocumentPatterns,
): string | undefined {
  if (!('shipped' in rule.document)) return undefined;
  const key = rule.document.shipped;
  const declared = patterns[key];
  const checks = compiled(declared);
  for (const [name, values] of Object.entries(parameters)) {
    // The engine sends its own role in its place, whatever a rule says (the synth refuses it too).
    if (name === 'AutomationAssumeRole') continue;
    const check = checks.get(name);
    if (check === undefined) {
      const known = Object.keys(declared).filter((p) => p !== 'AutomationAssumeRole');
      return `parameters.${name}: shipped document ${key} declares no such parameter (it takes ${known.join(', ')}); nothing is started`;
    }
    const value = values.find((v) => !check.allowed.test(v));
    if (value !== undefined) {
      return `parameters.${name}: resolved to ${JSON.stringify(value)}, which the allowedPattern ${check.pattern} of shipped document ${key} rejects (SSM would refuse it); nothing is started`;
    }
  }
  return undefined;
}

/** A parameter's allowedPattern as written, and compiled to test a whole value. */
interface ParameterCheck {
  readonly pattern: string;
  readonly allowed: RegExp;
}

/**
 * Each shipped document's patterns, compiled once per loaded pattern set (the handler loads one at
 * cold start) and reused by every event after; keyed by the set's own objects, so a new set is
 * compiled afresh. The RegExps have no `g` or `y` flag, so `test` keeps no state between uses.
 */
const compiledByDocument = new WeakMap<
  Readonly<Record<string, string>>,
  ReadonlyMap<string, ParameterCheck>
>();

/** A document's parameter name → its check, compiled on first use. */
function compiled(declared: Readonly<Record<string, string>>): ReadonlyMap<string, ParameterCheck> {
  const done = compiledByDocument.get(declared);
  if (done !== undefined) return done;
  const checks = new Map(
    Object.entries(declared).map(([name, pattern]) => [
      name,
      { pattern, allowed: allowedPatternRegExp(pattern) },
    ]),
  );
  compiledByDocument.set(declared, checks);
  return checks;
}
