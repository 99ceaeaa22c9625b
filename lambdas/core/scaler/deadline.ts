/**
 * Stopping a run in time. A port call that never answers (an endpoint that accepted the connection
 * and went silent) would otherwise hold the run until Lambda kills it, and a killed run records,
 * publishes and emits nothing, however many targets it had finished.
 */

/** The run stopped waiting for `what` because its signal was aborted (the invocation's time ran out). */
export class DeadlineReachedError extends Error {
  override readonly name = 'DeadlineReachedError';
}

/** When a run stops waiting (see {@link CycleOptions}). */
export interface CycleDeadline {
  /**
   * Aborted when the run must stop waiting on a target's work (its history, group, actions): every
   * target not finished by then fails at `deadline`, and the forecasts finished are still
   * published.
   */
  readonly stopTargets: AbortSignal;
  /** Aborted when the run must stop waiting on anything, publishing included, to log and emit in time. */
  readonly stopAll: AbortSignal;
}

/** Kept at the end of an invocation to log the records and emit the metrics. */
const RECORD_RESERVE_MS = 1000;
/** Kept before that to publish the forecasts finished: a share of the time left, at most 30 s. */
const PUBLISH_RESERVE_SHARE = 0.2;
const MAX_PUBLISH_RESERVE_MS = 30_000;

/**
 * When, in ms from the start of an invocation with `remainingMs` left, the run stops waiting on
 * its targets (`stopTargetsMs`) and on anything (`stopAllMs`, 1 s before Lambda's timeout): a
 * publishing reserve of a fifth of the time, at most 30 s, lies between them.
 */
export function cycleDeadlineMs(remainingMs: number): { stopTargetsMs: number; stopAllMs: number } {
  const stopAllMs = Math.max(0, remainingMs - RECORD_RESERVE_MS);
  const publishReserve = Math.min(MAX_PUBLISH_RESERVE_MS, stopAllMs * PUBLISH_RESERVE_SHARE);
  return { stopTargetsMs: Math.floor(stopAllMs - publishReserve), stopAllMs };
}

/**
 * `work`, or a {@link DeadlineReachedError} naming `what` as soon as `signal` aborts (at once when
 * it already has). The work itself goes on unawaited; its outcome is ignored.
 */
export function beforeAbort<T>(work: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeadlineReachedError(`${reasonOf(signal)} while ${what}`));
    if (signal.aborted) {
      onAbort();
      work.catch(() => undefined);
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The abort reason as a sentence: its message when it is an Error, else a generic one. */
export function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name !== 'AbortError' && reason.name !== 'TimeoutError')
    return reason.message;
  return 'the invocation ran out of time';
}
