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
import { parseFlags, stringFlag } from './args';
import { CliUsageError } from './errors';
import { formatDecision, otherKindLine } from './explain-report';
import { EXPLAIN_HELP } from './help';
import type { CliIo } from './io';

/** Used when neither `--config` nor the entry point gives a configuration path. */
export const FALLBACK_CONFIG_PATH = 'config/example.json';

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory, expected a JSON file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

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
  const eventPath = stringFlag(flags, 'event');
  if (eventPath === undefined) throw new CliUsageError('explain needs --event FILE.json');
  const json = flags.json === true;

  const parsed = parseEvent(parseJson(eventPath, await readText(io, eventPath)));
  if (isRejection(parsed)) {
    if (parsed.reason === 'invalid')
      throw new CliUsageError(`${eventPath}: not a valid event: ${parsed.message}`);
    io.stdout(json ? toJson(parsed) : `${otherKindLine(eventPath, parsed.message)}\n`);
    return 0;
  }
  if (parsed.kind === 'automationStatusChange') {
    const message = `an EC2 Automation Execution Status-change Notification from aws.ssm (execution ${parsed.executionId} of ${parsed.documentName}, status ${parsed.status}): read by the verification side, not an alarm state change`;
    io.stdout(
      json
        ? toJson({ kind: 'rejected', reason: 'otherKind', message })
        : `${otherKindLine(eventPath, message)}\n`,
    );
    return 0;
  }

  const configPath = stringFlag(flags, 'config') ?? io.defaultConfigPath ?? FALLBACK_CONFIG_PATH;
  const configLabel =
    stringFlag(flags, 'config') === undefined ? `${basename(configPath)} (default)` : configPath;
  const config = loadConfig(configPath, await readText(io, configPath));
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

async function readText(io: CliIo, path: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const problem = typeof code === 'string' ? FILE_PROBLEMS[code] : undefined;
    if (problem === undefined) throw err;
    throw new CliUsageError(`${path}: ${problem}`);
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new CliUsageError(`${path}: not valid JSON: ${message}`);
  }
}

function loadConfig(path: string, text: string): AppConfig {
  try {
    return parseAppConfig(parseJson(path, text), path);
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new CliUsageError(`${path}: invalid configuration: ${err.problems.join('; ')}`);
    }
    throw err;
  }
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
