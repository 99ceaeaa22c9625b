/**
 * `selfheal history` against moto: records written through the DynamoDB ledger, read back by the
 * real command with the SDK's default chain pointed at the emulator by AWS_ENDPOINT_URL.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDynamoDbLedger } from '../../cli/history-ledger';
import { main } from '../../cli/main';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { keys } from '../../lambdas/adapters/dynamodb-ledger-keys';
import { fakeDeps } from '../cli/fixtures/fake-deps';
import { DRY_RUN, ESCALATED, REPLACED, RESOLVED, seedHistory, T0 } from '../cli/fixtures/history-records';
import { memoryIo } from '../cli/fixtures/memory-io';
import { FakeClock } from '../unit/remediation/ledger-fixtures';
import { createLedgerTable, dynamoDbClientForSuite } from './ledger-table';
import { motoEnvironment, requireMoto } from './moto-server';
import { motoForSuite } from './moto-suite';

const run = requireMoto();

async function history(args: string[]) {
  const io = memoryIo();
  const code = await main(['history', ...args], io, { ...fakeDeps, openLedger: openDynamoDbLedger });
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe.runIf(run)('selfheal history on the moto emulator', () => {
  const moto = motoForSuite({ atomicRequests: true });
  const client = dynamoDbClientForSuite(moto);
  let table: string;

  beforeAll(async () => {
    table = await createLedgerTable(client());
    const clock = new FakeClock(T0);
    const ledger = new DynamoDbLedger({
      client: ledgerDocumentClient(client()),
      tableName: table,
      clock,
      retentionDays: 90,
    });
    await seedHistory(ledger, clock);
  }, 30_000);

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

  it('lists the records newest first with escalation details', async () => {
    const { code, out, err } = await history(['--table', table, '--region', 'us-east-1']);

    expect(err).toBe('');
    expect(code).toBe(0);
    const rows = out.trimEnd().split('\n').slice(3);
    expect(rows.map((r) => r.split(/ +/)[1])).toEqual([DRY_RUN.id, ESCALATED.id, REPLACED.id, RESOLVED.id]);
    expect(rows.map((r) => r.split(/ +/)[3])).toEqual(['i-0web', 'i-0def', 'i-0old', 'i-0abc']);
    expect(rows[1]).toMatch(/escalated +- +exec-2222 +SNS sns-msg-9; OpsItem failed: AccessDeniedException/);
    expect(rows[2]).toMatch(/resolved +6m 10s \(no data\) +exec-3333 +-$/);
    expect(rows[3]).toMatch(/resolved +4m 05s +exec-1111 +-$/);
  });

  it('reads back exactly the records written, and one with --id', async () => {
    const all = await history(['--table', table, '--region', 'us-east-1', '--json', '--limit', '2']);
    const one = await history(['--table', table, '--region', 'us-east-1', '--id', RESOLVED.id]);

    expect(JSON.parse(all.out)).toEqual([DRY_RUN, ESCALATED]);
    expect(one.code).toBe(0);
    expect(one.out).toContain(
      'timeline (UTC):\n  2024-03-04T10:30:00Z  started\n  2024-03-04T10:31:00Z  verifying\n  2024-03-04T10:34:05Z  resolved\n',
    );
  });

  it('reads back the recovered state and the automation success as written, and shows them with --id', async () => {
    const json = await history(['--table', table, '--region', 'us-east-1', '--id', REPLACED.id, '--json']);
    const text = await history(['--table', table, '--region', 'us-east-1', '--id', REPLACED.id]);

    expect(JSON.parse(json.out)).toEqual(REPLACED);
    expect(text.err).toBe('');
    expect(text.out).toContain('state:       resolved, recovered in 6m 10s (alarm INSUFFICIENT_DATA)\n');
    expect(text.out).toContain('  2024-03-04T11:04:00Z  (automation succeeded)\n');
  });

  it('shows a record written before the state log from its stateTimes, and logs each later state after them', async () => {
    const before = await createLedgerTable(client());
    const doc = ledgerDocumentClient(client());
    const clock = new FakeClock(T0);
    const ledger = new DynamoDbLedger({ client: doc, tableName: before, clock, retentionDays: 90 });
    const { stateLog: _log, ...created } = await ledger.createRemediation({
      id: 'rem-old',
      ruleId: 'disk-full-cleanup',
      resourceId: 'i-0abc',
      alarmName: 'disk-full-i-0abc',
      eventId: 'evt-old',
      mode: 'enforce',
      state: 'started',
      verdicts: [],
      deadlineSec: T0 + 600,
    });
    // As a release before the state log wrote it: stateTimes only.
    await doc.send(
      new UpdateCommand({
        TableName: before,
        Key: keys.remediation('rem-old'),
        UpdateExpression: 'REMOVE stateLog',
      }),
    );
    const id = ['--table', before, '--region', 'us-east-1', '--id', 'rem-old'];

    const old = await history([...id, '--json']);
    const oldText = await history(id);
    clock.set(T0 + 120);
    await ledger.transition('rem-old', 'started', 'blocked', { blockedBy: 'globalCap' });
    clock.set(T0 + 300);
    await ledger.transition('rem-old', 'blocked', 'started', { deadlineSec: T0 + 900 });
    const upgraded = await history(id);

    expect(JSON.parse(old.out)).toEqual(created);
    expect(oldText.out).toContain('timeline (UTC):\n  2024-03-04T10:30:00Z  started\n  2024-03-04T10:40:00Z');
    expect(upgraded.err).toBe('');
    expect(upgraded.out).toContain(
      [
        'timeline (UTC):',
        '  2024-03-04T10:30:00Z  started',
        '  2024-03-04T10:32:00Z  blocked',
        '  2024-03-04T10:35:00Z  started',
        '  2024-03-04T10:45:00Z  (verification deadline)',
      ].join('\n'),
    );
  });

  it('skips an item missing createdAtSec with a note naming its key, and rejects it with --id (exit 2)', async () => {
    const broken = await createLedgerTable(client());
    const doc = ledgerDocumentClient(client());
    const { createdAtSec: _created, ...record } = ESCALATED;
    // As a hand edit or an older writer might leave it: the record without createdAtSec, still indexed.
    await doc.send(
      new PutCommand({ TableName: broken, Item: { ...record, ...keys.remediation(record.id) } }),
    );
    await doc.send(
      new PutCommand({ TableName: broken, Item: { ...keys.history(T0, record.id), id: record.id } }),
    );
    await doc.send(
      new PutCommand({ TableName: broken, Item: { ...DRY_RUN, ...keys.remediation(DRY_RUN.id) } }),
    );
    await doc.send(
      new PutCommand({ TableName: broken, Item: { ...keys.history(T0 + 7200, DRY_RUN.id), id: DRY_RUN.id } }),
    );

    const list = await history(['--table', broken, '--region', 'us-east-1']);
    const one = await history(['--table', broken, '--region', 'us-east-1', '--id', record.id]);

    expect(list.code).toBe(0);
    expect(list.err).toBe(
      'selfheal: note: skipped malformed ledger item pk=REM#rem-escalated sk=REM: createdAtSec: missing; required (number)\n',
    );
    expect(list.out.split('\n')[0]).toBe(`1 remediation in ${broken}, newest first`);
    expect(one.code).toBe(2);
    expect(one.out).toBe('');
    expect(one.err).toBe(
      `selfheal: ledger item pk=REM#rem-escalated sk=REM in ${broken} is malformed: createdAtSec: missing; required (number)\n`,
    );
  });

  it('names an item without a string id by its key instead of dropping it silently, and rejects it with --id', async () => {
    const odd = await createLedgerTable(client());
    const doc = ledgerDocumentClient(client());
    const { id: _id, ...noId } = ESCALATED;
    // As a hand edit might leave them: indexed records whose own id is missing or not a string.
    const items = [
      { id: 'rem-no-id', at: T0 + 3600, item: noId },
      { id: 'rem-number-id', at: T0 + 1800, item: { ...REPLACED, id: 7 } },
      { id: DRY_RUN.id, at: T0 + 7200, item: DRY_RUN },
    ];
    for (const { id, at, item } of items) {
      await doc.send(new PutCommand({ TableName: odd, Item: { ...item, ...keys.remediation(id) } }));
      await doc.send(new PutCommand({ TableName: odd, Item: { ...keys.history(at, id), id } }));
    }

    const list = await history(['--table', odd, '--region', 'us-east-1', '--limit', '3']);
    const one = await history(['--table', odd, '--region', 'us-east-1', '--id', 'rem-no-id']);

    expect(list.code).toBe(0);
    expect(list.err).toBe(
      [
        'selfheal: note: skipped malformed ledger item pk=REM#rem-no-id sk=REM: id: missing; required (string)',
        'selfheal: note: skipped malformed ledger item pk=REM#rem-number-id sk=REM: id: received 7; expected string',
        '',
      ].join('\n'),
    );
    expect(list.out.split('\n')[0]).toBe(`1 remediation in ${odd}, newest first`);
    expect(list.out).toContain('(the latest 3;');
    expect(one.code).toBe(2);
    expect(one.err).toBe(
      `selfheal: ledger item pk=REM#rem-no-id sk=REM in ${odd} is malformed: id: missing; required (string)\n`,
    );
  });

  it('names ResourceNotFoundException in one line for a table that does not exist (exit 2)', async () => {
    const { code, out, err } = await history(['--table', 'no-such-ledger', '--region', 'us-east-1']);

    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      'selfheal: cannot read the ledger: ResourceNotFoundException: table no-such-ledger not found in region us-east-1; check --table (the stack output LedgerTableName) and --region\n',
    );
  });

  it('works from the esbuild bundle, where the SDK needs a require shim', () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfheal-cli-'));
    try {
      const bundle = join(dir, 'selfheal.mjs');
      const built = spawnSync(process.execPath, ['scripts/build-cli.mjs', bundle], { encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);

      const r = spawnSync(process.execPath, [bundle, 'history', '--table', table, '--id', DRY_RUN.id], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, ...motoEnvironment(moto().endpoint) },
      });

      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('remediation rem-dry\n');
      expect(r.stdout).toContain('  1. mode  block  rule is in dryRun mode\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
