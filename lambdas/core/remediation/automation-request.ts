/**
 * The exact StartAutomationExecution input the engine sends, in the API's own field names, so
 * the handler passes it to the SDK unchanged and `explain` prints what would really be sent.
 */
import { createHash } from 'node:crypto';
import type { DocumentPatterns } from '../../../lib/config/document-patterns';
import type { RemediationRule } from '../../../lib/config/remediation-schema';
import type { HomeRegion } from './alarm-identity';

/** The subset of StartAutomationExecutionRequest the engine uses. */
export interface StartAutomationRequest {
  readonly DocumentName: string;
  readonly Parameters: Readonly<Record<string, readonly string[]>>;
  /** UUID derived from the event id: a redelivered event cannot start a second execution. */
  readonly ClientToken: string;
  readonly Tags: readonly { readonly Key: string; readonly Value: string }[];
}

/** Where shipped documents live and which role Automation assumes. */
export interface EngineSettings {
  /** The account and Region the engine runs in: it acts on their alarms only (./alarm-identity). */
  readonly home: HomeRegion;
  /** Role passed as AutomationAssumeRole (the only role the engine may pass). */
  readonly automationRoleArn: string;
  /** Deployed document name per shipped document key, e.g. `cleanup-directory` → `SelfHeal-cleanup-directory`. */
  readonly documentNames: Readonly<Record<string, string>>;
  /**
   * Each shipped document's parameter patterns, as deployed: resolved values they reject are
   * never sent (./parameter-patterns).
   */
  readonly documentPatterns: DocumentPatterns;
}

/**
 * A deterministic, UUID-shaped token (RFC 4122 layout, version 5 style over SHA-256) from the
 * event id: SSM treats a reused token as the same request, so retries stay idempotent.
 */
export function clientTokenFor(eventId: string): string {
  const hex = createHash('sha256').update(`selfheal:remediation:${eventId}`).digest('hex').slice(0, 32);
  const version = `5${hex.slice(13, 16)}`;
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}-${variant}-${hex.slice(20, 32)}`;
}

/** The document name SSM knows: the deployed name of a shipped one, or the AWS-owned name. */
export function documentNameFor(rule: RemediationRule, settings: EngineSettings): string | undefined {
  return 'aws' in rule.document ? rule.document.aws : settings.documentNames[rule.document.shipped];
}

// SSM tag values allow letters, digits, spaces and _ . : / = + - @ only.
const tagValue = (v: string) => v.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256);

/** Builds the request; AutomationAssumeRole always comes from the engine, never from the rule. */
export function buildStartRequest(args: {
  readonly rule: RemediationRule;
  readonly settings: EngineSettings;
  readonly eventId: string;
  readonly resourceId: string;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
}): StartAutomationRequest {
  const { rule, settings, eventId, resourceId, parameters } = args;
  const documentName =
    documentNameFor(rule, settings) ?? `(shipped document ${describeShipped(rule)} not deployed)`;
  return {
    DocumentName: documentName,
    Parameters: { ...parameters, AutomationAssumeRole: [settings.automationRoleArn] },
    ClientToken: clientTokenFor(eventId),
    Tags: [
      { Key: 'selfheal:rule', Value: tagValue(rule.id) },
      { Key: 'selfheal:resource', Value: tagValue(resourceId) },
      { Key: 'selfheal:event', Value: tagValue(eventId) },
    ],
  };
}

function describeShipped(rule: RemediationRule): string {
  return 'shipped' in rule.document ? rule.document.shipped : '';
}
