/**
 * An observe-mode rule tells the escalation topic what it would have run, at most once per alarm
 * event: an attempt killed at any point of recording and sending (Lambda timeout, out of memory,
 * lost sandbox) leaves its claim, and the retry that takes the claim over must not notify again.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, type TestDeps, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const INSTANCE = 'i-0abc123def4567890';
const OBSERVE = { ...DISK_RULE, mode: 'observe' };
const REQUEST = { requestId: 'req-1' };

/** Where the first attempt dies. */
type KillPoint = 'recording the notification' | 'sending' | 'recording the outcome';

/**
 * Runs a first attempt of `evt-1` (Lambda request `req-1`) that dies at `point`: the call there
 * does its work (SNS takes the message; the ledger writes) and then never returns.
 */
async function killedAt(deps: TestDeps, point: KillPoint): Promise<void> {
  let reached = () => {};
  const hung = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const dieAfter =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await call(...args);
      reached();
      return new Promise<R>(() => {});
    };
  const { ledger, escalator } = deps;
  const once = <A extends unknown[], R>(
    real: (...args: A) => Promise<R>,
    set: (f: (...args: A) => Promise<R>) => void,
  ) => {
    set(async (...args: A) => {
      set(real);
      return dieAfter(real)(...args);
    });
  };
  if (point === 'recording the notification') {
    once(ledger.createRemediation.bind(ledger), (f) => {
      ledger.createRemediation = f;
    });
  } else if (point === 'sending') {
    once(escalator.notify.bind(escalator), (f) => {
      escalator.notify = f;
    });
  } else {
    once(ledger.recordEscalation.bind(ledger), (f) => {
      ledger.recordEscalation = f;
    });
  }
  void handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, REQUEST);
  await hung;
}

describe('observe mode notifies at most once', () => {
  it('records the notification with its kind and owner, then what SNS answered', async () => {
    const deps = testDeps({ rules: [OBSERVE] });

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, REQUEST);

    expect(result).toMatchObject({ outcome: 'observed', escalation: { snsMessageId: 'msg-1' } });
    expect(deps.escalator.notifications).toHaveLength(1);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation).toEqual({
      reason: 'observe mode: would start SelfHeal-CleanupDirectory',
      atSec: deps.clock.nowSec(),
      byEventId: 'evt-1',
      kind: 'observed',
      snsMessageId: 'msg-1',
    });
  });

  // Killed after recording the pending notification and before SNS took it, nothing is sent: the
  // price of at most once (the record keeps the notification pending, neither id nor error).
  it.each<[KillPoint, number]>([
    ['recording the notification', 0],
    ['sending', 1],
    ['recording the outcome', 1],
  ])(
    'never sends again when the attempt is killed while %s and Lambda retries it (sent: %i)',
    async (point, sent) => {
      const deps = testDeps({ rules: [OBSERVE] });
      await killedAt(deps, point);
      deps.clock.advance(60);

      const retry = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, REQUEST);

      expect(deps.escalator.notifications).toHaveLength(sent);
      expect(retry.outcome).toBe('duplicate');
      const stored = await deps.ledger.getRemediation('rem-evt-1');
      expect(stored).toMatchObject({
        state: 'observed',
        escalation: { kind: 'observed', byEventId: 'evt-1' },
      });
    },
  );

  it('sends once when another delivery takes the claim over after the lease', async () => {
    const deps = testDeps({ rules: [OBSERVE] });
    await killedAt(deps, 'sending');
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC);

    const other = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-2' });

    expect(other.outcome).toBe('duplicate');
    expect(deps.escalator.notifications).toHaveLength(1);
  });

  it('notifies on the retry when the attempt failed before recording anything', async () => {
    const deps = testDeps({ rules: [OBSERVE] });
    const create = deps.ledger.createRemediation.bind(deps.ledger);
    deps.ledger.createRemediation = async () => {
      deps.ledger.createRemediation = create;
      throw new Error('ProvisionedThroughputExceededException');
    };

    await expect(handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, REQUEST)).rejects.toThrow(
      'ProvisionedThroughputExceededException',
    );
    expect(deps.escalator.notifications).toHaveLength(0);
    const retry = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, REQUEST);

    expect(retry.outcome).toBe('observed');
    expect(deps.escalator.notifications).toHaveLength(1);
  });

  it('records an SNS failure and does not send again on a redelivery', async () => {
    const deps = testDeps({ rules: [OBSERVE] });
    deps.escalator.snsFails = true;

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, REQUEST);
    deps.escalator.snsFails = false;
    const again = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-2' });

    expect(result).toMatchObject({
      outcome: 'observed',
      escalation: { snsError: 'Error: SNS throttled', kind: 'observed' },
    });
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation?.snsError).toBe(
      'Error: SNS throttled',
    );
    expect(again.outcome).toBe('duplicate');
    expect(deps.escalator.notifications).toHaveLength(0);
  });
});
