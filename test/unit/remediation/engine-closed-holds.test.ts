/**
 * The one rule for a closed remediation's holds: closed from `started` without an execution
 * (other than a start SSM refused), it keeps them until they expire and counts as a remediation,
 * whichever path closed it; any other closed remediation gives them back.
 */
import { describe, expect, it } from 'vitest';
import { keepsHoldsClosed } from '../../../lambdas/core/remediation/engine-closed-holds';

describe('keepsHoldsClosed', () => {
  it.each([
    {
      what: 'skipped from started',
      record: { state: 'skipped', stateTimes: { started: 1, skipped: 2 } },
      keeps: true,
    },
    {
      what: 'escalated from started (the recheck, or the deadline sweep)',
      record: { state: 'escalated', stateTimes: { started: 1, escalated: 2 } },
      keeps: true,
    },
    {
      what: 'resolved from started (the OK event, or the deadline sweep)',
      record: { state: 'resolved', stateTimes: { started: 1, resolved: 2 } },
      keeps: true,
    },
    {
      what: 'skipped from started after a re-drive from blocked',
      record: { state: 'skipped', stateTimes: { blocked: 1, started: 2, skipped: 3 } },
      keeps: true,
    },
    {
      what: 'escalated from blocked (a resume refused its holds)',
      record: { state: 'escalated', stateTimes: { started: 1, blocked: 2, escalated: 3 } },
      keeps: false,
    },
    {
      what: 'skipped at the first decision',
      record: { state: 'skipped', stateTimes: { skipped: 1 } },
      keeps: false,
    },
    {
      what: 'escalated at the first decision',
      record: { state: 'escalated', stateTimes: { escalated: 1 } },
      keeps: false,
    },
    {
      what: 'resolved with an execution recorded',
      record: {
        state: 'resolved',
        stateTimes: { started: 1, verifying: 2, resolved: 3 },
        executionId: 'exec-1',
      },
      keeps: false,
    },
    {
      what: 'escalated with an execution recorded',
      record: {
        state: 'escalated',
        stateTimes: { started: 1, verifying: 2, escalated: 3 },
        executionId: 'exec-1',
      },
      keeps: false,
    },
    {
      what: 'failed to start (SSM refused it)',
      record: { state: 'failed', stateTimes: { started: 1, failed: 2 } },
      keeps: false,
    },
    { what: 'still started (open)', record: { state: 'started', stateTimes: { started: 1 } }, keeps: false },
  ] as const)('is $keeps for a record $what', ({ record, keeps }) => {
    expect(keepsHoldsClosed(record)).toBe(keeps);
  });
});
