/**
 * The `Ledger` contract for one remediation record: creating it, moving it between states, and
 * what is recorded on it later (automation success, escalations) (see ./ledger-contract).
 */
import { expect, it } from 'vitest';
import {
  IllegalTransitionError,
  InvalidRemediationError,
  RemediationExistsError,
  RemediationNotFoundError,
  type RemediationState,
  StateConflictError,
  TRANSITIONS,
} from '../../../lambdas/core/remediation/ledger';
import { STATE_LOG_MAX_ENTRIES } from '../../../lambdas/core/remediation/state-log';
import type { LedgerSubject } from './ledger-contract-subject';
import { NOW, newRemediation } from './ledger-fixtures';

const STATES = Object.keys(TRANSITIONS) as RemediationState[];
const LEGAL = STATES.flatMap((from) => TRANSITIONS[from].map((to) => [from, to] as const));
const ILLEGAL = STATES.flatMap((from) =>
  STATES.filter((to) => !TRANSITIONS[from].includes(to)).map((to) => [from, to] as const),
);

/** Creating, moving and annotating remediation records. */
export function remediationRecordContract(subject: LedgerSubject): void {
  it('creates a record stamped with the clock and a retention TTL', async () => {
    const { ledger } = subject();
    const created = await ledger.createRemediation(newRemediation('r-1'));
    expect(created).toMatchObject({
      state: 'started',
      createdAtSec: NOW,
      stateTimes: { started: NOW },
      stateLog: [{ state: 'started', atSec: NOW }],
    });
    expect(created.expiresAt).toBe(NOW + 7 * 86_400);
    expect(await ledger.getRemediation('r-1')).toEqual(created);
    expect(await ledger.getRemediation('r-x')).toBeUndefined();
  });

  it.each([
    ['a taken id', newRemediation('r-1'), RemediationExistsError],
    ['a non-initial state', newRemediation('r-2', { state: 'verifying' }), InvalidRemediationError],
    [
      'an open state without deadline',
      newRemediation('r-3', { deadlineSec: undefined }),
      InvalidRemediationError,
    ],
  ])('rejects creating %s', async (_, input, error) => {
    const { ledger } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    await expect(ledger.createRemediation(input)).rejects.toBeInstanceOf(error);
  });

  it.each(LEGAL)('allows %s → %s', async (from, to) => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('r-1', { state: from === 'verifying' ? 'started' : from }));
    if (from === 'verifying') await ledger.transition('r-1', 'started', 'verifying');
    clock.advance(30);
    const moved = await ledger.transition('r-1', from, to, { reason: 'test' });
    expect(moved).toMatchObject({ state: to, reason: 'test', updatedAtSec: NOW + 30 });
    expect(moved.stateTimes[to]).toBe(NOW + 30);
    expect(await ledger.getRemediation('r-1')).toEqual(moved);
  });

  it('logs every state entered in order, a state entered twice each time, beside its last time in stateTimes', async () => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    clock.advance(120);
    await ledger.transition('r-1', 'started', 'blocked', { blockedBy: 'globalCap' });
    clock.advance(180);
    await ledger.transition('r-1', 'blocked', 'started', { deadlineSec: NOW + 900 });
    clock.advance(60);
    const moved = await ledger.transition('r-1', 'started', 'verifying', { executionId: 'exec-1' });

    expect(moved.stateLog).toEqual([
      { state: 'started', atSec: NOW },
      { state: 'blocked', atSec: NOW + 120 },
      { state: 'started', atSec: NOW + 300 },
      { state: 'verifying', atSec: NOW + 360 },
    ]);
    // What the engine times a start's lease by and compares holds by: the last entry of each state.
    expect(moved.stateTimes).toEqual({ started: NOW + 300, blocked: NOW + 120, verifying: NOW + 360 });
    expect(await ledger.getRemediation('r-1')).toEqual(moved);
  });

  it('caps the state log, keeping its first entries and the newest and counting those left out', async () => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    // 1 + 2 × 20 entries: 9 over the cap of 32.
    for (let i = 0; i < 20; i += 1) {
      clock.advance(60);
      await ledger.transition('r-1', 'started', 'blocked');
      clock.advance(60);
      await ledger.transition('r-1', 'blocked', 'started');
    }

    const stored = await ledger.getRemediation('r-1');

    expect(stored?.stateLog).toHaveLength(STATE_LOG_MAX_ENTRIES);
    expect(stored?.stateLog?.slice(0, 4)).toEqual([
      { state: 'started', atSec: NOW },
      { state: 'blocked', atSec: NOW + 60 },
      { state: 'started', atSec: NOW + 120 },
      { state: 'blocked', atSec: NOW + 180 },
    ]);
    expect(stored?.stateLog?.at(-1)).toEqual({ state: 'started', atSec: NOW + 2400 });
    expect(stored?.stateLogGap).toEqual({ after: 4, count: 9 });
  });

  it('counts a remediation in the same write as the transition whose effects give a time', async () => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    await ledger.createRemediation(newRemediation('r-2'));
    clock.advance(30);
    const seen: string[] = [];
    const moved = await ledger.transition('r-1', 'started', 'resolved', undefined, {
      remediationCountAtSec: (r) => {
        seen.push(`${r.id} ${r.state}`);
        return r.createdAtSec;
      },
    });
    await ledger.transition('r-2', 'started', 'verifying', {}, { remediationCountAtSec: () => undefined });
    expect(seen).toEqual(['r-1 resolved']);
    expect(await ledger.getRemediation('r-1')).toEqual(moved);
    expect(await ledger.countRemediations('disk', 'i-1', 0)).toBe(1);
    expect(await ledger.lastRemediationAt('disk', 'i-1')).toBe(NOW);
    // The same entry recordRemediation writes: counting it again changes nothing.
    await ledger.recordRemediation('disk', 'i-1', NOW, 'r-1');
    expect(await ledger.countRemediations('disk', 'i-1', 0)).toBe(1);
  });

  it('counts nothing when the transition with the count is refused', async () => {
    const { ledger } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    await ledger.transition('r-1', 'started', 'verifying', { executionId: 'exec-1' });
    const counted = { remediationCountAtSec: () => NOW };

    await expect(ledger.transition('r-1', 'started', 'resolved', {}, counted)).rejects.toBeInstanceOf(
      StateConflictError,
    );
    await expect(ledger.transition('r-x', 'started', 'resolved', {}, counted)).rejects.toBeInstanceOf(
      RemediationNotFoundError,
    );

    expect(await ledger.getRemediation('r-1')).toMatchObject({ state: 'verifying' });
    expect(await ledger.countRemediations('disk', 'i-1', 0)).toBe(0);
  });

  it("writes only the winner's count when racing transitions each carry one", async () => {
    const { ledger } = subject();
    await ledger.createRemediation(newRemediation('r-1'));

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        ledger.transition(
          'r-1',
          'started',
          i % 2 === 0 ? 'resolved' : 'escalated',
          {},
          {
            remediationCountAtSec: () => NOW + i,
          },
        ),
      ),
    );

    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(won).toHaveLength(1);
    expect(await ledger.countRemediations('disk', 'i-1', 0)).toBe(1);
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    expect(await ledger.lastRemediationAt('disk', 'i-1')).toBe(NOW + winner);
  });

  it.each(ILLEGAL)('rejects %s → %s as illegal', async (from, to) => {
    const { ledger } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    await expect(ledger.transition('r-1', from, to)).rejects.toBeInstanceOf(IllegalTransitionError);
  });

  it('rejects a transition from a state the record has left, and one of an unknown id', async () => {
    const { ledger } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    await ledger.transition('r-1', 'started', 'verifying');
    await expect(ledger.transition('r-1', 'started', 'resolved')).rejects.toBeInstanceOf(StateConflictError);
    await expect(ledger.transition('r-x', 'started', 'resolved')).rejects.toBeInstanceOf(
      RemediationNotFoundError,
    );
    expect((await ledger.getRemediation('r-1'))?.state).toBe('verifying');
  });

  it('finds a remediation by execution id and records time to recover on resolve', async () => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    await ledger.transition('r-1', 'started', 'verifying', { executionId: 'exec-1' });
    expect((await ledger.findByExecutionId('exec-1'))?.id).toBe('r-1');
    expect(await ledger.findByExecutionId('exec-2')).toBeUndefined();
    clock.advance(240);
    const resolved = await ledger.transition('r-1', 'verifying', 'resolved');
    expect(resolved.timeToRecoverSec).toBe(240);
    expect((await ledger.findByExecutionId('exec-1'))?.state).toBe('resolved');
  });

  it('records an automation success on an open remediation once, and refuses it on a closed one', async () => {
    const { ledger, clock } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    await ledger.transition('r-1', 'started', 'verifying', { executionId: 'exec-1' });
    clock.advance(10);
    const first = await ledger.recordAutomationSucceeded('r-1', NOW + 10);
    expect(first).toMatchObject({
      state: 'verifying',
      automationSucceededAtSec: NOW + 10,
      updatedAtSec: NOW + 10,
    });
    await ledger.recordAutomationSucceeded('r-1', NOW + 50);
    expect(await ledger.getRemediation('r-1')).toMatchObject({ automationSucceededAtSec: NOW + 10 });
    expect((await ledger.findByExecutionId('exec-1'))?.automationSucceededAtSec).toBe(NOW + 10);
    await ledger.transition('r-1', 'verifying', 'resolved', { recoveredState: 'INSUFFICIENT_DATA' });
    expect(await ledger.getRemediation('r-1')).toMatchObject({ recoveredState: 'INSUFFICIENT_DATA' });
    await expect(ledger.recordAutomationSucceeded('r-1', NOW + 60)).rejects.toBeInstanceOf(
      StateConflictError,
    );
    await expect(ledger.recordAutomationSucceeded('r-x', NOW + 60)).rejects.toBeInstanceOf(
      RemediationNotFoundError,
    );
  });

  it.each(['escalated', 'failed', 'observed'] as const)(
    'records a re-sent escalation (or an observe notification) on a %s record, changing nothing else',
    async (state) => {
      const { ledger, clock } = subject();
      await ledger.createRemediation(
        newRemediation('r-1', { state, escalation: { reason: 'x', atSec: NOW, snsError: 'Throttled' } }),
      );
      clock.advance(60);
      const sent = { reason: 'x', atSec: NOW + 60, snsMessageId: 'm-2', opsItemId: 'oi-1' };
      const updated = await ledger.recordEscalation('r-1', sent);
      expect(updated).toMatchObject({ state, escalation: sent, updatedAtSec: NOW + 60 });
      expect(await ledger.getRemediation('r-1')).toEqual(updated);
      expect(updated.stateTimes).toEqual({ [state]: NOW });
    },
  );

  it('refuses to record an escalation on an open, other closed or unknown record', async () => {
    const { ledger } = subject();
    await ledger.createRemediation(newRemediation('r-1'));
    await ledger.createRemediation(newRemediation('r-2', { state: 'dryRun' }));
    const sent = { reason: 'x', atSec: NOW, snsMessageId: 'm-1' };
    await expect(ledger.recordEscalation('r-1', sent)).rejects.toBeInstanceOf(StateConflictError);
    await expect(ledger.recordEscalation('r-2', sent)).rejects.toBeInstanceOf(StateConflictError);
    await expect(ledger.recordEscalation('r-x', sent)).rejects.toBeInstanceOf(RemediationNotFoundError);
    expect((await ledger.getRemediation('r-1'))?.escalation).toBeUndefined();
    expect((await ledger.getRemediation('r-2'))?.escalation).toBeUndefined();
  });
}
