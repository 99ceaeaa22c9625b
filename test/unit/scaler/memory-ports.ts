/** In-memory implementations of the scaler ports, for tests of the orchestration. */

import type {
  BatchWriteResult,
  ForecastDatum,
  GroupState,
  HistoryRequest,
  Outcome,
  ScalerPorts,
  ScheduledActionSpec,
  ScheduledActionState,
  TargetHistory,
} from '../../../lambdas/core/scaler';
import { parseAppConfig } from '../../../lib/config/parse';
import type { ScalingTarget } from '../../../lib/config/schema';

/** 2024-03-04T10:30:00Z, a Monday. */
export const NOW_SEC = 1_709_548_200;

/** A validated target with overrides; hourly period keeps forecasts fast. */
export function target(overrides: Record<string, unknown> = {}): ScalingTarget {
  const raw = {
    id: 'web',
    autoScalingGroupName: 'web-asg',
    loadMetric: { type: 'predefined', metric: 'ASGTotalCPUUtilization' },
    targetValue: 100,
    mode: 'forecastAndScale',
    minCapacity: 2,
    maxCapacity: 20,
    periodSec: 3600,
    horizonHours: 24,
    ...overrides,
  };
  const cfg = parseAppConfig({ predictiveScaling: { targets: [raw] } });
  const t = cfg.predictiveScaling.targets[0];
  if (t === undefined) throw new Error('no target');
  return t;
}

/** A daily cycle between `low` and `high` over `days` days of `stepSec` points ending before `endSec`. */
export function dailyHistory(
  endSec: number,
  stepSec: number,
  days: number,
  low = 200,
  high = 1000,
): TargetHistory {
  const n = Math.floor((days * 86_400) / stepSec);
  const start = Math.floor(endSec / stepSec) * stepSec - n * stepSec;
  const points = Array.from({ length: n }, (_, i) => {
    const tSec = start + i * stepSec;
    const phase = ((tSec % 86_400) / 86_400) * 2 * Math.PI;
    return { tSec, value: low + ((high - low) * (1 - Math.cos(phase))) / 2 };
  });
  return { points, partial: false, statusCodes: ['Complete'], messages: [] };
}

/** Ports backed by maps; every call is recorded. */
export class MemoryPorts implements ScalerPorts {
  readonly histories = new Map<string, Outcome<TargetHistory>>();
  readonly groupStates = new Map<string, GroupState>();
  readonly actions = new Map<string, ScheduledActionState[]>();
  readonly published: ForecastDatum[] = [];
  readonly calls: string[] = [];
  /** Group names whose action writes throw (e.g. throttling exhausted). */
  readonly throwOnWrite = new Set<string>();
  publishFails = false;

  addGroup(name: string, minSize = 2, maxSize = 20): void {
    this.groupStates.set(name, { name, minSize, maxSize, desiredCapacity: minSize });
    this.actions.set(name, []);
  }

  readonly metrics = {
    fetchHistory: async (requests: readonly HistoryRequest[]) => {
      this.calls.push(`fetchHistory(${requests.length})`);
      const out = new Map<string, Outcome<TargetHistory>>();
      for (const r of requests)
        out.set(r.targetId, this.histories.get(r.targetId) ?? { ok: false, error: 'no data' });
      return out;
    },
  };

  readonly groups = {
    describeGroups: async (names: readonly string[]) => {
      this.calls.push(`describeGroups(${names.join(',')})`);
      const out = new Map<string, Outcome<GroupState>>();
      for (const n of names) {
        const g = this.groupStates.get(n);
        out.set(n, g === undefined ? { ok: false, error: `group ${n} not found` } : { ok: true, value: g });
      }
      return out;
    },
    listScheduledActions: async (groupName: string) => [...(this.actions.get(groupName) ?? [])],
  };

  readonly actuator = {
    putScheduledActions: async (
      groupName: string,
      specs: readonly ScheduledActionSpec[],
    ): Promise<BatchWriteResult> => {
      this.calls.push(`put(${groupName},${specs.length})`);
      if (this.throwOnWrite.has(groupName))
        throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      const list = this.actions.get(groupName) ?? [];
      for (const s of specs) {
        const i = list.findIndex((a) => a.name === s.name);
        const state: ScheduledActionState = { ...s };
        if (i >= 0) list[i] = state;
        else list.push(state);
      }
      this.actions.set(groupName, list);
      return { failed: [] };
    },
    deleteScheduledActions: async (
      groupName: string,
      names: readonly string[],
    ): Promise<BatchWriteResult> => {
      this.calls.push(`delete(${groupName},${names.length})`);
      const drop = new Set(names);
      this.actions.set(
        groupName,
        (this.actions.get(groupName) ?? []).filter((a) => !drop.has(a.name)),
      );
      return { failed: [] };
    },
  };

  readonly publisher = {
    publish: async (data: readonly ForecastDatum[]) => {
      this.calls.push(`publish(${data.length})`);
      const out = new Map<string, Outcome<void>>();
      for (const d of data) {
        out.set(
          d.targetId,
          this.publishFails
            ? { ok: false, error: 'InternalServiceError: boom' }
            : { ok: true, value: undefined },
        );
      }
      if (!this.publishFails) this.published.push(...data);
      return out;
    },
  };
}

/** A clock frozen at `nowSec`. */
export function fixedClock(nowSec = NOW_SEC): { nowSec(): number } {
  return { nowSec: () => nowSec };
}
