/**
 * The `Ledger` contract for pending escalations (`listPendingEscalations`), run against every
 * implementation next to ./ledger-contract (in memory here, DynamoDB on moto in test/emulator).
 */
import { describe, expect, it } from 'vitest';
import type { SweepListing } from '../../../lambdas/core/remediation/ledger';
import { MAX_OPS_ITEM_ATTEMPTS } from '../../../lambdas/core/remediation/ledger-apply';
import { freshLedger, type LedgerFactory } from './ledger-contract-subject';
import { NOW, newRemediation } from './ledger-fixtures';

const PENDING = { reason: 'verification failed', atSec: NOW, byEventId: 'evt-owner' } as const;

export function pendingEscalationContract(name: string, factory: LedgerFactory): void {
  describe(`Ledger contract, pending escalations: ${name}`, () => {
    const subject = freshLedger(factory);

    const ids = (listing: SweepListing) => listing.records.map((r) => r.id);
    const none: SweepListing = { records: [], malformed: [] };

    it('lists an escalation while pending and forgets it once SNS took it', async () => {
      const { ledger } = subject();
      await ledger.createRemediation(newRemediation('r-1', { state: 'escalated', escalation: PENDING }));
      await ledger.createRemediation(newRemediation('r-2'));
      await ledger.transition('r-2', 'started', 'failed', { escalation: PENDING });
      expect(ids(await ledger.listPendingEscalations(NOW + 1))).toEqual(['r-1', 'r-2']);

      await ledger.recordEscalation('r-1', { ...PENDING, snsError: 'throttled' });
      expect(ids(await ledger.listPendingEscalations(NOW + 1))).toEqual(['r-1', 'r-2']);
      await ledger.recordEscalation('r-1', { ...PENDING, snsMessageId: 'msg-1' });

      expect(ids(await ledger.listPendingEscalations(NOW + 1))).toEqual(['r-2']);
      expect((await ledger.getRemediation('r-1'))?.escalation?.snsMessageId).toBe('msg-1');
    });

    it('lists neither delivered escalations, records without one, nor observe notifications', async () => {
      const { ledger } = subject();
      const delivered = { ...PENDING, snsMessageId: 'msg-0' };
      await ledger.createRemediation(newRemediation('r-1', { state: 'escalated', escalation: delivered }));
      await ledger.createRemediation(newRemediation('r-2'));
      await ledger.transition('r-2', 'started', 'verifying');
      await ledger.createRemediation(newRemediation('r-3', { state: 'skipped' }));
      // Sent at most once: an observe notification recorded before sending is never re-sent.
      const observe = { ...PENDING, kind: 'observed' as const };
      await ledger.createRemediation(newRemediation('r-4', { state: 'observed', escalation: observe }));
      await ledger.recordEscalation('r-4', { ...observe, snsError: 'throttled' });

      expect(await ledger.listPendingEscalations(NOW + 3600)).toEqual(none);
    });

    it('lists an escalation SNS took while its OpsItem awaits a retry, and forgets it once created or its retries are spent', async () => {
      const { ledger } = subject();
      const sent = { ...PENDING, snsMessageId: 'msg-1' };
      const refused = { ...sent, opsItemError: 'ThrottlingException: Rate exceeded' };
      for (const id of ['r-1', 'r-2']) {
        await ledger.createRemediation(newRemediation(id, { state: 'escalated', escalation: PENDING }));
        await ledger.recordEscalation(id, { ...refused, opsItemFailures: 1 });
      }
      expect(ids(await ledger.listPendingEscalations(NOW + 1))).toEqual(['r-1', 'r-2']);

      await ledger.recordEscalation('r-1', { ...sent, opsItemId: 'oi-1', opsItemFailures: 1 });
      await ledger.recordEscalation('r-2', { ...refused, opsItemFailures: MAX_OPS_ITEM_ATTEMPTS });

      expect(await ledger.listPendingEscalations(NOW + 1)).toEqual(none);
    });

    it('lists no escalation whose OpsItem failed before failures were counted', async () => {
      const { ledger } = subject();
      await ledger.createRemediation(newRemediation('r-1', { state: 'escalated', escalation: PENDING }));
      await ledger.recordEscalation('r-1', { ...PENDING, snsMessageId: 'msg-1', opsItemError: 'old' });

      expect(await ledger.listPendingEscalations(NOW + 1)).toEqual(none);
    });

    it('lists only escalations pending since before the cutoff, oldest first, within the limit', async () => {
      const { ledger, clock } = subject();
      for (const [id, offset] of [
        ['r-b', 20],
        ['r-a', 0],
        ['r-c', 40],
      ] as const) {
        clock.set(NOW + offset);
        await ledger.createRemediation(newRemediation(id, { state: 'escalated', escalation: PENDING }));
      }

      expect(ids(await ledger.listPendingEscalations(NOW))).toEqual([]);
      expect(ids(await ledger.listPendingEscalations(NOW + 20))).toEqual(['r-a']);
      expect(ids(await ledger.listPendingEscalations(NOW + 41))).toEqual(['r-a', 'r-b', 'r-c']);
      expect(ids(await ledger.listPendingEscalations(NOW + 41, 2))).toEqual(['r-a', 'r-b']);
      expect(await ledger.listPendingEscalations(NOW + 41, 0)).toEqual(none);
    });
  });
}
