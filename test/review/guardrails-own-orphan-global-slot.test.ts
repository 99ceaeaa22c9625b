/**
 * Review: a start killed between taking its holds and recording `started` leaves its global slot
 * behind (it lapses only at its deadline plus 15 minutes). Lambda's retry of that very invocation
 * takes the event's claim over at once and decides afresh with the same remediation id, but the
 * globalCap verdict counts the orphaned slot, which is its own, as "a remediation in progress":
 * the retry is refused by itself, recorded `blocked`, and the sweeper's re-drive keeps refusing it
 * until the blocked record's deadline (before the slot lapses), which escalates
 * "could not remediate: blocked by globalCap" while nothing runs anywhere.
 *
 * README "Retries never drop an alarm": Lambda's retry of a killed attempt takes its claim over at
 * once and decides the event afresh; Lambda retries an async invocation after about 1 minute
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { sweepDeadlines } from '../../lambdas/core/remediation/verification-sweep';
import { createLedgerTable, motoDynamoDbForSuite } from '../emulator/ledger-table';
import { requireMoto } from '../emulator/moto-server';
import { alarmOnInstance, testDeps } from '../unit/remediation/engine-deps';
import { DISK_RULE } from '../unit/remediation/helpers';

const run = requireMoto();
const INSTANCE = 'i-00000000000000001';

describe.runIf(run)('globalCap after a start killed between its holds and its record (moto)', () => {
  const client = motoDynamoDbForSuite({ atomicRequests: true });

  it("starts on Lambda's retry instead of being blocked by its own orphaned global slot", async () => {
    // Arrange: a cap of 1 and nothing else running; the first attempt dies in createRemediation.
    const tableName = await createLedgerTable(client());
    const deps = testDeps({
      rules: [DISK_RULE],
      extra: { maxConcurrentRemediations: 1 },
      ledger: (clock) =>
        new DynamoDbLedger({ client: ledgerDocumentClient(client()), tableName, clock, retentionDays: 7 }),
    });
    const ledger = deps.ledger;
    const create = ledger.createRemediation.bind(ledger);
    let killed = true;
    ledger.createRemediation = (input) => {
      // The Lambda is killed (timeout, out of memory) here: this call never answers.
      if (killed) return new Promise(() => undefined);
      return create(input);
    };
    const event = alarmOnInstance('evt-killed', INSTANCE);
    void handleAlarmEvent(event, deps, { requestId: 'req-1' });
    await waitFor(async () => (await ledger.activeGlobalSlots()) === 1);
    killed = false;

    // Act: Lambda's retry of the same invocation about a minute later.
    deps.clock.advance(70);
    const retry = await handleAlarmEvent(event, deps, { requestId: 'req-1' });

    // Assert: nothing else holds the cap, so the retry starts.
    expect(retry.reason).not.toMatch(/global cap is 1/);
    expect(retry.outcome).toBe('started');
    expect(deps.automation.requests).toHaveLength(1);
  });

  it('is not escalated by the sweeper as blocked by globalCap while nothing runs', async () => {
    const tableName = await createLedgerTable(client());
    const deps = testDeps({
      rules: [DISK_RULE],
      extra: { maxConcurrentRemediations: 1 },
      ledger: (clock) =>
        new DynamoDbLedger({ client: ledgerDocumentClient(client()), tableName, clock, retentionDays: 7 }),
    });
    const ledger = deps.ledger;
    const create = ledger.createRemediation.bind(ledger);
    let killed = true;
    ledger.createRemediation = (input) => (killed ? new Promise(() => undefined) : create(input));
    const event = alarmOnInstance('evt-killed-2', INSTANCE);
    void handleAlarmEvent(event, deps, { requestId: 'req-2' });
    await waitFor(async () => (await ledger.activeGlobalSlots()) === 1);
    killed = false;
    deps.clock.advance(70);
    await handleAlarmEvent(event, deps, { requestId: 'req-2' });

    // The sweeper runs every minute until the blocked record's deadline (600 s).
    for (let minute = 0; minute < 11; minute += 1) {
      deps.clock.advance(60);
      await sweepDeadlines(deps, `sweep-${minute}`);
    }

    const record = await ledger.getRemediation('rem-evt-killed-2');
    expect(record?.escalation?.reason ?? '').not.toMatch(/blocked by globalCap/);
    expect(deps.automation.requests).toHaveLength(1);
  });
});

async function waitFor(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the first attempt never took its global slot');
}
