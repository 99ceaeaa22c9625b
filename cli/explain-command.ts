import { basename } from 'node:path';
import {
  type AlarmStateChange,
  type Decision,
  decide,
  EMPTY_SNAPSHOT,
  type EngineSettings,
  isRejection,
  parseEvent,
} from '../lambdas/core/remediation';
import { ConfigError, parseAppConfig } from '../lib/config/parse';
import { SHIPPED_DOCUMENTS } from '../lib/config/remediation-schema';
import type { AppConfig } from '../lib/config/schema';
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

  const decision = explainDecision(parsed, config);
  io.stdout(json ? toJson(decision) : formatDecision(parsed, decision, configLabel));
  return 0;
}

/**
 * The decision on an empty ledger (first occurrence) at the event's own time. Deployed names
 * follow the stack: shipped documents are `<stackName>-<key>`; the role ARN exists only once
 * deployed, so a placeholder names it.
 */
export function explainDecision(event: AlarmStateChange, config: AppConfig): Decision {
  const engine: EngineSettings = {
    automationRoleArn: `<automation role of stack ${config.stackName}>`,
    documentNames: Object.fromEntries(SHIPPED_DOCUMENTS.map((key) => [key, `${config.stackName}-${key}`])),
  };
  return decide({
    event,
    rules: config.remediation.rules,
    config: config.remediation,
    snapshot: EMPTY_SNAPSHOT,
    nowSec: Math.floor(Date.parse(event.time) / 1000),
    engine,
  });
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
