/**
 * `selfheal history` against an endpoint that accepts connections and never answers (a
 * black-holed VPC endpoint, a proxy, a stopped emulator): each DynamoDB call gives up after its
 * per-attempt timeout and a bounded number of attempts, and the operator gets one line and exit 2
 * instead of a terminal that hangs.
 */

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { HISTORY_SDK_BUDGET, openDynamoDbLedger } from '../../cli/history-ledger';
import { main } from '../../cli/main';
import { sdkClientConfig } from '../../lambdas/runtime/sdk-client-config';
import { type SilentEndpoint, silentEndpoint } from '../fixtures/silent-endpoint';
import { fakeDeps } from './fixtures/fake-deps';
import { memoryIo } from './fixtures/memory-io';

/** A short budget, so the test does not wait the real 15 s: 2 attempts of 300 ms. */
const SHORT = { maxAttempts: 2, callBudgetMs: 1_000, maxAttemptMs: 300 };

describe('selfheal history against an endpoint that never answers', () => {
  let server: SilentEndpoint;
  let endpoint: string;
  /** Connections accepted before the current test. */
  let earlier = 0;

  beforeAll(async () => {
    server = await silentEndpoint();
    endpoint = server.url;
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    earlier = server.sockets.length;
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_PROFILE', '');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ENDPOINT_URL', endpoint);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', '');
    vi.stubEnv('AWS_MAX_ATTEMPTS', '');
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('ends with one line and exit 2 after its bounded attempts', { timeout: 10_000 }, async () => {
    const io = memoryIo();
    const startedMs = Date.now();

    const code = await main(['history', '--table', 'selfheal-ledger'], io, {
      ...fakeDeps,
      openLedger: (location) => openDynamoDbLedger(location, SHORT),
    });

    expect(code).toBe(2);
    expect(io.err.join('')).toBe(
      'selfheal: cannot read the ledger: ETIMEDOUT: cannot reach DynamoDB in region us-east-1 (from AWS_REGION or the profile); check the network, --region and AWS_ENDPOINT_URL\n',
    );
    expect(io.out.join('')).toBe('');
    // One connection per attempt, no more: the retries are bounded.
    expect(server.sockets.length - earlier).toBe(SHORT.maxAttempts);
    expect(Date.now() - startedMs).toBeLessThan(5_000);
  });

  it('gives the real client 3 attempts of at most 5 s each, connecting within 3 s', () => {
    expect(sdkClientConfig(HISTORY_SDK_BUDGET)).toEqual({
      maxAttempts: 3,
      requestHandler: {
        connectionTimeout: 3_000,
        requestTimeout: 5_000,
        socketTimeout: 5_000,
        throwOnRequestTimeout: true,
      },
    });
  });
});
