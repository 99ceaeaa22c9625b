/** Fixtures for ledger tests: a settable clock and remediation records. */
import type { Clock, NewRemediation } from '../../../lambdas/core/remediation/ledger';

/** 2024-03-04T10:30:00Z. */
export const NOW = 1_709_548_200;

/** Retention the contract suite expects every implementation to be built with. */
export const RETENTION = { retentionDays: 7 } as const;

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  constructor(private now: number) {}
  nowSec(): number {
    return this.now;
  }
  set(sec: number): void {
    this.now = sec;
  }
  advance(sec: number): void {
    this.now += sec;
  }
}

/** An enforce-mode remediation just started on `i-1`, with `overrides` applied. */
export function newRemediation(id: string, overrides: Partial<NewRemediation> = {}): NewRemediation {
  return {
    id,
    ruleId: 'disk',
    resourceId: 'i-1',
    alarmName: 'disk-full-i-1',
    eventId: `evt-${id}`,
    mode: 'enforce',
    state: 'started',
    verdicts: [{ guardrail: 'duplicateEvent', outcome: 'pass', reason: 'first delivery' }],
    documentName: 'selfheal-cleanup-directory',
    parameters: { Path: ['/var/log/app/'] },
    clientToken: `tok-${id}`,
    deadlineSec: NOW + 600,
    ...overrides,
  };
}
