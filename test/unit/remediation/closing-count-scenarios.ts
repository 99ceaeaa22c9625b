/**
 * A remediation closed from `started` without an execution counts as a remediation for the
 * frequency limit and the cooldown (./engine-closed-holds). The count must be part of the closing
 * write: a Lambda killed right after the write that closed the record must not leave it closed and
 * uncounted. Each path that closes such a record runs here with a ledger that kills the Lambda
 * after its closing transition (every later ledger call throws); so does a start, whose count
 * belongs to the write that records its execution. Run against every ledger (in memory in
 * test/unit, DynamoDB on moto in test/emulator).
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import type { Ledger, RemediationState } from '../../../lambdas/core/remediation/ledger';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, type TestDeps, testDeps } from './engine-deps';
import { configWith, DISK_RULE } from './helpers';
import type { LedgerFactory } from './ledger-contract-subject';
import { ALARM, INSTANCE, nextStartsDie, REMEDIATION } from './start-died';

/** Thrown by every ledger call once the Lambda is "killed". */
const KILLED = 'Lambda killed right after the closing write';

const CLOSED: ReadonlySet<RemediationState> = new Set(['resolved', 'escalated', 'skipped']);

/** `ledger`, as seen by a Lambda killed once its transition into one of `states` returned. */
function killedAfterTransitionTo(ledger: Ledger, states: ReadonlySet<RemediationState>): Ledger {
  let killed = false;
  const into: ReadonlySet<unknown> = states;
  return new Proxy(ledger, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (killed) throw new Error(KILLED);
        const result: unknown = await value.apply(target, args);
        if (property === 'transition' && into.has(args[2])) killed = true;
        return result;
      };
    },
  });
}

/** How one path closes the record: runs it on `deps` (whose ledger kills the Lambda). */
interface ClosingPath {
  readonly path: string;
  readonly state: RemediationState;
  /** What changed before the close, on the deps with the real ledger. */
  readonly before?: (deps: TestDeps) => Promise<TestDeps>;
  readonly close: (deps: TestDeps) => Promise<unknown>;
}

/** Moves the clock just past the record's deadline. */
async function pastDeadline(deps: TestDeps): Promise<TestDeps> {
  const deadlineSec = (await deps.ledger.getRemediation(REMEDIATION))?.deadlineSec ?? 0;
  deps.clock.advance(deadlineSec - deps.clock.nowSec() + 1);
  return deps;
}

/** Past the start's lease, so the sweeper resumes it (and its recheck refuses). */
function leaseOver(deps: TestDeps): TestDeps {
  deps.clock.advance(EVENT_CLAIM_LEASE_SEC);
  return deps;
}

const PATHS: readonly ClosingPath[] = [
  {
    path: "the alarm's OK event resolves it",
    state: 'resolved',
    close: (deps) => handleAlarmEvent(alarmOnInstance('evt-1-ok', INSTANCE, 'OK'), deps),
  },
  {
    path: 'the deadline sweep escalates it',
    state: 'escalated',
    before: pastDeadline,
    close: (deps) => sweepDeadlines(deps, 'sweep-1'),
  },
  {
    path: 'the deadline sweep finds the alarm OK and resolves it',
    state: 'resolved',
    before: async (deps) => {
      deps.alarms.states.set(ALARM, 'OK');
      return pastDeadline(deps);
    },
    close: (deps) => sweepDeadlines(deps, 'sweep-1'),
  },
  {
    path: "the sweeper's resume finds the alarm OK and skips it",
    state: 'skipped',
    before: async (deps) => {
      deps.alarms.states.set(ALARM, 'OK');
      return leaseOver(deps);
    },
    close: (deps) => sweepDeadlines(deps, 'sweep-1'),
  },
  {
    path: "the sweeper's resume finds the rule frozen and escalates it",
    state: 'escalated',
    before: async (deps) => {
      await deps.ledger.freezeRule(DISK_RULE.id, 'budget spent by another remediation');
      return leaseOver(deps);
    },
    close: (deps) => sweepDeadlines(deps, 'sweep-1'),
  },
  {
    path: "Lambda's retry finds the rule switched to observe and skips it",
    state: 'skipped',
    before: async (deps) => {
      deps.clock.advance(60);
      return { ...deps, config: configWith([{ ...DISK_RULE, mode: 'observe' }]) };
    },
    close: (deps) => handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' }),
  },
];

export function closingCountScenarios(name: string, factory: LedgerFactory): void {
  describe(`a close from started without an execution counts in its closing write: ${name}`, () => {
    it.each(PATHS)('counts it when $path and the Lambda dies right after', async (path) => {
      const base = testDeps();
      const deps: TestDeps = { ...base, ledger: await factory(base.clock) };
      const reached = nextStartsDie(deps, 1, { reachSsm: true });
      void handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' });
      await reached;
      const ready = (await path.before?.(deps)) ?? deps;

      const killing = killedAfterTransitionTo(deps.ledger, CLOSED);
      await path.close({ ...ready, ledger: killing }).catch((error: unknown) => {
        expect(String(error)).toContain(KILLED);
      });

      const record = await deps.ledger.getRemediation(REMEDIATION);
      expect(record).toMatchObject({ state: path.state });
      expect(record?.executionId).toBeUndefined();
      expect(await deps.ledger.countRemediations(DISK_RULE.id, INSTANCE, 0)).toBe(1);
      expect(await deps.ledger.lastRemediationAt(DISK_RULE.id, INSTANCE)).toBe(record?.createdAtSec);
    });

    it('counts a start in the write that records its execution when the Lambda dies right after', async () => {
      const base = testDeps();
      const deps: TestDeps = { ...base, ledger: await factory(base.clock) };
      const killing = killedAfterTransitionTo(deps.ledger, new Set(['verifying']));
      deps.clock.advance(5);

      await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), { ...deps, ledger: killing }).catch(
        (error: unknown) => expect(String(error)).toContain(KILLED),
      );

      expect(await deps.ledger.getRemediation(REMEDIATION)).toMatchObject({
        state: 'verifying',
        executionId: expect.any(String),
      });
      expect(await deps.ledger.countRemediations(DISK_RULE.id, INSTANCE, 0)).toBe(1);
      expect(await deps.ledger.lastRemediationAt(DISK_RULE.id, INSTANCE)).toBe(deps.clock.nowSec());
    });
  });
}
