/**
 * The history a forecast run holds at once. The forecaster once read every target's history in one
 * go and kept it, with the forecasts waiting to be published, until the last target was done: at
 * the configured maximum of targets it ran out of its 1,024 MB before writing anything.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  type HistoryRequest,
  historyChunks,
  historyPointBudget,
  historyPoints,
  type MetricSource,
  type Outcome,
  runForecastCycle,
  type TargetHistory,
} from '../../../lambdas/core/scaler';
import { dailyHistory, fixedClock, MemoryPorts, NOW_SEC, target } from './memory-ports';

// The run's histories are freed only by the garbage collector: the test asks it to collect.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * A metric source whose histories are fresh objects only the run can keep, each watched through a
 * WeakRef: at every read it collects garbage and counts the points of earlier reads still held.
 */
function watchingSource(calls: string[]): {
  source: MetricSource;
  heldAtRead: number[];
  requested: number[];
} {
  const watched: Array<{ ref: WeakRef<object>; points: number }> = [];
  const heldAtRead: number[] = [];
  const requested: number[] = [];
  const source: MetricSource = {
    fetchHistory: async (requests: readonly HistoryRequest[]) => {
      calls.push(`fetchHistory(${requests.length})`);
      // WeakRefs keep their target until the current task ends: collect in a later one.
      await new Promise((resolve) => setImmediate(resolve));
      collectGarbage();
      heldAtRead.push(watched.reduce((sum, w) => sum + (w.ref.deref() === undefined ? 0 : w.points), 0));
      requested.push(requests.reduce((sum, r) => sum + (r.endSec - r.startSec) / r.periodSec, 0));
      const out = new Map<string, Outcome<TargetHistory>>();
      for (const r of requests) {
        const history = dailyHistory(r.endSec, r.periodSec, (r.endSec - r.startSec) / 86_400);
        watched.push({ ref: new WeakRef(history.points), points: history.points.length });
        out.set(r.targetId, { ok: true, value: history });
      }
      return out;
    },
  };
  return { source, heldAtRead, requested };
}

function targets(n: number, overrides: Record<string, unknown> = {}) {
  return Array.from({ length: n }, (_, i) =>
    target({ id: `t${i}`, autoScalingGroupName: `g${i}`, ...overrides }),
  );
}

describe('runForecastCycle memory', () => {
  it('holds no more history at once than historyPointsPerChunk: each chunk is freed before the next is read', async () => {
    // Arrange: 12 targets of 14 days of hourly history (336 points each), 3 targets' worth a chunk.
    const all = targets(12);
    const ports = new MemoryPorts();
    for (const t of all) ports.addGroup(t.autoScalingGroupName);
    const { source, heldAtRead, requested } = watchingSource(ports.calls);
    const budget = 3 * 336;

    // Act
    const summary = await runForecastCycle(all, { ...ports, metrics: source }, fixedClock(), {
      historyPointsPerChunk: budget,
    });

    // Assert: every target ran; at every read, what is still held plus what is read fits the budget.
    expect(summary).toMatchObject({ total: 12, succeeded: 12, failed: 0 });
    expect(requested).toEqual([1008, 1008, 1008, 1008]);
    expect(heldAtRead.map((held, i) => held + (requested[i] ?? 0))).toEqual([1008, 1008, 1008, 1008]);
    // Each chunk published its own forecasts, read back first, before the next chunk was read.
    const order = ports.calls.filter((c) => /^(fetchHistory|storedTimes|publish)\(/.test(c));
    expect(order).toEqual(
      Array.from({ length: 4 }, () => [
        'fetchHistory(3)',
        'storedTimes(3)',
        expect.stringMatching(/^publish\(/),
      ]).flat(),
    );
    expect(new Set(ports.published.map((d) => d.targetId)).size).toBe(12);
  });

  it('keeps one decision record per target in the targets order when chunks group targets by window', async () => {
    // Arrange: hourly and 15-minute targets interleaved; the 15-minute ones chunk apart.
    const all = [
      target({ id: 'h0', autoScalingGroupName: 'g-h0' }),
      target({ id: 'q0', autoScalingGroupName: 'g-q0', periodSec: 900, blockMinutes: 60 }),
      target({ id: 'h1', autoScalingGroupName: 'g-h1' }),
      target({ id: 'q1', autoScalingGroupName: 'g-q1', periodSec: 900, blockMinutes: 60 }),
    ];
    const ports = new MemoryPorts();
    for (const t of all) {
      ports.addGroup(t.autoScalingGroupName);
      ports.histories.set(t.id, { ok: true, value: dailyHistory(NOW_SEC, t.periodSec, 14) });
    }

    // Act: room for the two hourly targets, or one 15-minute one (1,344 points), at once.
    const summary = await runForecastCycle(all, ports, fixedClock(), { historyPointsPerChunk: 1344 });

    // Assert
    expect(ports.calls.filter((c) => c.startsWith('fetchHistory'))).toEqual([
      'fetchHistory(2)',
      'fetchHistory(1)',
      'fetchHistory(1)',
    ]);
    expect(summary.records.map((r) => [r.targetId, r.status])).toEqual([
      ['h0', 'scaled'],
      ['q0', 'scaled'],
      ['h1', 'scaled'],
      ['q1', 'scaled'],
    ]);
  });
});

describe('historyChunks', () => {
  const hourly = (id: string) => target({ id, autoScalingGroupName: `g-${id}` });
  const quarter = (id: string) =>
    target({ id, autoScalingGroupName: `g-${id}`, periodSec: 900, blockMinutes: 60 });

  it.each([
    ['all in one chunk when they fit', [hourly('a'), hourly('b')], 672, [[0, 1]]],
    [
      'a new chunk when the next target would pass the budget',
      [hourly('a'), hourly('b'), hourly('c')],
      700,
      [[0, 1], [2]],
    ],
    ['a target larger than the budget alone', [quarter('a'), hourly('b')], 500, [[0], [1]]],
    [
      'targets of one window together, in their order',
      [hourly('a'), quarter('b'), hourly('c')],
      10_000,
      [[0, 2, 1]],
    ],
  ])('%s', (_name, list, budget, expected) => {
    expect(historyChunks(list, budget)).toEqual(expected);
  });

  it('counts a target by the points of its lookback', () => {
    expect(historyPoints(hourly('a'))).toBe(336);
    expect(historyPoints(quarter('a'))).toBe(1344);
  });

  it.each([0, -1, Number.NaN])('fails when the budget is %s', (budget) => {
    expect(() => historyChunks([hourly('a')], budget)).toThrow(
      `budgetPoints must be at least 1; received ${budget}`,
    );
  });
});

describe('historyPointBudget', () => {
  it.each([
    [1024, 26 * 100_800], // a quarter of 1,024 MiB at 100 bytes a point is 2,684,354: 26.6 pages
    [128, 3 * 100_800],
    [10_240, 266 * 100_800],
  ])(
    'gives %s MiB a quarter of the memory at 100 bytes a point, in whole GetMetricData pages',
    (memoryMiB, points) => {
      expect(historyPointBudget(memoryMiB)).toBe(points);
    },
  );

  it('fails when the memory is not a positive number', () => {
    expect(() => historyPointBudget(0)).toThrow('memoryMiB must be a positive number of MiB; received 0');
  });
});
