import type * as z from 'zod';
import { type AppConfig, appConfigSchema } from './schema';
import { describeIssues } from './zod-paths';

/** Every problem in a configuration, one per line: field path, value received, what is allowed. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates raw configuration (parsed JSON or construct props) and fills defaults. */
export function parseAppConfig(raw: unknown, source = 'configuration'): AppConfig {
  const result = appConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(source, formatIssues(result.error.issues, raw));
}

/** Formats zod issues as `path: received <value>; <what is allowed>`, one line each. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], raw: unknown): string[] {
  return describeIssues(issues, raw, { root: '(top level)' });
}
