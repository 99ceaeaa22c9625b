/**
 * The forecaster as deployed, at the configured maximum of targets: the history budget it derives
 * from its memory (Lambda's AWS_LAMBDA_FUNCTION_MEMORY_SIZE, the construct's MemorySize) keeps the
 * history one read asks for within half that memory. The adapter keeps each data point as a
 * `{ tSec, value }` object; run under the V8 heap limit Lambda gives a 1,024 MB Node.js function
 * (`--max-old-space-size=870`), a run that read every target at once (bench/scaler.ts, SDK mocked,
 * call history cleared) peaked at 578 MB RSS for 1,000 targets of 5-minute history, 966 MB for
 * 2,500, and ran out of heap for 5,000 (MAX_TARGETS) while still reading history, before any
 * scheduled action was written: about 75 bytes of heap per point. That a read's history is freed
 * before the next is test/unit/scaler/run-cycle-memory.test.ts.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type {
  HistoryRequest,
  MetricSource,
  Outcome,
  ScalerPorts,
  TargetHistory,
} from '../../lambdas/core/scaler';
import { historyPointBudget, runForecastCycle } from '../../lambdas/core/scaler';
import { loadForecasterEnv } from '../../lambdas/forecaster/env';
import { FORECASTER_ENV } from '../../lib/config/env-names';
import { parseAppConfig } from '../../lib/config/parse';
import { MAX_TARGETS } from '../../lib/config/query-ids';
import { PredictiveScaler } from '../../lib/constructs/predictive-scaler';
import { newStack } from './helpers';

/** Heap a history data point takes while the run holds it (measured, see above). */
const BYTES_PER_POINT = 75;
const NOW_SEC = 1_709_548_200;

function targetInputs(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    autoScalingGroupName: `g${i}`,
    loadMetric: { type: 'predefined', metric: 'ASGTotalCPUUtilization' } as const,
    targetValue: 60,
    mode: 'forecastOnly' as const,
    minCapacity: 2,
    maxCapacity: 40,
  }));
}

/** The forecaster's MemorySize as the construct deploys it, in MiB. */
function deployedMemoryMiB(): number {
  const stack = newStack();
  new PredictiveScaler(stack, 'PredictiveScaler', { targets: targetInputs(1) });
  const fns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  const memory = fns.map((f) => f.Properties?.MemorySize).find((m) => typeof m === 'number');
  if (typeof memory !== 'number') throw new Error('the forecaster has no MemorySize');
  return memory;
}

/** The forecaster's settings in Lambda with `memoryMiB`, as its handler reads them. */
function lambdaEnv(memoryMiB: string | undefined) {
  return loadForecasterEnv({
    [FORECASTER_ENV.configFile]: 'selfheal-config.json',
    [FORECASTER_ENV.metricNamespace]: 'SelfHeal/PredictiveScaling',
    [FORECASTER_ENV.stackName]: 'SelfHeal',
    POWERTOOLS_SERVICE_NAME: 'SelfHeal-forecaster',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: memoryMiB,
  });
}

/** A metric source that records how many points each call asks for, and answers cheaply. */
function recordingSource(): { source: MetricSource; pointsPerCall: number[] } {
  const pointsPerCall: number[] = [];
  const source: MetricSource = {
    fetchHistory: async (requests: readonly HistoryRequest[]) => {
      pointsPerCall.push(requests.reduce((sum, r) => sum + (r.endSec - r.startSec) / r.periodSec, 0));
      const out = new Map<string, Outcome<TargetHistory>>();
      for (const r of requests) out.set(r.targetId, { ok: false, error: 'not read in this test' });
      return out;
    },
  };
  return { source, pointsPerCall };
}

const unused = () => {
  throw new Error('not called for targets whose history failed');
};

describe('forecaster memory at the configured maximum of targets', () => {
  it('holds no more history at once than half the deployed memory can keep, with MAX_TARGETS targets of default (5-minute, 14-day) history', async () => {
    // Arrange
    const config = parseAppConfig({ predictiveScaling: { targets: targetInputs(MAX_TARGETS) } });
    const { source, pointsPerCall } = recordingSource();
    const ports: ScalerPorts = {
      metrics: source,
      groups: { describeGroups: unused, listScheduledActions: unused },
      actuator: { putScheduledActions: unused, deleteScheduledActions: unused },
      publisher: { storedTimes: async () => new Map(), publish: async () => new Map() },
    };
    const memoryMiB = deployedMemoryMiB();
    const budgetPoints = (memoryMiB * 1024 * 1024) / 2 / BYTES_PER_POINT;
    const env = lambdaEnv(String(memoryMiB));

    // Act
    const summary = await runForecastCycle(
      config.predictiveScaling.targets,
      ports,
      { nowSec: () => NOW_SEC },
      { concurrency: env.concurrency, historyPointsPerChunk: env.historyPointsPerChunk },
    );

    // Assert: every target was asked for; no single read holds more than the budget.
    expect(summary.total).toBe(MAX_TARGETS);
    expect(Math.max(...pointsPerCall)).toBeLessThanOrEqual(budgetPoints);
  });

  it("reads with the budget of Lambda's smallest memory outside Lambda, and fails on a memory Lambda does not offer", () => {
    expect(lambdaEnv(undefined).historyPointsPerChunk).toBe(historyPointBudget(128));
    expect(lambdaEnv('3008').historyPointsPerChunk).toBe(historyPointBudget(3008));
    expect(() => lambdaEnv('64')).toThrow(/AWS_LAMBDA_FUNCTION_MEMORY_SIZE: received "64"/);
  });
});
