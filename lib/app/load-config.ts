import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAppConfig } from '../config/parse';
import type { AppConfig } from '../config/schema';

/** Context key naming the config file: `cdk synth -c config=path/to/config.json`. */
export const CONFIG_CONTEXT_KEY = 'config';
/** Config file used when the context key is not set. */
export const DEFAULT_CONFIG_FILE = 'config/example.json';

/**
 * Reads and validates the app configuration from a JSON file.
 *
 * @throws ConfigError listing every problem (field path, value received, what is allowed)
 * @throws Error when the file cannot be read or is not JSON
 */
export function loadAppConfig(configFile: string, cwd = process.cwd()): AppConfig {
  const path = resolve(cwd, configFile);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `cannot read the config file ${configFile} (${errorCode(err)}); pass an existing file with -c ${CONFIG_CONTEXT_KEY}=path/to/config.json`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `the config file ${configFile} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return parseAppConfig(raw, configFile);
}

function errorCode(err: unknown): string {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return String(err);
}
