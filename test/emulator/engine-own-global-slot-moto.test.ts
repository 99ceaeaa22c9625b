/**
 * A start killed between taking its holds and recording `started` leaves its global slot behind
 * (it lapses only at its deadline plus 15 minutes). Lambda's retry of that very invocation takes
 * the event's claim over at once and decides afresh under the same remediation id: the globalCap
 * verdict must not count that orphaned slot, its own, as "a remediation in progress", or the retry
 * is refused by itself, recorded `blocked`, and escalated "could not remediate: blocked by
 * globalCap" at its deadline while nothing runs anywhere (found by the guardrails review).
 *
 * README "Retries never drop an alarm": Lambda's retry of a killed attempt takes its claim over at
 * once and decides the event afresh; Lambda retries an async invocation after about 1 minute
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import type { EngineDeps } from '../../lambdas/core/remediation/engine-ports';
import { sweepDeadlines } from '../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, testDeps } from '../unit/remediation/engine-deps';
import { DISK_RULE } from '../unit/remediation/helpers';
import { createLedgerTable, motoDynamoDbForSuite } from './ledger-table';
import { requireMoto } from './moto-server';

const run = requireMoto();
const INSTANCE = 'i-00000000000000001';

describe.runIf(run)('globalCap after a start killed between its holds and its record (moto)', () => {
  const client = motoDynamoDbForSuite({ atomicRequests: true });

  /** Engine deps on a fresh ledger table on moto, with a global cap of 1. */
  async function capOfOne() {
    const tableName = await createLedgerTable(client());
    return testDeps({
      rules: [DISK_RULE],
      extra: { maxConcurrentRemediations: 1 },
      ledger: (clock) =>
        new DynamoDbLedger({ client: ledgerDocumentClient(client()), tableName, clock, retentionDays: 7 }),
    });
  }

  it("starts on Lambda's retry instead of being blocked by its own orphaned global slot", async () => {
    // Arrange: a cap of 1 and nothing else running; the first attempt dies in createRemediation.
    const deps = await capOfOne();
    const killed = killFirstCreate(deps.ledger);
    const event = alarmOnInstance('evt-killed', INSTANCE);
    void handleAlarmEvent(event, deps, { requestId: 'req-1' });
    await killed;
    expect(await deps.ledger.activeGlobalSlots()).toBe(1);

    // Act: Lambda's retry of the same invocation about a minute later.
    deps.clock.advance(70);
    const retry = await handleAlarmEvent(event, deps, { requestId: 'req-1' });

    // Assert: nothing else holds the cap, so the retry starts.
    expect(retry.reason).not.toMatch(/global cap is 1/);
    expect(retry.outcome).toBe('started');
    expect(deps.automation.requests).toHaveLength(1);
  });

  it('is not escalated by the sweeper as blocked by globalCap while nothing runs', async () => {
    const deps = await capOfOne();
    const ledger = deps.ledger;
    const killed = killFirstCreate(ledger);
    const event = alarmOnInstance('evt-killed-2', INSTANCE);
    void handleAlarmEvent(event, deps, { requestId: 'req-2' });
    await killed;
    expect(await ledger.activeGlobalSlots()).toBe(1);
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

/**
 * Kills the first attempt in its first createRemediation (timeout, out of memory: the call never
 * answers); later calls go through. Resolves once that call was made, its holds taken before it.
 * Decided per call, not by a flag flipped from outside, so the first attempt cannot slip past.
 */
function killFirstCreate(ledger: EngineDeps['ledger']): Promise<void> {
  const create = ledger.createRemediation.bind(ledger);
  let calls = 0;
  return new Promise((killed) => {
    ledger.createRemediation = (input) => {
      calls += 1;
      if (calls > 1) return create(input);
      killed();
      return new Promise(() => undefined);
    };
  });
}
