/**
 * The configuration every SDK client of the handlers is built with: the standard retry's attempts
 * and, per attempt, a connection, request and socket timeout that throws. The SDK's HTTP handler
 * has none by default (and an exceeded `requestTimeout` only logs a warning unless
 * `throwOnRequestTimeout` is set), so an endpoint that accepts a connection and never answers would
 * hold the call, and the invocation, until Lambda kills it at the function timeout: no record, no
 * metric, and a retry of the whole event.
 */

/** What {@link sdkClientConfig} needs. */
export interface SdkTimeBudget {
  /** SDK standard-retry attempts, first try included. */
  readonly maxAttempts: number;
  /**
   * Time one call may take over all its attempts and the backoff between them: the function's
   * timeout less what the handler needs to record its result.
   */
  readonly callBudgetMs: number;
  /** The longest a single attempt may wait for an answer, however large the budget. */
  readonly maxAttemptMs: number;
}

/** The per-attempt timeouts of the client's Node.js HTTP handler. */
export interface SdkRequestHandlerTimeouts {
  /** Time to establish the TCP (and TLS) connection. */
  readonly connectionTimeout: number;
  /** Time from sending the request to its answer's headers. */
  readonly requestTimeout: number;
  /** Time the socket may stay idle, e.g. while the answer's body is read. */
  readonly socketTimeout: number;
  /** A request past `requestTimeout` fails with TimeoutError instead of logging a warning. */
  readonly throwOnRequestTimeout: true;
}

/** The SDK client configuration of {@link sdkClientConfig}. */
export interface SdkClientConfig {
  readonly maxAttempts: number;
  readonly requestHandler: SdkRequestHandlerTimeouts;
}

/** A connection to an AWS endpoint takes milliseconds; longer means the network is at fault. */
const MAX_CONNECTION_MS = 3000;
/** The smallest per-attempt timeout: below it a healthy call could be cut. */
const MIN_ATTEMPT_MS = 100;

/**
 * The standard retry strategy's longest total backoff before `maxAttempts` attempts of a
 * non-throttling error: attempt n waits up to min(20 s, 100 ms × 2^(n-1)) (full jitter).
 */
export function maxBackoffMs(maxAttempts: number): number {
  let total = 0;
  for (let retry = 1; retry < maxAttempts; retry++) total += Math.min(20_000, 100 * 2 ** (retry - 1));
  return total;
}

/**
 * Client configuration whose attempts, with the backoff between them, end within
 * `callBudgetMs`: each attempt times out after (budget − backoff) / attempts, at most
 * `maxAttemptMs` and at least 100 ms. A timed-out attempt fails with `TimeoutError` and no HTTP
 * status, which the standard retry retries and the engine classifies as no answer (uncertain).
 * Throws when an argument is not a positive number, naming it and the value received.
 */
export function sdkClientConfig(budget: SdkTimeBudget): SdkClientConfig {
  for (const [name, value] of Object.entries(budget)) {
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`sdkClientConfig: ${name} must be a positive number, received ${String(value)}`);
  }
  const { maxAttempts, callBudgetMs, maxAttemptMs } = budget;
  const perAttempt = Math.floor((callBudgetMs - maxBackoffMs(maxAttempts)) / maxAttempts);
  const requestTimeout = Math.max(MIN_ATTEMPT_MS, Math.min(maxAttemptMs, perAttempt));
  return {
    maxAttempts,
    requestHandler: {
      connectionTimeout: Math.min(MAX_CONNECTION_MS, requestTimeout),
      requestTimeout,
      socketTimeout: requestTimeout,
      throwOnRequestTimeout: true,
    },
  };
}
