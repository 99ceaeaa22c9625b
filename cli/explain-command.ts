import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type AlarmStateChange,
  type Decision,
  decide,
  EMPTY_SNAPSHOT,
  type EngineSettings,
  isRejection,
  parseEvent,
} from '../lambdas/core/remediation';
import type { DocumentPatterns } from '../lib/config/document-patterns';
import { ConfigError, parseAppConfig } from '../lib/config/parse';
import { SHIPPED_DOCUMENTS } from '../lib/config/remediation-schema';
import type { AppConfig } from '../lib/config/schema';
import { checkAllRuleParameters, INVALID_RULE_PARAMETERS } from '../lib/ssm-documents/check-rule-parameters';
import { checkCleanupPrefixes } from '../lib/ssm-documents/cleanup-path-pattern';
import { documentPatternsOf, renderShippedDocuments } from '../lib/ssm-documents/shipped-documents';
import { parseFlags, pathFlag } from './args';
import { CliUsageError } from './errors';
import { formatDecision, otherKindLine } from './explain-report';
import { EXPLAIN_HELP } from './help';
import type { CliIo } from './io';
import { parseJsonText } from './json-text';
import { readTextSource, type TextSource } from './text-source';

/** Used when neither `--config` nor the entry point gives a configuration path. */
export const FALLBACK_CONFIG_PATH = 'config/example.json';

/**
 * Runs `selfheal explain`: parses an EventBridge event file, matches it against the configured
 * rules and prints what the engine would do on its first occurrence (empty ledger), without AWS.
 * Another kind of event prints one line and exits 0; an invalid file or config exits 2.
 */
export async function explainCommand(args: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags('explain', args, {
    event: { type: 'string' },
    config: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help === true) {
    io.stdout(EXPLAIN_HELP);
    return 0;
  }
  const eventPath = pathFlag(flags, 'event');
  if (eventPath === undefined) throw new CliUsageError('explain needs --event FILE.json');
  const json = flags.json === true;

  const configFlag = pathFlag(flags, 'config');
  if (eventPath === '-' && configFlag === '-') {
    throw new CliUsageError('--event and --config cannot both read standard input (-)');
  }

  const event = await readTextSource(io, eventPath, 'JSON');
  const parsed = parseEvent(parseJsonText(event.label, event.text));
  if (isRejection(parsed) && parsed.reason === 'invalid') {
    throw new CliUsageError(`${event.label}: not a valid event: ${parsed.message}`);
  }
  // Read even when the event needs no rules, so a mistyped or broken --config is never passed over.
  const configPath = configFlag ?? io.defaultConfigPath ?? FALLBACK_CONFIG_PATH;
  const configSource = await readTextSource(io, configPath, 'JSON');
  const configLabel = configFlag === undefined ? `${basename(configPath)} (default)` : configSource.label;
  const config = loadConfig(configSource);
  if (isRejection(parsed)) {
    io.stdout(json ? toJson(parsed) : `${otherKindLine(event.label, parsed.message)}\n`);
    return 0;
  }
  if (parsed.kind === 'automationStatusChange') {
    const message = `an EC2 Automation Execution Status-change Notification from aws.ssm (execution ${parsed.executionId} of ${parsed.documentName}, status ${parsed.status}): read by the verification side, not an alarm state change`;
    io.stdout(
      json
        ? toJson({ kind: 'rejected', reason: 'otherKind', message })
        : `${otherKindLine(event.label, message)}\n`,
    );
    return 0;
  }

  const patterns = documentPatterns(config, configSource.label, io.shippedDocumentsDir);
  const decision = explainDecision(parsed, config, patterns);
  io.stdout(json ? toJson(decision) : formatDecision(parsed, decision, configLabel));
  return 0;
}

/**
 * The decision on an empty ledger (first occurrence) at the event's own time. Deployed names
 * follow the stack: shipped documents are `<stackName>-<key>`; the role ARN exists only once
 * deployed, so a placeholder names it. `documentPatterns` are the shipped documents' parameter
 * patterns as the stack would bundle them for the engine. An instance's Auto Scaling group is
 * not read, so its blastRadius verdict says so ({@link groupNotRead}).
 */
export function explainDecision(
  event: AlarmStateChange,
  config: AppConfig,
  documentPatterns: DocumentPatterns,
): Decision {
  const engine: EngineSettings = {
    // The stack's account and Region are not known here: the event is explained as one of them.
    home: { account: event.account, region: event.region },
    automationRoleArn: `<automation role of stack ${config.stackName}>`,
    documentNames: Object.fromEntries(SHIPPED_DOCUMENTS.map((key) => [key, `${config.stackName}-${key}`])),
    documentPatterns,
  };
  const decision = decide({
    event,
    rules: config.remediation.rules,
    config: config.remediation,
    snapshot: EMPTY_SNAPSHOT,
    nowSec: Math.floor(Date.parse(event.time) / 1000),
    engine,
  });
  return groupNotRead(decision, config);
}

/**
 * `decision` with the blastRadius verdict of an instance saying what explain knows. The engine
 * reads the group an instance belongs to (DescribeAutoScalingInstances) and counts its slots;
 * explain has no AWS access, so the empty snapshot's "resource is not in an Auto Scaling group"
 * would be a guess stated as fact. The verdict itself holds either way: with nothing under
 * remediation, a group's first remediation fits its cap (`groupSlotCap`: at least 1).
 */
function groupNotRead(decision: Decision, config: AppConfig): Decision {
  if (!('guardrails' in decision) || decision.resource?.type !== 'instance') return decision;
  const rule = config.remediation.rules.find((r) => r.id === decision.ruleId);
  if (rule === undefined) return decision;
  const reason = `whether ${decision.resource.id} is in an Auto Scaling group is not read offline; either way a first remediation passes (in a group: at most ${rule.limits.blastRadiusPercent} % of its in-service instances at once, at least 1)`;
  const guardrails = decision.guardrails.map((v) =>
    v.guardrail === 'blastRadius' && v.outcome === 'pass' ? { ...v, reason } : v,
  );
  return { ...decision, guardrails };
}

/**
 * Renders the shipped documents from their YAML for the config's cleanup prefixes, as the synth
 * does, and checks every rule's parameters against them. What fails the synth (a prefix the
 * cleanup document cannot be rendered with; a rule parameter the document does not declare, lacks
 * or rejects) is the configuration's problem here too, with the synth's words: explain never
 * shows a decision for a configuration that cannot be deployed.
 */
function documentPatterns(config: AppConfig, label: string, dir: string | undefined): DocumentPatterns {
  const { cleanupAllowedPathPrefixes } = config.remediation;
  // Without a directory (tsx, tests) the documents are found next to their loader module.
  const directory = dir === undefined ? undefined : pathToFileURL(dir.endsWith('/') ? dir : `${dir}/`);
  try {
    checkCleanupPrefixes(cleanupAllowedPathPrefixes);
  } catch (err) {
    throw new CliUsageError(
      `${label}: invalid configuration: remediation.${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const rendered = renderShippedDocuments({
    cleanupAllowedPathPrefixes,
    ...(directory === undefined ? {} : { directory }),
  });
  const problems = checkAllRuleParameters(config.remediation.rules, rendered);
  if (problems.length > 0) {
    throw new CliUsageError(
      `${label}: invalid configuration: ${INVALID_RULE_PARAMETERS}: ${problems.join('; ')}`,
    );
  }
  return documentPatternsOf(rendered);
}

function loadConfig(source: TextSource): AppConfig {
  try {
    return parseAppConfig(parseJsonText(source.label, source.text), source.label);
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new CliUsageError(`${source.label}: invalid configuration: ${err.problems.join('; ')}`);
    }
    throw err;
  }
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
