/**
 * The DynamoDB ledger reading malformed remediation items on moto: items a hand edit or an older
 * writer left behind, under real index items. The Lambdas' reads fail with `MalformedRecordError`
 * naming the key, the field and the value; the sweeper's work lists report them apart from the
 * records, and the sweep handles the rest; `readHistory` (the `history` CLI) and `listActions` (an
 * escalation's evidence) report them in place.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { keys } from '../../lambdas/adapters/dynamodb-ledger-keys';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { MalformedRecordError } from '../../lambdas/core/remediation/ledger';
import { sweepDeadlines } from '../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, testDeps } from '../unit/remediation/engine-deps';
import { FakeClock, NOW, newRemediation, RETENTION } from '../unit/remediation/ledger-fixtures';
import { nextStartsDie } from '../unit/remediation/start-died';
import { createLedgerTable, motoDynamoDbForSuite, removeCreatedAt } from './ledger-table';
import { requireMoto } from './moto-server';

const run = requireMoto();

const MISSING_CREATED = new MalformedRecordError(
  'pk=REM#r-bad sk=REM',
  'createdAtSec: missing; required (number)',
);

describe.runIf(run)('DynamoDB ledger on malformed items (moto)', () => {
  const client = motoDynamoDbForSuite();

  /** A ledger with `r-good` and `r-bad` open (executions exec-good, exec-bad), then `r-bad` hand-edited. */
  async function ledgerWithBrokenRecord() {
    const clock = new FakeClock(NOW);
    const doc = ledgerDocumentClient(client());
    const table = await createLedgerTable(client());
    const ledger = new DynamoDbLedger({ client: doc, tableName: table, clock, ...RETENTION });
    await ledger.createRemediation(newRemediation('r-good', { executionId: 'exec-good' }));
    clock.advance(1);
    await ledger.createRemediation(newRemediation('r-bad', { resourceId: 'i-2', executionId: 'exec-bad' }));
    await removeCreatedAt(doc, table, 'r-bad');
    const stored = async () =>
      (await doc.send(new GetCommand({ TableName: table, Key: keys.remediation('r-bad') }))).Item;
    return { ledger, clock, doc, table, stored };
  }

  it('fails a single-record read naming the key, the field and the value', async () => {
    const { ledger } = await ledgerWithBrokenRecord();

    await expect(ledger.getRemediation('r-bad')).rejects.toThrow(MISSING_CREATED);
    await expect(ledger.getRemediation('r-bad')).rejects.toBeInstanceOf(MalformedRecordError);
    await expect(ledger.findByExecutionId('exec-bad')).rejects.toThrow(MISSING_CREATED);
    expect((await ledger.getRemediation('r-good'))?.id).toBe('r-good');
  });

  it('fails a transition of a malformed record without writing it', async () => {
    const { ledger, stored } = await ledgerWithBrokenRecord();
    const before = await stored();

    await expect(ledger.transition('r-bad', 'started', 'verifying')).rejects.toThrow(MISSING_CREATED);
    await expect(ledger.recordAutomationSucceeded('r-bad', NOW + 5)).rejects.toThrow(MISSING_CREATED);

    // The automation-succeeded update is conditional on the state only, so DynamoDB applied it;
    // the ledger refused to return the record it cannot read. The transition wrote nothing.
    const { automationSucceededAtSec, updatedAtSec: _u, ...after } = (await stored()) ?? {};
    const { updatedAtSec: _b, ...unchanged } = before ?? {};
    expect(after).toEqual(unchanged);
    expect(automationSucceededAtSec).toBe(NOW + 5);
  });

  it('fails the listings the Lambdas decide on instead of leaving the malformed record out', async () => {
    const { ledger } = await ledgerWithBrokenRecord();

    await expect(ledger.listOpen()).rejects.toThrow(MISSING_CREATED);
    await expect(ledger.findOpenByResource('i-1')).rejects.toThrow(MISSING_CREATED);
    await expect(ledger.findOpenByAlarm({ alarmName: 'disk-full-i-1' })).rejects.toThrow(MISSING_CREATED);
  });

  it("reports the malformed record apart in the sweeper's work lists, with the records listed beside it", async () => {
    const { ledger } = await ledgerWithBrokenRecord();

    const overdue = await ledger.listOverdue(NOW + 3600);
    const stalled = await ledger.listStalledStarts(NOW + 3600);

    for (const listing of [overdue, stalled]) {
      expect(listing.records.map((r) => r.id)).toEqual(['r-good']);
      expect(listing.malformed).toEqual([MISSING_CREATED]);
      expect(listing.malformed[0]).toBeInstanceOf(MalformedRecordError);
    }
    expect(await ledger.listBlocked()).toEqual({ records: [], malformed: [] });
  });

  it('reports malformed items in place in readHistory, matched by key, with the same reads', async () => {
    const { ledger, clock, doc, table } = await ledgerWithBrokenRecord();
    clock.advance(1);
    const { id: _id, ...noId } = await ledger.createRemediation(
      newRemediation('r-no-id', { resourceId: 'i-3' }),
    );
    await doc.send(new PutCommand({ TableName: table, Item: { ...noId, ...keys.remediation('r-no-id') } }));
    clock.advance(1);
    const other = await ledger.createRemediation(newRemediation('r-other', { resourceId: 'i-4' }));
    await doc.send(
      new PutCommand({ TableName: table, Item: { ...other, id: 'r-good', ...keys.remediation('r-other') } }),
    );

    const entries = await ledger.readHistory(10);

    expect(entries.map((e) => (e instanceof MalformedRecordError ? e.message : e.id))).toEqual([
      'ledger item pk=REM#r-other sk=REM is malformed: id: received "r-good"; expected "r-other" (the id its key names)',
      'ledger item pk=REM#r-no-id sk=REM is malformed: id: missing; required (string)',
      MISSING_CREATED.message,
      'r-good',
    ]);
    expect(await ledger.readHistory(2)).toHaveLength(2);
  });

  it('reports a malformed action in place in listActions, apart from the other resources', async () => {
    const { ledger } = await ledgerWithBrokenRecord();

    expect(await ledger.listActions('disk', 'i-2', 10)).toEqual([MISSING_CREATED]);
    expect(
      (await ledger.listActions('disk', 'i-1', 10)).map((e) =>
        e instanceof MalformedRecordError ? e : e.id,
      ),
    ).toEqual(['r-good']);
  });

  it('lets a sweep report a malformed overdue item by key and problem and handle the rest', async () => {
    const doc = ledgerDocumentClient(client());
    const table = await createLedgerTable(client());
    const deps = testDeps({
      ledger: (clock) => new DynamoDbLedger({ client: doc, tableName: table, clock, ...RETENTION }),
    });
    await handleAlarmEvent(alarmOnInstance('evt-1', 'i-00000000000000001'), deps);
    deps.clock.advance(600 - EVENT_CLAIM_LEASE_SEC);
    // evt-2's handler is killed inside StartAutomationExecution: a stalled start to resume.
    const died = nextStartsDie(deps);
    void handleAlarmEvent(alarmOnInstance('evt-2', 'i-00000000000000002'), deps, { requestId: 'req-2' });
    await died;
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
    await removeCreatedAt(doc, table, 'rem-evt-1');

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.errors).toEqual([
      {
        step: 'handle overdue remediations',
        key: 'pk=REM#rem-evt-1 sk=REM',
        problem: 'createdAtSec: missing; required (number)',
        error:
          'MalformedRecordError: ledger item pk=REM#rem-evt-1 sk=REM is malformed: createdAtSec: missing; required (number)',
      },
    ]);
    expect(sweep.unreadableLedgerItems).toEqual([
      { key: 'pk=REM#rem-evt-1 sk=REM', problem: 'createdAtSec: missing; required (number)' },
    ]);
    expect(sweep.resumed).toBe(1);
    expect(await deps.ledger.getRemediation('rem-evt-2')).toMatchObject({ state: 'verifying' });
  });
});
