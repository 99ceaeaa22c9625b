/**
 * The time an invocation has left, for the SDK clients built once per module: each call made during
 * an invocation gives up when the invocation's deadline (Lambda's, less a reserve to record the
 * result) comes, however many attempts its own timeouts would still allow. Without it a few calls
 * that get no answer, one after another, outlast the function timeout, and Lambda kills the
 * invocation before it logs what happened. The request a call was waiting on is aborted then too, so
 * a write the invocation gave up on does not land after it recorded its result.
 */
// Types only (erased): the SDK clients' middleware stack and HTTP handler options, from the package
// every client depends on.
import type { HttpHandlerOptions, MiddlewareStack } from '@smithy/types';

/** The part of an SDK client's HTTP handler (`config.requestHandler`) the deadline wraps. */
interface HandlerLike {
  handle(request: unknown, options?: HttpHandlerOptions): Promise<unknown>;
}

function isHandlerLike(value: unknown): value is HandlerLike {
  return (
    typeof value === 'object' && value !== null && 'handle' in value && typeof value.handle === 'function'
  );
}

/** A call gave up at the invocation's deadline; it got no answer (a write may have happened). */
export class InvocationDeadlineError extends Error {
  override readonly name = 'InvocationDeadlineError';
}

/** The current invocation's deadline, set by the handler as each invocation begins. */
export class InvocationDeadline {
  private deadlineMs: number | undefined;
  /** Aborted at the current invocation's deadline: the calls still in flight then are aborted. */
  private abort: AbortController | undefined;
  private abortTimer: NodeJS.Timeout | undefined;
  /** HTTP handlers already wrapped (clients sharing one, such as a document client's, wrap it once). */
  private readonly wrapped = new WeakSet<object>();

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
    clearTimeout(this.abortTimer);
    const abort = new AbortController();
    this.abort = abort;
    this.abortTimer = setTimeout(
      () => abort.abort(this.late('aborted at')),
      Math.max(0, remainingMs - this.reserveMs),
    );
    // A timer left when the invocation ends must not keep a local process (a test, a bench) alive.
    this.abortTimer.unref();
  }

  private late(what: string): InvocationDeadlineError {
    return new InvocationDeadlineError(
      `an AWS call ${what} the invocation's deadline (${this.reserveMs} ms before the function timeout)`,
    );
  }

  /** Time left before the deadline (0 once passed); undefined before the first invocation begins. */
  remainingMs(): number | undefined {
    return this.deadlineMs === undefined ? undefined : Math.max(0, this.deadlineMs - this.nowMs());
  }

  /**
   * Makes every call of `client` fail with {@link InvocationDeadlineError} at the deadline (at once
   * when it has passed), and aborts the HTTP request of the attempt in flight then (the SDK's
   * `abortSignal`, given to its HTTP handler with any signal the caller passed), so an abandoned
   * write does not land after the invocation gave up on it.
   */
  guard<I extends object, O extends object>(client: {
    readonly middlewareStack: MiddlewareStack<I, O>;
    readonly config?: { readonly requestHandler?: unknown };
  }): void {
    this.abortAtDeadline(client.config?.requestHandler);
    client.middlewareStack.add(
      (next) => async (args) => {
        const left = this.remainingMs();
        if (left === undefined) return next(args);
        const late = (what: string) => this.late(what);
        if (left <= 0) throw late('not sent: past');
        const invocation = this.abort?.signal;
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(late('got no answer before')), left);
        });
        try {
          return await Promise.race([next(args), deadline]);
        } catch (error) {
          // The request aborted at the deadline (its abort may settle before the timer above).
          if (invocation?.aborted === true && !(error instanceof InvocationDeadlineError))
            throw late('got no answer before');
          throw error;
        } finally {
          clearTimeout(timer);
        }
      },
      { step: 'initialize', name: 'selfhealInvocationDeadline', priority: 'high' },
    );
  }

  /**
   * Wraps the HTTP handler's `handle` so every request carries the current invocation's abort
   * signal. The middleware cannot: the SDK hands its handler the `send` options it resolved when
   * the call began.
   */
  private abortAtDeadline(handler: unknown): void {
    if (!isHandlerLike(handler) || this.wrapped.has(handler)) return;
    this.wrapped.add(handler);
    const handle = handler.handle.bind(handler);
    handler.handle = (request, options = {}) => {
      const invocation = this.abort?.signal;
      if (invocation === undefined) return handle(request, options);
      const own = options.abortSignal as AbortSignal | undefined;
      const abortSignal = own === undefined ? invocation : AbortSignal.any([own, invocation]);
      return handle(request, { ...options, abortSignal });
    };
  }
}
