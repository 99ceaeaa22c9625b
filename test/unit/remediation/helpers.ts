import { readFileSync } from 'node:fs';
import {
  type AlarmStateChange,
  type DecideInput,
  EMPTY_SNAPSHOT,
  type EngineSettings,
  parseEvent,
} from '../../../lambdas/core/remediation';
import { remediationSchema } from '../../../lib/config/remediation-schema';
import { shippedDocumentPatterns } from '../../../lib/ssm-documents/shipped-documents';

/** The prefixes {@link configWith} allows the cleanup document. */
const CLEANUP_PREFIXES = ['/var/log/app/', '/tmp/'];

/** Raw fixture from test/fixtures/events. */
export function rawFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/events/${name}`, import.meta.url), 'utf8'));
}

/** A fixture that must parse as an alarm state change. */
export function alarmFixture(name: string): AlarmStateChange {
  const parsed = parseEvent(rawFixture(name));
  if (parsed.kind !== 'alarmStateChange')
    throw new Error(`${name} is not an alarm: ${JSON.stringify(parsed)}`);
  return parsed;
}

export const ENGINE: EngineSettings = {
  // The account and Region of the AWS sample alarm events (test/fixtures/events).
  home: { account: '123456789012', region: 'us-east-1' },
  automationRoleArn: 'arn:aws:iam::123456789012:role/SelfHeal-RemediationAutomation',
  documentNames: {
    'cleanup-directory': 'SelfHeal-CleanupDirectory',
    'restart-service': 'SelfHeal-RestartService',
    'replace-unhealthy-instance': 'SelfHeal-ReplaceUnhealthyInstance',
  },
  // Rendered from the shipped YAML for the same prefixes, as the synth bundles them.
  documentPatterns: shippedDocumentPatterns({ cleanupAllowedPathPrefixes: CLEANUP_PREFIXES }),
};

/** 2026-11-27T03:13:00Z, just after the example disk-full alarm. */
export const NOW_SEC = Date.UTC(2026, 10, 27, 3, 13) / 1000;

/** The disk-full rule of config/example.json, in enforce mode unless patched. */
export const DISK_RULE = {
  id: 'disk-full-cleanup',
  match: { alarmNamePattern: 'disk-full-*', namespace: 'CWAgent', metricName: 'disk_used_percent' },
  resource: { from: 'dimension', dimension: 'InstanceId' },
  document: { shipped: 'cleanup-directory' },
  parameters: { InstanceId: '{{resourceId}}', Directory: '/var/log/app/', OlderThanDays: '7' },
  mode: 'enforce',
};

/** Validated remediation config from raw rules (defaults filled like the real loader). */
export function configWith(rules: readonly object[], extra: object = {}) {
  return remediationSchema.parse({ cleanupAllowedPathPrefixes: CLEANUP_PREFIXES, ...extra, rules });
}

/** A decide() input for the example disk-full alarm, with overridable parts. */
export function diskInput(patch: Partial<DecideInput> = {}, rulePatch: object = {}): DecideInput {
  const config = configWith([{ ...DISK_RULE, ...rulePatch }]);
  return {
    event: alarmFixture('example-disk-full-alarm.json'),
    rules: config.rules,
    config,
    snapshot: EMPTY_SNAPSHOT,
    nowSec: NOW_SEC,
    engine: ENGINE,
    ...patch,
  };
}
