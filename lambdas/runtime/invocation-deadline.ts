/**
 * The time an invocation has left, for the SDK clients built once per module: each call made during
 * an invocation gives up when the invocation's deadline (Lambda's, less a reserve to record the
 * result) comes, however many attempts its own timeouts would still allow. Without it a few calls
 * that get no answer, one after another, outlast the function timeout, and Lambda kills the
 * invocation before it logs what happened. The request a call was waiting on is aborted then too, so
 * a write the invocation gave up on does not land after it recorded its result; and each call stays
 * bound to the invocation that made it, so an attempt the SDK's retry would still make after that
 * invocation's deadline (a throttled write waiting out its backoff) is never sent, even when the
 * next invocation of a warm environment has begun by then.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
// Types only (erased): the SDK clients' middleware stack, handler context and HTTP handler options,
// from the package every client depends on.
import type {
  HandlerExecutionContext,
  HttpHandlerOptions,
  MiddlewareStack,
  SMITHY_CONTEXT_KEY,
} from '@smithy/types';

/** Where the SDK keeps a call's own state, its `abortSignal` included, in the handler context. */
const SMITHY_CONTEXT: typeof SMITHY_CONTEXT_KEY = '__smithy_context';

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
  /**
   * The abort signal of the invocation that made the call being run: set by the guard middleware
   * for the whole call (its retries and backoffs included), read by the HTTP handler's wrapper.
   */
  private readonly callInvocation = new AsyncLocalStorage<AbortSignal>();
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
    const abort = new AbortController();
    shared(abort.signal);
    this.abort = abort;
    // Each invocation's timer runs to its own deadline, even once the next invocation has begun: a
    // call can give up at its deadline race just before the timer fires and the handler return, and
    // a timer cleared then would leave that call's retries unaborted for good. (Nor does a new
    // invocation abort the previous one's calls: invocations running side by side in one process,
    // as the engine's tests run them, each keep theirs.)
    // A timer left when the invocation ends must not keep a local process (a test, a bench) alive.
    setTimeout(() => abort.abort(this.late('aborted at')), Math.max(0, remainingMs - this.reserveMs)).unref();
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
   * when it has passed), and ties the call to the invocation that made it: the HTTP request of the
   * attempt in flight at that invocation's deadline is aborted (the SDK's `abortSignal`, given to
   * its HTTP handler with any signal the caller passed), the SDK's retry stops waiting for its next
   * attempt then, and an attempt that starts after it anyway is not sent, whichever invocation is
   * current by then. So a write the invocation gave up on does not land after it recorded its
   * result.
   */
  guard<I extends object, O extends object>(client: {
    readonly middlewareStack: MiddlewareStack<I, O>;
    readonly config?: { readonly requestHandler?: unknown };
  }): void {
    this.abortAtDeadline(client.config?.requestHandler);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const left = this.remainingMs();
        const invocation = this.abort?.signal;
        if (left === undefined || invocation === undefined) return next(args);
        const late = (what: string) => this.late(what);
        if (left <= 0) throw late('not sent: past');
        stopRetriesAt(context, invocation);
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(late('got no answer before')), left);
        });
        try {
          // Every attempt of this call, however late the SDK's retry makes it, runs bound to this
          // invocation's signal (see abortAtDeadline).
          return await Promise.race([this.callInvocation.run(invocation, () => next(args)), deadline]);
        } catch (error) {
          // The request aborted at the deadline (its abort may settle before the timer above).
          if (invocation.aborted && !(error instanceof InvocationDeadlineError))
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
   * Wraps the HTTP handler's `handle` so every request carries the abort signal of the invocation
   * that made its call (the SDK hands its handler the `send` options it resolved when the call
   * began, so the middleware cannot), and a request whose invocation has reached its deadline is
   * not sent at all. Not the current invocation's signal: an attempt of a call abandoned by the
   * previous invocation would then be sent under the next one's live signal.
   */
  private abortAtDeadline(handler: unknown): void {
    if (!isHandlerLike(handler) || this.wrapped.has(handler)) return;
    this.wrapped.add(handler);
    const handle = handler.handle.bind(handler);
    handler.handle = (request, options = {}) => {
      const invocation = this.callInvocation.getStore();
      // A call made before the first invocation began, or through a client not guarded.
      if (invocation === undefined) return handle(request, options);
      if (invocation.aborted) return Promise.reject(this.late('not sent: past'));
      const own = options.abortSignal as AbortSignal | undefined;
      const abortSignal = own === undefined ? invocation : shared(AbortSignal.any([own, invocation]));
      return handle(request, { ...options, abortSignal });
    };
  }
}

/**
 * Makes `invocation` part of the call's own abort signal (the one `send` was given, which the SDK
 * keeps in the handler context), so the SDK's standard retry, which watches that signal, stops
 * waiting out a backoff at the invocation's deadline instead of sleeping into the next invocation.
 */
function stopRetriesAt(context: HandlerExecutionContext, invocation: AbortSignal): void {
  const smithy = context[SMITHY_CONTEXT];
  if (smithy === undefined) return;
  const own = smithy.abortSignal;
  if (own === undefined) smithy.abortSignal = invocation;
  else if (own instanceof AbortSignal) smithy.abortSignal = shared(AbortSignal.any([own, invocation]));
  // A caller's signal of the older, non-standard kind is left as it is: the HTTP handler's wrapper
  // still refuses any attempt that starts after the deadline.
}

/**
 * `signal`, which any number of requests in flight may listen on: an invocation's calls run side by
 * side, and past 10 listeners Node would print a MaxListenersExceededWarning, a raw line in the
 * function's log. Each request removes its listener when it ends, so there is no leak to warn of.
 */
function shared(signal: AbortSignal): AbortSignal {
  setMaxListeners(0, signal);
  return signal;
}
