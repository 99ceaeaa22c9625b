/**
 * The sweeper's steps and how each keeps its failures to itself. A step lists its work (a
 * {@link SweepListing}) and handles each record on its own; a malformed item in the listing, a
 * record whose handling throws, or a listing that fails as a whole becomes one {@link SweepError}
 * naming the step, and the step goes on with its other records, the sweep with its later steps.
 * The handler fails the run once every step ran (./verification-sweep, the sweeper handler).
 */
import { describeError } from './engine-ports';
import type { EngineResult } from './engine-result';
import type { UnreadableItem } from './escalation';
import { EscalationNotDeliveredError } from './escalation-send';
import { MalformedRecordError, type RemediationRecord, type SweepListing, unreadableItem } from './ledger';

/** The sweep's steps, in the order it runs them, as its errors name them. */
const SWEEP_STEPS = [
  'handle overdue remediations',
  're-drive blocked remediations',
  'resume stalled starts',
  're-send escalations',
  'reclaim expired slots',
] as const;
type SweepStep = (typeof SWEEP_STEPS)[number];

/** Something a sweep step could not finish; the next sweep tries again. */
export interface SweepError {
  readonly step: SweepStep;
  /** The remediation concerned, when the error is about one listed record. */
  readonly remediationId?: string;
  /** The ledger key of an item that is not a record (`pk=REM#<id> sk=REM`). */
  readonly key?: string;
  /** With `key`: the item's first bad field and the value received. */
  readonly problem?: string;
  /** `Name: message` of what was thrown; for a malformed item, its key and first bad field. */
  readonly error: string;
  /**
   * OpsItem calls that failed in an escalation SNS did not take (its
   * `EscalationNotDeliveredError`): the sweep counts them in `OpsItemsFailed` all the same.
   */
  readonly opsItemCallsFailed?: number;
}

/** What a step did with its listing. */
interface ListedWork<T> {
  /** Items listed, malformed ones included (0 when the listing failed). */
  readonly listed: number;
  /** What handling each record gave, in listing order, for those whose handling did not throw. */
  readonly done: readonly T[];
}

/**
 * Lists `step`'s work with `list` and runs `handle` on each record, one at a time; every failure
 * goes to `errors` (see the module comment) and never stops the step.
 */
export async function forEachListed<T>(
  step: SweepStep,
  list: () => Promise<SweepListing>,
  handle: (record: RemediationRecord) => Promise<T>,
  errors: SweepError[],
): Promise<ListedWork<T>> {
  const listing = await runStep(step, list, errors);
  if (listing === undefined) return { listed: 0, done: [] };
  for (const item of listing.malformed) errors.push(failure(step, item));
  const done: T[] = [];
  for (const record of listing.records) {
    try {
      done.push(await handle(record));
    } catch (error) {
      errors.push({ ...failure(step, error), remediationId: record.id });
    }
  }
  return { listed: listing.records.length + listing.malformed.length, done };
}

/** Runs one step's `work`; undefined, and the failure in `errors`, when it throws. */
export async function runStep<T>(
  step: SweepStep,
  work: () => Promise<T>,
  errors: SweepError[],
): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    errors.push(failure(step, error));
    return undefined;
  }
}

/**
 * A start `step` sent whose StartAutomationExecution got no certain answer (outcome
 * `startUncertain`, ./engine-start-uncertain) is an error of the step like a failed AWS call: the
 * run fails (the sweeper's Errors alarm), and a later sweep resumes the start once its lease is
 * over, with the same ClientToken.
 */
export function reportUncertainStarts(
  step: SweepStep,
  results: readonly EngineResult[],
  errors: SweepError[],
): void {
  for (const r of results) {
    if (r.outcome !== 'startUncertain') continue;
    errors.push({
      step,
      ...(r.remediationId === undefined ? {} : { remediationId: r.remediationId }),
      error: r.reason,
    });
  }
}

/**
 * One line for a sweep that had errors, counting them per step in step order, e.g.
 * `sweep incomplete: 2 errors (resume stalled starts: 1, re-send escalations: 1)`.
 */
export function describeSweepErrors(errors: readonly SweepError[]): string {
  const perStep = SWEEP_STEPS.map((step) => [step, errors.filter((e) => e.step === step).length] as const)
    .filter(([, count]) => count > 0)
    .map(([step, count]) => `${step}: ${count}`);
  const total = `${errors.length} error${errors.length === 1 ? '' : 's'}`;
  return `sweep incomplete: ${total} (${perStep.join(', ')})`;
}

/** The ledger items that are not records among `errors`: those naming a `key` (and its problem). */
export function unreadableIn(errors: readonly SweepError[]): UnreadableItem[] {
  return errors.flatMap(({ key, problem }) =>
    key === undefined || problem === undefined ? [] : [{ key, problem }],
  );
}

function failure(step: SweepStep, error: unknown): SweepError {
  return {
    step,
    ...(error instanceof MalformedRecordError ? unreadableItem(error) : {}),
    error: describeError(error),
    ...(error instanceof EscalationNotDeliveredError && error.opsItemCallsFailed > 0
      ? { opsItemCallsFailed: error.opsItemCallsFailed }
      : {}),
  };
}
