/**
 * Review: the frequency limit and the error budget count timestamped ledger items over each
 * rule's window (lambdas/core/remediation/guardrails.ts), but every such item carries the TTL
 * `atSec + ledgerRetentionDays` (lambdas/adapters/dynamodb-ledger-rules.ts, markItem), and
 * "DynamoDB typically deletes expired items within two days of expiration"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html).
 * A rule whose window is longer than the retention therefore counts only the last few days: the
 * config below promises at most 3 remediations per resource per week and a freeze after 2 failed
 * verifications in 30 days, yet it is accepted and enforces neither past a day or three.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseAppConfig } from '../../lib/config/parse';
import { exampleConfig } from '../infra/helpers';

function problemsOf(limits: Record<string, number>, ledgerRetentionDays: number): readonly string[] {
  const raw = exampleConfig();
  const remediation = raw.remediation ?? {};
  const [first] = remediation.rules ?? [];
  raw.remediation = {
    ...remediation,
    ledgerRetentionDays,
    rules: first === undefined ? [] : [{ ...first, limits }],
  };
  try {
    parseAppConfig(raw, 'review.json');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('remediation.ledgerRetentionDays against the rules’ windows', () => {
  it('fails when a rule counts remediations over a longer window than the ledger keeps them', () => {
    const problems = problemsOf({ maxPerResource: 3, frequencyWindowHours: 168 }, 1);
    expect(problems.join('\n')).toMatch(/ledgerRetentionDays|frequencyWindowHours/);
  });

  it('fails when a rule’s error budget spans a longer window than the ledger keeps failures', () => {
    const problems = problemsOf({ errorBudgetFailures: 2, errorBudgetWindowHours: 720 }, 7);
    expect(problems.join('\n')).toMatch(/ledgerRetentionDays|errorBudgetWindowHours/);
  });
});
