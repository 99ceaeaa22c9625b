/**
 * `selfheal reset-rule` against moto: a rule frozen by its error budget through the DynamoDB
 * ledger, reset by the real command with the SDK's default chain pointed at the emulator by
 * AWS_ENDPOINT_URL, then read as the engine reads it.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { productionDeps } from '../../cli/deps';
import { main } from '../../cli/main';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { keys } from '../../lambdas/adapters/dynamodb-ledger-keys';
import { readErrorBudget } from '../../lambdas/core/remediation/engine-snapshot';
import { memoryIo } from '../cli/fixtures/memory-io';
import { configWith, DISK_RULE } from '../unit/remediation/helpers';
import { FakeClock } from '../unit/remediation/ledger-fixtures';
import { createLedgerTable, dynamoDbClientForSuite } from './ledger-table';
import { requireMoto } from './moto-server';
import { motoForSuite } from './moto-suite';

const run = requireMoto();
const HOUR = 3600;
const DAY = 86_400;
const RULE = (() => {
  const [rule] = configWith([
    { ...DISK_RULE, limits: { errorBudgetFailures: 2, errorBudgetWindowHours: 24 } },
  ]).rules;
  if (rule === undefined) throw new Error('configWith returned no rule');
  return rule;
})();

async function resetRule(args: string[]) {
  const io = { ...memoryIo(), operator: 'alice@ops-1' };
  const code = await main(['reset-rule', '--region', 'us-east-1', ...args], io, productionDeps);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe.runIf(run)('selfheal reset-rule on the moto emulator', () => {
  const moto = motoForSuite({ atomicRequests: true });
  const client = dynamoDbClientForSuite(moto);

  /** A new table where the disk rule failed twice in the last hours and froze; the engine's ledger on it. */
  async function frozenRule() {
    const table = await createLedgerTable(client());
    const now = Math.floor(Date.now() / 1000);
    const clock = new FakeClock(now - 2 * HOUR);
    const doc = ledgerDocumentClient(client());
    const ledger = new DynamoDbLedger({ client: doc, tableName: table, clock, retentionDays: 90 });
    await ledger.recordFailedVerification(DISK_RULE.id, now - 2 * HOUR, 'rem-1');
    await ledger.recordFailedVerification(DISK_RULE.id, now - HOUR, 'rem-2');
    clock.set(now - HOUR);
    await ledger.freezeRule(DISK_RULE.id, 'budget spent');
    const item = async () =>
      (
        await doc.send(
          new GetCommand({ TableName: table, Key: keys.freeze(DISK_RULE.id), ConsistentRead: true }),
        )
      ).Item;
    return { table, now, ledger, item };
  }

  beforeEach(() => {
    vi.stubEnv('AWS_ENDPOINT_URL', moto().endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_PROFILE', '');
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('lifts the freeze through the ledger adapter, so the engine no longer counts the failures before it', async () => {
    const { table, now, ledger, item } = await frozenRule();
    expect(await readErrorBudget(ledger, RULE, now)).toEqual({
      failedVerificationsInWindow: 2,
      ruleFrozen: true,
    });

    const { code, out, err } = await resetRule(['--table', table, '--rule', DISK_RULE.id]);

    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(`rule ${DISK_RULE.id} in ${table}: freeze lifted\n`);
    expect(out).toContain('  why:           budget spent\n');
    expect(out).toContain('  failures:      2 failed verification(s) recorded in the ledger;');
    const stored = await item();
    expect(stored).toMatchObject({
      frozen: false,
      reason: 'budget spent',
      frozenAtSec: now - HOUR,
      resetBy: 'alice@ops-1',
    });
    const resetAt = stored?.resetAtSec as number;
    expect(resetAt).toBeGreaterThanOrEqual(now);
    expect(resetAt).toBeLessThan(now + 60);
    // The reset's TTL: the adapter's retentionExpiry, long after every failure it stopped counting.
    expect(stored?.expiresAt).toBe(resetAt + 90 * DAY);
    expect(await readErrorBudget(ledger, RULE, resetAt + 1)).toEqual({
      failedVerificationsInWindow: 0,
      ruleFrozen: false,
    });
  });

  it('writes nothing to a rule that is not frozen', async () => {
    const { table, item } = await frozenRule();
    await resetRule(['--table', table, '--rule', DISK_RULE.id, '--by', 'bob']);
    const before = await item();

    const { code, out } = await resetRule(['--table', table, '--rule', DISK_RULE.id]);

    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^rule ${DISK_RULE.id} in ${table}: not frozen; nothing written\n`));
    expect(out).toContain(' by bob\n');
    expect(await item()).toEqual(before);
  });

  it('reports a table that does not exist as one line and exit 2', async () => {
    const { code, out, err } = await resetRule(['--table', 'no-such-table', '--rule', DISK_RULE.id]);

    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      `selfheal: cannot reset rule ${DISK_RULE.id}: ResourceNotFoundException: table no-such-table not found in region us-east-1; check --table (the stack output LedgerTableName) and --region\n`,
    );
  });
});
