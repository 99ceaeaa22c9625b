import type { RemediationRule, ShippedDocument, SupportedAwsDocument } from '../config/remediation-schema';
import { checkAllRuleParameters, INVALID_RULE_PARAMETERS } from '../ssm-documents/check-rule-parameters';
import type { RenderedDocument } from '../ssm-documents/shipped-documents';

/** The documents the engine may start: those of rules in `enforce` mode. */
export interface EnforcedDocuments {
  readonly shipped: ShippedDocument[];
  readonly aws: SupportedAwsDocument[];
}

/**
 * Checks every rule's parameters against its shipped document (all modes: a dry run should
 * record a call that would work) and returns the documents of `enforce` rules, deduplicated.
 * `observe` and `dryRun` rules start nothing, so they grant nothing.
 *
 * @throws Error listing every parameter problem of every rule
 */
export function enforcedDocuments(
  rules: readonly RemediationRule[],
  rendered: Readonly<Record<ShippedDocument, RenderedDocument>>,
): EnforcedDocuments {
  const problems = checkAllRuleParameters(rules, rendered);
  if (problems.length > 0) {
    throw new Error(`${INVALID_RULE_PARAMETERS}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const shipped = new Set<ShippedDocument>();
  const aws = new Set<SupportedAwsDocument>();
  for (const rule of rules) {
    if (rule.mode !== 'enforce') continue;
    if ('shipped' in rule.document) shipped.add(rule.document.shipped);
    else aws.add(rule.document.aws);
  }
  return { shipped: [...shipped], aws: [...aws] };
}
