/**
 * The remediation records of the in-memory ledger (./ledger-memory) and the listings over them,
 * sorted as the DynamoDB ledger's index partitions sort them. The state rules themselves are the
 * shared ones of ./ledger-apply.
 */
import type { Clock, LedgerOptions, SweepListing } from './ledger';
import { OVERDUE_LIMIT, RemediationExistsError } from './ledger';
import {
  applyAutomationSucceeded,
  applyEscalation,
  applyTransition,
  assertLegal,
  buildRecord,
  isAction,
  isDefectEscalation,
  pendingSince,
  startedAtSec,
} from './ledger-apply';
import {
  type EscalationRecord,
  isOpen,
  type NewRemediation,
  type RemediationPatch,
  type RemediationRecord,
  type RemediationState,
} from './ledger-records';

/** Remediation records kept in a map; part of `InMemoryLedger`. */
export class MemoryRecords {
  private readonly records = new Map<string, RemediationRecord>();

  constructor(
    private readonly clock: Clock,
    private readonly options: LedgerOptions,
  ) {}

  create(input: NewRemediation): RemediationRecord {
    const record = buildRecord(input, this.clock.nowSec(), this.options);
    if (this.records.has(record.id)) throw new RemediationExistsError(record.id);
    this.records.set(record.id, record);
    return record;
  }

  transition(id: string, from: RemediationState, to: RemediationState, patch: RemediationPatch) {
    assertLegal(from, to);
    const next = applyTransition(
      id,
      this.records.get(id),
      from,
      to,
      patch,
      this.clock.nowSec(),
      this.options,
    );
    return this.put(next);
  }

  recordEscalation(id: string, escalation: EscalationRecord): RemediationRecord {
    return this.put(applyEscalation(id, this.records.get(id), escalation, this.clock.nowSec()));
  }

  recordAutomationSucceeded(id: string, atSec: number): RemediationRecord {
    return this.put(applyAutomationSucceeded(id, this.records.get(id), atSec, this.clock.nowSec()));
  }

  get(id: string): RemediationRecord | undefined {
    return this.records.get(id);
  }

  byExecutionId(executionId: string): RemediationRecord | undefined {
    return this.all().find((r) => r.executionId === executionId);
  }

  /** Open records, earliest deadline first (the DynamoDB `OPEN` partition's sort order). */
  open(): RemediationRecord[] {
    return this.all()
      .filter((r) => isOpen(r.state))
      .sort((a, b) => (a.deadlineSec ?? 0) - (b.deadlineSec ?? 0) || byId(a, b));
  }

  overdue(nowSec: number, limit: number): SweepListing {
    return listing(
      this.open().filter((r) => (r.deadlineSec ?? 0) <= nowSec),
      limit,
    );
  }

  blocked(limit: number): SweepListing {
    const blocked = this.all().filter((r) => r.state === 'blocked');
    return listing(
      blocked.sort((a, b) => (a.deadlineSec ?? 0) - (b.deadlineSec ?? 0) || byId(a, b)),
      limit,
    );
  }

  stalledStarts(startedAtOrBeforeSec: number, limit: number): SweepListing {
    const stalled = this.all().filter(
      (r) => r.state === 'started' && startedAtSec(r) <= startedAtOrBeforeSec,
    );
    return listing(
      stalled.sort((a, b) => startedAtSec(a) - startedAtSec(b) || byId(a, b)),
      limit,
    );
  }

  pendingEscalations(olderThanSec: number, limit: number): SweepListing {
    const since = (r: RemediationRecord) => pendingSince(r) ?? Number.POSITIVE_INFINITY;
    const pending = this.all().filter((r) => since(r) < olderThanSec);
    return listing(
      pending.sort((a, b) => since(a) - since(b) || byId(a, b)),
      limit,
    );
  }

  /** The newest `limit` records, newest first (the DynamoDB `HISTORY` partition read backwards). */
  history(limit: number): RemediationRecord[] {
    return newestFirst(this.all()).slice(0, Math.max(0, limit));
  }

  /** `ruleId`'s defect escalations on `resourceId` created at or after `sinceSec`, newest first. */
  defectEscalations(ruleId: string, resourceId: string, sinceSec: number): RemediationRecord[] {
    return newestFirst(
      this.all().filter(
        (r) =>
          isDefectEscalation(r) &&
          r.ruleId === ruleId &&
          r.resourceId === resourceId &&
          r.createdAtSec >= sinceSec,
      ),
    );
  }

  /** `ruleId`'s actions on `resourceId`, newest first, at most `limit`. */
  actions(ruleId: string, resourceId: string, limit: number): RemediationRecord[] {
    return newestFirst(
      this.all().filter((r) => isAction(r) && r.ruleId === ruleId && r.resourceId === resourceId),
    ).slice(0, Math.max(0, limit));
  }

  private all(): RemediationRecord[] {
    return [...this.records.values()];
  }

  private put(record: RemediationRecord): RemediationRecord {
    this.records.set(record.id, record);
    return record;
  }
}

/** Newest first by creation, then by id backwards (a key Query with `ScanIndexForward: false`). */
function newestFirst(records: RemediationRecord[]): RemediationRecord[] {
  return records.sort((a, b) => b.createdAtSec - a.createdAtSec || byId(b, a));
}

/** The first `limit` (at most `OVERDUE_LIMIT`) of `sorted`: records kept here are never malformed. */
function listing(sorted: readonly RemediationRecord[], limit: number): SweepListing {
  return { records: sorted.slice(0, Math.min(Math.max(0, limit), OVERDUE_LIMIT)), malformed: [] };
}

/** Code-unit order, as DynamoDB sorts string keys. */
function byId(a: RemediationRecord, b: RemediationRecord): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
