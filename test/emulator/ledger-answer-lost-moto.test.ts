/**
 * Event claims whose DynamoDB answer arrives after the attempt's request timeout. The Lambdas'
 * clients give each attempt at most 5 s (`throwOnRequestTimeout`), and the SDK's standard retry
 * sends a timed-out PutItem again (`TimeoutError` is transient). The first attempt was applied, so
 * the retry finds the stored claim already this very write's: its condition fails. Read as
 * "another writer won", the takeover would answer false and the engine drop Lambda's retry as a
 * duplicate ("taken over by a concurrent retry") although the claim is its own: nothing recorded,
 * nothing started, and no further delivery coming. Likewise an expired slot's reclaim, whose retry
 * finds the holder gone: freed, yet not counted in the sweeper's `slotsReclaimed`.
 *
 * Reproduced for real: moto behind a proxy that holds back one write's answer past the client's
 * request timeout, so the SDK's own timeout and retry run.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbLedger, ledgerDocumentClient } from '../../lambdas/adapters/dynamodb-ledger';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { newClaim } from '../../lambdas/core/remediation/event-claim';
import { sdkClientConfig } from '../../lambdas/runtime/sdk-client-config';
import { createLedgerTable, motoDynamoDbClient } from '../emulator/ledger-table';
import { requireMoto } from '../emulator/moto-server';
import { motoForSuite } from '../emulator/moto-suite';
import { alarmOnInstance, EVENT_CLAIM_LEASE_SEC, testDeps } from '../unit/remediation/engine-deps';
import type { FakeClock } from '../unit/remediation/ledger-fixtures';

const run = requireMoto();

/** Each attempt gives up after this long without an answer (the Lambdas use up to 5 s). */
const ATTEMPT_MS = 400;
/** How long the proxy holds back the answer it delays: well past one attempt. */
const HELD_MS = 1200;

/** A proxy in front of moto; `arm(marker)` makes it hold back the next answer to a request naming `marker`. */
interface DelayingProxy {
  readonly endpoint: string;
  readonly server: Server;
  arm(marker: string): void;
}

/**
 * A proxy to `target` that forwards every request and, once armed, returns the answer to the
 * first request whose body contains the armed marker only after {@link HELD_MS}: the write is
 * applied, its answer comes too late.
 */
async function delayingProxy(target: string): Promise<DelayingProxy> {
  const to = new URL(target);
  let armed: string | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const hold = armed !== undefined && body.toString('utf8').includes(armed);
      if (hold) armed = undefined;
      const forward = httpRequest(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
        (answer: IncomingMessage) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            const reply = () => {
              if (res.destroyed) return;
              res.writeHead(answer.statusCode ?? 500, answer.headers);
              res.end(Buffer.concat(parts));
            };
            if (hold) setTimeout(reply, HELD_MS);
            else reply();
          });
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    server,
    arm: (marker: string) => {
      armed = marker;
    },
  };
}

describe.runIf(run)('claim takeover or slot reclaim whose answer is lost (DynamoDB ledger on moto)', () => {
  const moto = motoForSuite({ atomicRequests: true });
  let proxy: DelayingProxy | undefined;
  let client: DynamoDBClient | undefined;

  beforeAll(async () => {
    proxy = await delayingProxy(moto().endpoint);
    client = new DynamoDBClient({
      endpoint: proxy.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      ...sdkClientConfig({ maxAttempts: 3, callBudgetMs: 3 * ATTEMPT_MS + 300, maxAttemptMs: ATTEMPT_MS }),
    });
  });
  afterAll(async () => {
    client?.destroy();
    await new Promise<void>((resolve) =>
      proxy === undefined ? resolve() : proxy.server.close(() => resolve()),
    );
  });

  /**
   * Engine dependencies whose ledger is a new table reached through the proxy, armed with
   * `marker`: by default the takeover's PutItem, the only write conditioned on the claim it saw.
   */
  const depsOnProxy = async (marker = ':seenExpires') => {
    const admin = motoDynamoDbClient(moto().endpoint);
    const tableName = await createLedgerTable(admin);
    admin.destroy();
    if (client === undefined || proxy === undefined) throw new Error('the proxy runs only inside the suite');
    const doc = ledgerDocumentClient(client);
    proxy.arm(marker);
    return testDeps({
      ledger: (clock: FakeClock) => new DynamoDbLedger({ client: doc, tableName, clock, retentionDays: 7 }),
    });
  };

  it('answers true to a takeover that the SDK retried after its first attempt was applied', async () => {
    const deps = await depsOnProxy();
    const { ledger } = deps;
    const now = deps.clock.nowSec();
    const dead = newClaim(now, EVENT_CLAIM_LEASE_SEC, 'req-dead');
    expect(await ledger.claimEvent('evt-lost', dead)).toBe(true);
    deps.clock.advance(EVENT_CLAIM_LEASE_SEC + 1);
    const mine = newClaim(deps.clock.nowSec(), EVENT_CLAIM_LEASE_SEC, 'req-retry');

    const won = await ledger.takeOverEvent('evt-lost', dead, mine);

    // The stored claim is this takeover's own: it won.
    expect(await ledger.getEventClaim('evt-lost')).toEqual(mine);
    expect(won).toBe(true);
  });

  it('answers true to a first claim that the SDK retried after its first attempt was applied', async () => {
    // The first claim's PutItem is the only write conditioned on the claim being absent or lapsed.
    const deps = await depsOnProxy('attribute_not_exists(pk) OR expiresAt');
    const mine = newClaim(deps.clock.nowSec(), EVENT_CLAIM_LEASE_SEC, 'req-first');

    const won = await deps.ledger.claimEvent('evt-first', mine);

    expect(await deps.ledger.getEventClaim('evt-first')).toEqual(mine);
    expect(won).toBe(true);
  });

  it('counts an expired slot as reclaimed when the SDK retried the reclaim after its first attempt was applied', async () => {
    // The reclaim's UpdateItem is the only write conditioned on a holder's expiry being unchanged;
    // its first attempt, on rem-a, is applied and its answer comes too late.
    const deps = await depsOnProxy('"ConditionExpression":"#slot = :exp"');
    const { ledger } = deps;
    const now = deps.clock.nowSec();
    expect(await ledger.acquireGlobalSlot('rem-a', 2, now + 60)).toBe(true);
    expect(await ledger.acquireGlobalSlot('rem-b', 2, now + 60)).toBe(true);
    deps.clock.advance(61);

    const reclaimed = await ledger.reclaimExpiredSlots();

    // Both holders are gone, and the sweeper's slotsReclaimed counts both.
    expect(await ledger.acquireGlobalSlot('rem-c', 2, deps.clock.nowSec() + 60)).toBe(true);
    expect(await ledger.acquireGlobalSlot('rem-d', 2, deps.clock.nowSec() + 60)).toBe(true);
    expect(reclaimed).toBe(2);
  });

  it("starts the remediation on Lambda's retry of a dead attempt even when the takeover's answer came late", async () => {
    const deps = await depsOnProxy();
    const event = alarmOnInstance('evt-1', 'i-0abc123def4567890');
    // The first attempt (request req-1) claimed the event and was killed before recording anything.
    await deps.ledger.claimEvent('evt-1', newClaim(deps.clock.nowSec(), EVENT_CLAIM_LEASE_SEC, 'req-1'));

    // Lambda retries a failed asynchronous invocation a minute or more later, under the same
    // request id: the retry takes the claim over at once.
    deps.clock.advance(60);
    const retried = await handleAlarmEvent(event, deps, { requestId: 'req-1' });

    expect(retried).toMatchObject({ outcome: 'started', remediationId: 'rem-evt-1' });
    expect(deps.automation.requests).toHaveLength(1);
  });
});
