/**
 * One sweep runs several steps over the ledger: overdue remediations, blocked ones, stalled
 * starts, stale escalations, expired slots. A listing that fails, or one record whose handling
 * fails (a record the ledger cannot read, an AWS call refused), is reported in the summary's
 * errors under its step; the other records and the later steps still run.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { MalformedRecordError } from '../../../lambdas/core/remediation/ledger';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, type TestDeps, testDeps } from './engine-deps';
import { nextStartsDie } from './start-died';

const A = 'i-00000000000000001';
const B = 'i-00000000000000002';
const C = 'i-00000000000000003';

/**
 * Work for every step at once: `rem-evt-1` (A) past its deadline, its automation ended with
 * success (its status event lost) and the alarm still in ALARM, `rem-evt-2` (B) a start whose
 * handler died in StartAutomationExecution a lease ago, `rem-evt-3` (C) escalated by a sweep that
 * died before SNS took it, 100 s ago.
 */
async function workForEveryStep(): Promise<TestDeps> {
  const deps = testDeps();
  const first = await handleAlarmEvent(alarmOnInstance('evt-1', A), deps);
  deps.automation.statuses.set(first.executionId ?? '', 'Success');
  deps.clock.advance(520);
  const died = nextStartsDie(deps);
  void handleAlarmEvent(alarmOnInstance('evt-2', B), deps, { requestId: 'req-2' });
  await died;
  await handleAlarmEvent(alarmOnInstance('evt-3', C), deps);
  const escalation = { reason: 'deadline passed', atSec: deps.clock.nowSec(), byEventId: 'sweep-0' };
  await deps.ledger.transition('rem-evt-3', 'verifying', 'escalated', { escalation });
  deps.clock.advance(100);
  return deps;
}

/** What the later steps did: the stalled start resumed, the stale escalation sent. */
async function expectLaterStepsRan(deps: TestDeps, sweep: Awaited<ReturnType<typeof sweepDeadlines>>) {
  expect(sweep.resumed).toBe(1);
  expect(await deps.ledger.getRemediation('rem-evt-2')).toMatchObject({ state: 'verifying' });
  expect(sweep.resentEscalations).toBe(1);
  expect((await deps.ledger.getRemediation('rem-evt-3'))?.escalation?.snsMessageId).toBeDefined();
}

describe('a sweep with a failing step', () => {
  it('handles every step when nothing fails', async () => {
    const deps = await workForEveryStep();

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.errors).toEqual([]);
    expect(sweep.unreadableLedgerItems).toEqual([]);
    expect(sweep.checked).toBe(1);
    expect(await deps.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'escalated' });
    await expectLaterStepsRan(deps, sweep);
  });

  it('reports a listing that fails as a whole under its step and still runs the later steps', async () => {
    const deps = await workForEveryStep();
    deps.ledger.listOverdue = async () => {
      throw new Error('ThrottlingException: Rate exceeded');
    };

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.errors).toEqual([
      { step: 'handle overdue remediations', error: 'Error: ThrottlingException: Rate exceeded' },
    ]);
    expect(await deps.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'verifying' });
    await expectLaterStepsRan(deps, sweep);
  });

  it('reports a record it cannot read by id and key, and goes on with the other records and steps', async () => {
    const deps = await workForEveryStep();
    const bad = new MalformedRecordError(
      'pk=REM#rem-evt-2 sk=REM',
      'createdAtSec: missing; required (number)',
    );
    const get = deps.ledger.getRemediation.bind(deps.ledger);
    deps.ledger.getRemediation = async (id) => {
      if (id === 'rem-evt-2') throw bad;
      return get(id);
    };

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.errors).toEqual([
      {
        step: 'resume stalled starts',
        remediationId: 'rem-evt-2',
        key: 'pk=REM#rem-evt-2 sk=REM',
        problem: 'createdAtSec: missing; required (number)',
        error:
          'MalformedRecordError: ledger item pk=REM#rem-evt-2 sk=REM is malformed: createdAtSec: missing; required (number)',
      },
    ]);
    expect(sweep.unreadableLedgerItems).toEqual([{ key: bad.key, problem: bad.problem }]);
    expect(sweep.resumed).toBe(0);
    expect(await deps.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'escalated' });
    expect(sweep.resentEscalations).toBe(1);
  });

  it('reports a malformed item its listing reports by key and problem, and handles the records listed with it', async () => {
    const deps = await workForEveryStep();
    const bad = new MalformedRecordError('pk=REM#rem-bad sk=REM', 'createdAtSec: missing; required (number)');
    const list = deps.ledger.listOverdue.bind(deps.ledger);
    deps.ledger.listOverdue = async (nowSec, limit) => ({ ...(await list(nowSec, limit)), malformed: [bad] });

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.errors).toEqual([
      {
        step: 'handle overdue remediations',
        key: 'pk=REM#rem-bad sk=REM',
        problem: 'createdAtSec: missing; required (number)',
        error:
          'MalformedRecordError: ledger item pk=REM#rem-bad sk=REM is malformed: createdAtSec: missing; required (number)',
      },
    ]);
    expect(sweep.unreadableLedgerItems).toEqual([{ key: bad.key, problem: bad.problem }]);
    expect(sweep.checked).toBe(2);
    expect(await deps.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'escalated' });
    await expectLaterStepsRan(deps, sweep);
  });
});
