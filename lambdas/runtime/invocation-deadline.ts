/**
 * The time an invocation has left, for the SDK clients built once per module: each call made during
 * an invocation gives up when the invocation's deadline (Lambda's, less a reserve to record the
 * result) comes, however many attempts its own timeouts would still allow. Without it a few calls
 * that get no answer, one after another, outlast the function timeout, and Lambda kills the
 * invocation before it logs what happened.
 */
// Types only (erased): the SDK clients' middleware stack, from the package every client depends on.
import type { MiddlewareStack } from '@smithy/types';

/** A call gave up at the invocation's deadline; it got no answer (a write may have happened). */
export class InvocationDeadlineError extends Error {
  override readonly name = 'InvocationDeadlineError';
}

/** The current invocation's deadline, set by the handler as each invocation begins. */
export class InvocationDeadline {
  private deadlineMs: number | undefined;

  /**
   * @param reserveMs time kept before Lambda's deadline to log and emit the invocation's result
   * @param nowMs wall clock, injected for tests
   */
  constructor(
    private readonly reserveMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Starts an invocation with `remainingMs` left (`context.getRemainingTimeInMillis()`). */
  begin(remainingMs: number): void {
    this.deadlineMs = this.nowMs() + remainingMs - this.reserveMs;
  }

  /** Time left before the deadline (0 once passed); undefined before the first invocation begins. */
  remainingMs(): number | undefined {
    return this.deadlineMs === undefined ? undefined : Math.max(0, this.deadlineMs - this.nowMs());
  }

  /**
   * Makes every call of `client` fail with {@link InvocationDeadlineError} at the deadline (at once
   * when it has passed). The abandoned attempt runs on until its own timeout; its result is
   * ignored.
   */
  guard<I extends object, O extends object>(client: {
    readonly middlewareStack: MiddlewareStack<I, O>;
  }): void {
    client.middlewareStack.add(
      (next) => async (args) => {
        const left = this.remainingMs();
        if (left === undefined) return next(args);
        const late = (what: string) =>
          new InvocationDeadlineError(
            `an AWS call ${what} the invocation's deadline (${this.reserveMs} ms before the function timeout)`,
          );
        if (left <= 0) throw late('not sent: past');
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(late('got no answer before')), left);
        });
        try {
          return await Promise.race([next(args), deadline]);
        } finally {
          clearTimeout(timer);
        }
      },
      { step: 'initialize', name: 'selfhealInvocationDeadline', priority: 'high' },
    );
  }
}
