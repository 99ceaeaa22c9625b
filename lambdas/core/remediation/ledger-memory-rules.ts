/**
 * Per-rule state of the in-memory ledger (./ledger-memory), as the DynamoDB ledger's rule items
 * hold it: timestamped marks counted over a window (frequency, cooldown, error budget) and the
 * error-budget freeze.
 */
import type { Clock } from './ledger';
import type { RuleFreeze } from './ledger-records';

/** Timestamped marks by key, and freezes by rule; part of `InMemoryLedger`. */
export class MemoryRuleItems {
  /** key → mark id → time. */
  private readonly marks = new Map<string, Map<string, number>>();
  private readonly freezes = new Map<string, RuleFreeze>();
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  /** Same idempotency as the adapter: one mark per remediation id, or a fresh one without. */
  mark(key: string, atSec: number, id?: string): void {
    const entries = this.marks.get(key) ?? new Map<string, number>();
    this.sequence += 1;
    entries.set(`${atSec}#${id ?? `anon-${this.sequence}`}`, atSec);
    this.marks.set(key, entries);
  }

  /** Marks under `key` at or after `sinceSec`. */
  countSince(key: string, sinceSec: number): number {
    return this.times(key).filter((at) => at >= sinceSec).length;
  }

  /** The latest mark's time under `key`; undefined when none. */
  latest(key: string): number | undefined {
    const times = this.times(key);
    return times.length === 0 ? undefined : Math.max(...times);
  }

  /** Freezes the rule; a repeated freeze keeps the first reason and time. */
  freeze(ruleId: string, reason: string): void {
    if (this.freezes.get(ruleId)?.frozen === true) return;
    this.freezes.set(ruleId, { ruleId, frozen: true, reason, frozenAtSec: this.clock.nowSec() });
  }

  getFreeze(ruleId: string): RuleFreeze | undefined {
    return this.freezes.get(ruleId);
  }

  /** Lifts the freeze, recording who did it and when. */
  reset(ruleId: string, by: string, expected?: { readonly frozenAtSec: number }): boolean {
    const nowSec = this.clock.nowSec();
    const stored = this.freezes.get(ruleId);
    if (expected !== undefined && (stored?.frozen !== true || stored.frozenAtSec !== expected.frozenAtSec)) {
      return false;
    }
    const base = stored ?? { ruleId, reason: '', frozenAtSec: nowSec };
    this.freezes.set(ruleId, { ...base, frozen: false, resetBy: by, resetAtSec: nowSec });
    return true;
  }

  private times(key: string): number[] {
    return [...(this.marks.get(key)?.values() ?? [])];
  }
}
