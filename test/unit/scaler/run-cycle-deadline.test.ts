/**
 * A run that must stop waiting (the invocation's time is running out) still returns a decision
 * record for every target and publishes the forecasts it finished, instead of hanging on a call
 * that never answers until Lambda kills it with nothing recorded.
 */
import { describe, expect, it } from 'vitest';
import { type CycleDeadline, cycleDeadlineMs, runForecastCycle } from '../../../lambdas/core/scaler';
import { dailyHistory, fixedClock, MemoryPorts, NOW_SEC, target } from './memory-ports';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** `scaled` writes actions on web-asg; `watched` is forecast only. */
function setup() {
  const ports = new MemoryPorts();
  const targets = [
    target({ id: 'scaled', autoScalingGroupName: 'web-asg' }),
    target({ id: 'watched', autoScalingGroupName: 'api-asg', mode: 'forecastOnly' }),
  ];
  for (const t of targets) {
    ports.addGroup(t.autoScalingGroupName);
    ports.histories.set(t.id, { ok: true, value: dailyHistory(NOW_SEC, t.periodSec, 14) });
  }
  const stopTargets = new AbortController();
  const stopAll = new AbortController();
  const deadline: CycleDeadline = { stopTargets: stopTargets.signal, stopAll: stopAll.signal };
  return { ports, targets, stopTargets, stopAll, deadline };
}

/** Resolves once `ports.calls` holds `call`. */
async function untilCalled(ports: MemoryPorts, call: string): Promise<void> {
  for (let i = 0; i < 1000 && !ports.calls.includes(call); i++) await new Promise((r) => setTimeout(r, 1));
  if (!ports.calls.includes(call)) throw new Error(`${call} never called; calls: ${ports.calls.join(' ')}`);
}

describe('runForecastCycle with a deadline', () => {
  it('fails at deadline a target whose call never answers and still publishes the others', async () => {
    // Arrange
    const { ports, targets, stopTargets, deadline } = setup();
    ports.groups.listScheduledActions = async (groupName: string) => {
      ports.calls.push(`listScheduledActions(${groupName})`);
      return never();
    };

    // Act
    const run = runForecastCycle(targets, ports, fixedClock(), { deadline });
    await untilCalled(ports, 'listScheduledActions(web-asg)');
    stopTargets.abort(new Error('the invocation ran short (2000 ms left)'));
    const summary = await run;

    // Assert
    expect(summary).toMatchObject({ total: 2, failed: 1, succeeded: 1 });
    expect(summary.records[0]).toMatchObject({
      targetId: 'scaled',
      status: 'failed',
      failedStage: 'deadline',
      error:
        'DeadlineReachedError: the invocation ran short (2000 ms left) while target scaled was being processed',
    });
    expect(summary.records[1]).toMatchObject({ targetId: 'watched', status: 'forecastOnly' });
    expect(summary.records[1]?.publishedPoints).toBeGreaterThan(0);
    expect(ports.published.every((d) => d.targetId === 'watched')).toBe(true);
  });

  it('aborts the call in flight at the deadline, and its late answer writes nothing', async () => {
    // Arrange: the list of web-asg's actions answers only after the deadline, as a call the SDK
    // did not abort would.
    const { ports, targets, stopTargets, deadline } = setup();
    const list = ports.groups.listScheduledActions;
    let signalSeen: AbortSignal | undefined;
    let answerLate: () => void = () => undefined;
    ports.groups.listScheduledActions = async (groupName: string, signal?: AbortSignal) => {
      signalSeen = signal;
      const late = new Promise<void>((resolve) => {
        answerLate = resolve;
      });
      ports.calls.push(`listScheduledActions(${groupName})`);
      await late;
      return list(groupName);
    };

    // Act
    const run = runForecastCycle(targets, ports, fixedClock(), { deadline });
    await untilCalled(ports, 'listScheduledActions(web-asg)');
    stopTargets.abort(new Error('the invocation ran short (2000 ms left)'));
    const summary = await run;
    answerLate();
    await new Promise((r) => setTimeout(r, 20));

    // Assert
    expect(summary.records[0]).toMatchObject({ targetId: 'scaled', failedStage: 'deadline' });
    expect(signalSeen?.aborted).toBe(true);
    expect(ports.calls.filter((c) => c.startsWith('put(') || c.startsWith('delete('))).toEqual([]);
    expect(ports.ownActions('web-asg', 'scaled')).toEqual([]);
  });

  it('starts no target once its deadline has passed and records each one not reached', async () => {
    // Arrange
    const { ports, targets, stopTargets, deadline } = setup();
    ports.groups.listScheduledActions = async (groupName: string) => {
      ports.calls.push(`listScheduledActions(${groupName})`);
      return never();
    };

    // Act: one target at a time, so `watched` waits behind the hung `scaled`.
    const run = runForecastCycle(targets, ports, fixedClock(), { deadline, concurrency: 1 });
    await untilCalled(ports, 'listScheduledActions(web-asg)');
    stopTargets.abort();
    const summary = await run;

    // Assert
    expect(summary.records.map((r) => [r.targetId, r.failedStage, r.error])).toEqual([
      [
        'scaled',
        'deadline',
        'DeadlineReachedError: the invocation ran out of time while target scaled was being processed',
      ],
      [
        'watched',
        'deadline',
        'DeadlineReachedError: the invocation ran out of time before target watched was processed',
      ],
    ]);
    expect(ports.published).toEqual([]);
  });

  it('fails every target at deadline when the history read never answers', async () => {
    // Arrange
    const { ports, targets, stopTargets, deadline } = setup();
    ports.metrics.fetchHistory = async () => {
      ports.calls.push('fetchHistory');
      return never();
    };

    // Act
    const run = runForecastCycle(targets, ports, fixedClock(), { deadline });
    await untilCalled(ports, 'fetchHistory');
    stopTargets.abort();
    const summary = await run;

    // Assert
    expect(summary).toMatchObject({ total: 2, failed: 2 });
    for (const record of summary.records) {
      expect(record).toMatchObject({
        status: 'failed',
        failedStage: 'deadline',
        error: 'DeadlineReachedError: the invocation ran out of time while reading the load history',
      });
    }
    // The forecastOnly target's group is checked beside the history read, batched.
    expect(ports.calls).toEqual(['describeGroups(api-asg)', 'fetchHistory']);
    expect(summary.records[1]?.groupCheck).toEqual([]);
  });

  it('fails at publish the finished targets when publishing never answers', async () => {
    // Arrange
    const { ports, targets, stopAll, deadline } = setup();
    ports.publisher.storedTimes = async () => {
      ports.calls.push('storedTimes');
      return never();
    };

    // Act
    const run = runForecastCycle(targets, ports, fixedClock(), { deadline });
    await untilCalled(ports, 'storedTimes');
    stopAll.abort();
    const summary = await run;

    // Assert
    expect(summary.records.map((r) => [r.targetId, r.status, r.failedStage, r.publishedPoints])).toEqual([
      ['scaled', 'failed', 'publish', 0],
      ['watched', 'failed', 'publish', 0],
    ]);
    expect(summary.records[0]?.error).toBe(
      'DeadlineReachedError: the invocation ran out of time while publishing the forecasts',
    );
    // The actions it wrote before publishing stay on the record.
    expect(summary.records[0]?.actions?.written.length).toBeGreaterThan(0);
  });

  it('reads nothing once the deadline has passed before the run', async () => {
    // Arrange
    const { ports, targets, stopTargets, deadline } = setup();
    stopTargets.abort(new Error('no time left'));

    // Act
    const summary = await runForecastCycle(targets, ports, fixedClock(), { deadline });

    // Assert
    expect(summary.records.map((r) => [r.targetId, r.failedStage, r.error])).toEqual([
      ['scaled', 'deadline', 'DeadlineReachedError: no time left before reading the load history'],
      ['watched', 'deadline', 'DeadlineReachedError: no time left before reading the load history'],
    ]);
    expect(ports.calls).toEqual([]);
    expect(summary.records[1]?.groupCheck).toEqual([
      'Auto Scaling group api-asg could not be described, so it was not checked for forecastAndScale (DeadlineReachedError: no time left before the groups were described)',
    ]);
  });

  it('reads no later chunk once the time to process targets has run out', async () => {
    // Arrange: one target per chunk; the time runs out as the first chunk's read answers.
    const { ports, targets, stopTargets, deadline } = setup();
    const fetchHistory = ports.metrics.fetchHistory.bind(ports.metrics);
    ports.metrics.fetchHistory = async (requests) => {
      const read = await fetchHistory(requests);
      stopTargets.abort(new Error('no time left'));
      return read;
    };

    // Act
    const summary = await runForecastCycle(targets, ports, fixedClock(), {
      deadline,
      historyPointsPerChunk: 1,
    });

    // Assert: the second chunk fails at deadline without a read of its own.
    expect(summary.records.map((r) => [r.targetId, r.failedStage, r.error])).toEqual([
      ['scaled', 'deadline', 'DeadlineReachedError: no time left while reading the load history'],
      ['watched', 'deadline', 'DeadlineReachedError: no time left before reading the load history'],
    ]);
    expect(ports.calls.filter((c) => c.startsWith('fetchHistory'))).toEqual(['fetchHistory(1)']);
  });
});

describe('cycleDeadlineMs', () => {
  it.each([
    // The default 300 s timeout: 30 s to publish, 1 s to log and emit.
    { remainingMs: 300_000, stopTargetsMs: 269_000, stopAllMs: 299_000 },
    // A minute: a fifth of it to publish.
    { remainingMs: 60_000, stopTargetsMs: 47_200, stopAllMs: 59_000 },
    { remainingMs: 2000, stopTargetsMs: 800, stopAllMs: 1000 },
    { remainingMs: 500, stopTargetsMs: 0, stopAllMs: 0 },
  ])(
    'stops targets at $stopTargetsMs ms and all at $stopAllMs ms with $remainingMs ms left',
    ({ remainingMs, ...expected }) => {
      expect(cycleDeadlineMs(remainingMs)).toEqual(expected);
    },
  );
});
