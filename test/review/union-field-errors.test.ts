/**
 * Review: ConfigError promises "field path, value received, what is allowed" for every problem
 * (lib/config/parse.ts), and describeIssue spells out a union's options when the value is
 * missing. For a value that is present but fits no member of a plain union, it prints zod's bare
 * "Invalid input": `blockMinutes: received 45; Invalid input` does not say 15, 30 or 60, and a
 * misspelt document key does not say `shipped` or `aws`. The operator must go to the README.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseAppConfig } from '../../lib/config/parse';
import type { AppConfigInput } from '../../lib/config/schema';
import { exampleConfig } from '../infra/helpers';

function problemOf(change: (raw: AppConfigInput) => void, path: string): string {
  const raw = exampleConfig();
  change(raw);
  try {
    parseAppConfig(raw, 'review.json');
  } catch (err) {
    if (err instanceof ConfigError) {
      const line = err.problems.find((p) => p.startsWith(`${path}: `));
      if (line !== undefined) return line;
    }
    throw err;
  }
  throw new Error(`expected a problem at ${path}`);
}

function firstTarget(raw: AppConfigInput): Record<string, unknown> {
  const target = raw.predictiveScaling.targets[0];
  if (target === undefined) throw new Error('example.json has no target');
  return target as Record<string, unknown>;
}

function firstRule(raw: AppConfigInput): Record<string, unknown> {
  const rule = raw.remediation?.rules?.[0];
  if (rule === undefined) throw new Error('example.json has no rule');
  return rule as Record<string, unknown>;
}

describe('a value that fits no member of a union', () => {
  it('names the allowed blockMinutes', () => {
    const line = problemOf((raw) => {
      firstTarget(raw).blockMinutes = 45;
    }, 'predictiveScaling.targets[0].blockMinutes');
    expect(line).toMatch(/received 45; .*15.*30.*60/);
  });

  it('names the allowed periodSec', () => {
    const line = problemOf((raw) => {
      firstTarget(raw).periodSec = 120;
    }, 'predictiveScaling.targets[0].periodSec');
    expect(line).toMatch(/received 120; .*60.*300.*900.*3600/);
  });

  it('names the keys a document takes', () => {
    const line = problemOf((raw) => {
      firstRule(raw).document = { shiped: 'restart-service' };
    }, 'remediation.rules[0].document');
    expect(line).toMatch(/shipped/);
    expect(line).toMatch(/aws/);
  });

  it('says a parameter value must be a string or a list of strings', () => {
    const line = problemOf((raw) => {
      firstRule(raw).parameters = {
        InstanceId: '{{resourceId}}',
        Directory: '/var/log/app/',
        OlderThanDays: 7,
      };
    }, 'remediation.rules[0].parameters.OlderThanDays');
    expect(line).toMatch(/received 7; .*string/);
  });
});
