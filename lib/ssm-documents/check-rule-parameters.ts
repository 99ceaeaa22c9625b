import { allowedPatternRegExp } from '../config/document-patterns';
import type { RemediationRule, ShippedDocument } from '../config/remediation-schema';
import { ASSUME_ROLE_PARAMETER, type RenderedDocument } from './shipped-documents';

/** What the synth and `selfheal explain` say before the list of parameter problems. */
export const INVALID_RULE_PARAMETERS = 'invalid remediation rule parameters';

/**
 * Every rule's parameter problems against the shipped document it starts ({@link
 * checkRuleParameters}), in every mode (a dry run should record a call that would work once
 * enforced). The one check the synth and `selfheal explain` both refuse a configuration on, so a
 * configuration explain accepts is one the synth accepts. AWS-owned documents are not checked.
 *
 * @returns the problems of all rules, one line each (empty when every rule is fine)
 */
export function checkAllRuleParameters(
  rules: readonly RemediationRule[],
  rendered: Readonly<Record<ShippedDocument, RenderedDocument>>,
): string[] {
  return rules.flatMap((rule) =>
    'shipped' in rule.document ? checkRuleParameters(rule, rendered[rule.document.shipped]) : [],
  );
}

/** Template values (`{{resourceId}}`, …) are filled in at run time and cannot be checked here. */
const TEMPLATE = /\{\{[^}]*\}\}/;

/**
 * Checks a rule's parameters against the shipped document it starts, at synth time: every
 * parameter exists in the document (and is not AutomationAssumeRole, which the engine sets),
 * every required one is given, and each literal value matches the parameter's allowedPattern,
 * so a rule that SSM would reject at run time fails the synth instead.
 *
 * @returns the problems found, one line each (empty when the rule is fine)
 */
export function checkRuleParameters(rule: RemediationRule, doc: RenderedDocument): string[] {
  const problems: string[] = [];
  const where = `rule ${rule.id} (document ${doc.key})`;
  for (const [name, value] of Object.entries(rule.parameters)) {
    const spec = doc.parameters[name];
    if (name === ASSUME_ROLE_PARAMETER) {
      problems.push(`${where}: remove parameter ${name}; the engine sets it to its automation role`);
    } else if (spec === undefined) {
      const known = Object.keys(doc.parameters).filter((p) => p !== ASSUME_ROLE_PARAMETER);
      problems.push(`${where}: unknown parameter ${name}; the document takes ${known.join(', ')}`);
    } else {
      const pattern = allowedPatternRegExp(spec.allowedPattern);
      for (const item of [value].flat()) {
        if (!TEMPLATE.test(item) && !pattern.test(item)) {
          problems.push(
            `${where}: parameter ${name} received ${JSON.stringify(item)}, which the document's allowedPattern ${spec.allowedPattern} rejects`,
          );
        }
      }
    }
  }
  for (const [name, spec] of Object.entries(doc.parameters)) {
    if (name !== ASSUME_ROLE_PARAMETER && !spec.hasDefault && !(name in rule.parameters)) {
      problems.push(`${where}: missing parameter ${name} (required by the document)`);
    }
  }
  return problems;
}
