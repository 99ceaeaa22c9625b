/**
 * The DynamoDB ledger against moto's emulator: the same contract suite as the in-memory ledger,
 * then races where exactly one (or exactly `cap`) of many concurrent writers must win.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { ledgerContract } from '../unit/remediation/ledger-contract';
import { pendingEscalationContract } from '../unit/remediation/ledger-contract-pending';
import { FakeClock, NOW, RETENTION } from '../unit/remediation/ledger-fixtures';
import { createLedgerTable, motoDynamoDbForSuite } from './ledger-table';
import { requireMoto } from './moto-server';

const run = requireMoto();

describe.runIf(run)('DynamoDB ledger on the moto emulator', () => {
  const client = motoDynamoDbForSuite({ atomicRequests: true });

  const ledgerOn = async (clock: FakeClock) =>
    new DynamoDbLedger({
      client: ledgerDocumentClient(client()),
      tableName: await createLedgerTable(client()),
      clock,
      ...RETENTION,
    });

  ledgerContract('DynamoDB (moto)', ledgerOn);
  pendingEscalationContract('DynamoDB (moto)', ledgerOn);

  describe('concurrent writers', () => {
    const race = (n: number, attempt: (i: number) => Promise<boolean>) =>
      Promise.all(Array.from({ length: n }, (_, i) => attempt(i)));
    const winners = (results: readonly boolean[]) => results.filter(Boolean).length;

    it('lets exactly one of 20 concurrent claims of one event id win', async () => {
      const ledger = await ledgerOn(new FakeClock(NOW));
      const results = await race(20, () =>
        ledger.claimEvent('evt-storm', { claimedAtSec: NOW, leaseSec: 90, expiresAtSec: NOW + 3600 }),
      );
      expect(winners(results)).toBe(1);
    });

    it('lets exactly one of 20 concurrent takeovers of one abandoned claim win', async () => {
      const clock = new FakeClock(NOW);
      const ledger = await ledgerOn(clock);
      const seen = { claimedAtSec: NOW, leaseSec: 90, expiresAtSec: NOW + 3600 };
      await ledger.claimEvent('evt-dead', seen);
      clock.set(NOW + 120);
      const results = await race(20, (i) =>
        ledger.takeOverEvent('evt-dead', seen, {
          claimedAtSec: NOW + 120,
          leaseSec: 90 + i,
          expiresAtSec: NOW + 3720,
        }),
      );
      expect(winners(results)).toBe(1);
    });

    it('lets exactly one of 20 concurrent remediations lock one resource', async () => {
      const ledger = await ledgerOn(new FakeClock(NOW));
      const results = await race(20, (i) => ledger.acquireResourceLock('i-1', `r-${i}`, NOW + 600));
      expect(winners(results)).toBe(1);
    });

    it('hands exactly 5 of 30 concurrent acquirers a global slot with cap 5', async () => {
      const ledger = await ledgerOn(new FakeClock(NOW));
      const results = await race(30, (i) => ledger.acquireGlobalSlot(`r-${i}`, 5, NOW + 600));
      expect(winners(results)).toBe(5);
      expect(await ledger.activeGlobalSlots()).toBe(5);
    });

    it('hands exactly 3 of 10 concurrent acquirers a slot of one group with cap 3', async () => {
      const ledger = await ledgerOn(new FakeClock(NOW));
      const results = await race(10, (i) => ledger.acquireGroupSlot('web-asg', `r-${i}`, 3, NOW + 600));
      expect(winners(results)).toBe(3);
      expect(await ledger.activeGroupSlots('web-asg')).toBe(3);
    });

    it('reclaims 5 expired slots for exactly 5 of 30 concurrent acquirers', async () => {
      const clock = new FakeClock(NOW);
      const ledger = await ledgerOn(clock);
      await race(5, (i) => ledger.acquireGlobalSlot(`crashed-${i}`, 5, NOW + 60));
      clock.set(NOW + 60);
      const results = await race(30, (i) => ledger.acquireGlobalSlot(`r-${i}`, 5, NOW + 600));
      expect(winners(results)).toBe(5);
      expect(await ledger.activeGlobalSlots()).toBe(5);
      expect(await ledger.reclaimExpiredSlots()).toBe(0);
    });

    it('moves a record out of one state once when 10 writers race', async () => {
      const ledger = await ledgerOn(new FakeClock(NOW));
      await ledger.createRemediation({
        id: 'r-1',
        ruleId: 'disk',
        resourceId: 'i-1',
        alarmName: 'disk-full',
        eventId: 'evt-1',
        mode: 'enforce',
        state: 'started',
        verdicts: [],
        deadlineSec: NOW + 600,
      });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          ledger.transition('r-1', 'started', i % 2 === 0 ? 'verifying' : 'escalated'),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });
  });
});
