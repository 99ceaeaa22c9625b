/**
 * A synthesized app as the handler tests read it: the stack, its template's resources and the
 * validated config, and the environment the template gives each function, stubbed for a handler
 * (the sweeper's with an empty ledger behind it).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { buildApp } from '../../lib/app/build-app';
import type { AppConfig } from '../../lib/config/schema';
import type { RemediationEngine } from '../../lib/constructs/remediation-engine';
import { documentPatternsOf } from '../../lib/ssm-documents/shipped-documents';
import type { SelfhealStack } from '../../lib/stacks/selfheal-stack';
import { appWithoutBundling } from '../infra/helpers';

export interface Synthesized {
  readonly stack: SelfhealStack;
  readonly resources: Record<string, { Properties: Record<string, unknown> }>;
  readonly config: AppConfig;
}

/** Builds the app for a validated config, bundling skipped. */
export function synthesizeApp(config: AppConfig): Synthesized {
  const { stack } = buildApp(appWithoutBundling(), config);
  return { stack, resources: Template.fromStack(stack).toJSON().Resources, config };
}

/** The remediation engine of the synthesized stack; throws when its config has no remediation rules. */
export function remediationEngineOf(s: Synthesized): RemediationEngine {
  const engine = s.stack.remediation;
  if (engine === undefined) throw new Error('the config has no remediation rules: no remediation engine');
  return engine;
}

/** The template properties of the resource behind a construct's default child. */
export function propertiesOf(s: Synthesized, element: unknown): Record<string, unknown> {
  const id = Stack.of(s.stack).getLogicalId(element as CfnElement);
  const resource = s.resources[id];
  if (resource === undefined) throw new Error(`no resource ${id} in the template`);
  return resource.Properties;
}

/** The plain-string environment variables the template gives a function (tokens left out). */
export function environmentOf(
  s: Synthesized,
  fn: { readonly function: { node: { defaultChild?: unknown } } },
) {
  const p = propertiesOf(s, fn.function.node.defaultChild) as {
    Environment: { Variables: Record<string, unknown> };
  };
  const vars = Object.entries(p.Environment.Variables).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'NODE_OPTIONS',
  );
  return Object.fromEntries(vars);
}

/**
 * Writes the validated config and the document patterns where the remediation handlers look for
 * them, and stubs their environment.
 */
export function stubRemediationEnv(s: Synthesized, templateEnv: Record<string, string>): void {
  const dir = mkdtempSync(join(tmpdir(), 'selfheal-handler-env-'));
  writeFileSync(join(dir, 'selfheal-config.json'), JSON.stringify(s.config));
  const engine = s.stack.remediation;
  if (engine !== undefined) {
    // What the engine's functions bundle next to the config.
    const patterns = documentPatternsOf(engine.documents.rendered);
    writeFileSync(join(dir, 'selfheal-document-patterns.json'), JSON.stringify(patterns));
  }
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    LAMBDA_TASK_ROOT: dir,
    // Tokens in the template (resolved at deploy time); any valid value will do here.
    SELFHEAL_LEDGER_TABLE: 'SelfHeal-Ledger',
    SELFHEAL_ESCALATION_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:SelfHeal-Escalation',
    SELFHEAL_AUTOMATION_ROLE_ARN: 'arn:aws:iam::123456789012:role/SelfHeal-RemediationAutomation',
    SELFHEAL_DOCUMENT_NAMES: JSON.stringify({ 'cleanup-directory': 'SelfHeal-CleanupDirectory' }),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...templateEnv,
    POWERTOOLS_METRICS_DISABLED: 'false',
  };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  vi.resetModules();
}

/**
 * The sweeper handler, loaded fresh with the environment the template gives its function, on an
 * empty ledger: `ddb` (the test file's DynamoDB document client mock) answers every command with
 * nothing, so nothing is overdue, blocked or pending and no slot is left to reclaim.
 */
export async function sweeperOnEmptyLedger(s: Synthesized, ddb: AwsClientStub<DynamoDBDocumentClient>) {
  stubRemediationEnv(s, environmentOf(s, remediationEngineOf(s).sweeper));
  ddb.onAnyCommand().resolves({});
  return (await import('../../lambdas/remediation-sweeper/handler')).handler;
}
