import { describe, expect, it } from 'vitest';
import { applyTransition } from '../../../lambdas/core/remediation/ledger-apply';
import type { RemediationRecord, StateEntry } from '../../../lambdas/core/remediation/ledger-records';
import {
  STATE_LOG_KEPT_FIRST,
  STATE_LOG_MAX_ENTRIES,
  stateHistory,
  withStateEntered,
} from '../../../lambdas/core/remediation/state-log';
import { RESOLVED, T0, writtenBeforeStateLog } from '../../cli/fixtures/history-records';

const OPTIONS = { retentionDays: 90 };

/** A record as a release before the state log wrote it, open in `started` since T0. */
const BEFORE_LOG: RemediationRecord = {
  ...writtenBeforeStateLog(RESOLVED),
  state: 'started',
  stateTimes: { started: T0 },
  updatedAtSec: T0,
};

/** `n` entries alternating started and blocked, a minute apart from T0. */
const alternating = (n: number): StateEntry[] =>
  Array.from({ length: n }, (_, i) => ({ state: i % 2 === 0 ? 'started' : 'blocked', atSec: T0 + 60 * i }));

describe('stateHistory', () => {
  it('is the state log when the record has one', () => {
    expect(stateHistory(RESOLVED)).toEqual({ entries: RESOLVED.stateLog });
  });

  it('orders the stateTimes of a record written before the log by time, then as a remediation moves', () => {
    const history = stateHistory({
      stateTimes: { resolved: T0 + 60, started: T0, blocked: T0, verifying: T0 + 60 },
    });

    expect(history.entries).toEqual([
      { state: 'blocked', atSec: T0 },
      { state: 'started', atSec: T0 },
      { state: 'verifying', atSec: T0 + 60 },
      { state: 'resolved', atSec: T0 + 60 },
    ]);
  });

  it('is empty for a remediation not recorded yet', () => {
    expect(stateHistory({})).toEqual({ entries: [] });
  });
});

describe('withStateEntered', () => {
  it('appends the state entered, a state already entered too', () => {
    const record = { stateLog: alternating(2) };

    expect(withStateEntered(record, 'started', T0 + 300)).toEqual({
      stateLog: [...alternating(2), { state: 'started', atSec: T0 + 300 }],
    });
  });

  it('starts the log of a record written before it from its stateTimes', () => {
    const blocked = applyTransition('rem-resolved', BEFORE_LOG, 'started', 'blocked', {}, T0 + 120, OPTIONS);
    const again = applyTransition('rem-resolved', blocked, 'blocked', 'started', {}, T0 + 300, OPTIONS);

    expect(again.stateLog).toEqual([
      { state: 'started', atSec: T0 },
      { state: 'blocked', atSec: T0 + 120 },
      { state: 'started', atSec: T0 + 300 },
    ]);
    // The engine's reading is unchanged: the last time of each state.
    expect(again.stateTimes).toEqual({ started: T0 + 300, blocked: T0 + 120 });
  });

  it('leaves out the oldest entry after the first ones kept once the log is full, and counts it', () => {
    const full = { stateLog: alternating(STATE_LOG_MAX_ENTRIES) };

    const next = withStateEntered(full, 'blocked', T0 + 9999);

    expect(next.stateLog).toHaveLength(STATE_LOG_MAX_ENTRIES);
    expect(next.stateLog?.slice(0, STATE_LOG_KEPT_FIRST)).toEqual(alternating(STATE_LOG_KEPT_FIRST));
    // Entry STATE_LOG_KEPT_FIRST (the oldest after those) went; the rest follow, then the new one.
    expect(next.stateLog?.slice(STATE_LOG_KEPT_FIRST)).toEqual([
      ...alternating(STATE_LOG_MAX_ENTRIES).slice(STATE_LOG_KEPT_FIRST + 1),
      { state: 'blocked', atSec: T0 + 9999 },
    ]);
    expect(next.stateLogGap).toEqual({ after: STATE_LOG_KEPT_FIRST, count: 1 });
  });

  it('adds to the count of a gap already recorded and keeps an unchanged gap', () => {
    const gap = { after: STATE_LOG_KEPT_FIRST, count: 7 };

    const full = withStateEntered(
      { stateLog: alternating(STATE_LOG_MAX_ENTRIES), stateLogGap: gap },
      'started',
      T0,
    );
    const roomy = withStateEntered({ stateLog: alternating(3), stateLogGap: gap }, 'started', T0);

    expect(full.stateLogGap).toEqual({ after: STATE_LOG_KEPT_FIRST, count: 8 });
    expect(roomy.stateLogGap).toEqual(gap);
  });

  it('keeps the newest entry when a hand-edited gap lies past the cap', () => {
    const next = withStateEntered(
      { stateLog: alternating(STATE_LOG_MAX_ENTRIES), stateLogGap: { after: 500, count: 1 } },
      'verifying',
      T0 + 9999,
    );

    expect(next.stateLog).toHaveLength(STATE_LOG_MAX_ENTRIES);
    expect(next.stateLog?.at(-1)).toEqual({ state: 'verifying', atSec: T0 + 9999 });
    expect(next.stateLogGap).toEqual({ after: STATE_LOG_MAX_ENTRIES - 1, count: 2 });
  });
});
