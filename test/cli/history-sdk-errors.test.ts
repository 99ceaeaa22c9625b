/**
 * `selfheal history` with the real SDK client misconfigured through the environment: the errors
 * the SDK raises before or instead of an AWS error response must be usage errors (exit 2).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDynamoDbLedger } from '../../cli/history-ledger';
import { main } from '../../cli/main';
import { fakeDeps } from './fixtures/fake-deps';
import { memoryIo } from './fixtures/memory-io';

async function history(args: string[]) {
  const io = memoryIo();
  const code = await main(['history', ...args], io, { ...fakeDeps, openLedger: openDynamoDbLedger });
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('selfheal history with the real SDK misconfigured', () => {
  let server: Server;
  let emptyNotFound: string;
  let htmlServer: Server;
  let htmlNotFound: string;

  beforeAll(async () => {
    // An endpoint that is not DynamoDB: every request gets an empty 404.
    server = createServer((_req, res) => res.writeHead(404, { 'content-length': '0' }).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    emptyNotFound = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A web server that is not DynamoDB either: an HTML error page, as most would send.
    htmlServer = createServer((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<!doctype html><title>Not Found</title>'),
    );
    await new Promise<void>((resolve) => htmlServer.listen(0, '127.0.0.1', resolve));
    htmlNotFound = `http://127.0.0.1:${(htmlServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => htmlServer.close(resolve));
  });

  beforeEach(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_PROFILE', '');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ENDPOINT_URL', '');
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', '');
    vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reports an AWS_REGION that is not a region name as exit 2 with a hint', async () => {
    vi.stubEnv('AWS_REGION', 'us east');

    const { code, err } = await history(['--table', 't']);

    expect(code).toBe(2);
    expect(err).toBe(
      'selfheal: cannot read the ledger: region "us east" is not a region name; pass --region (e.g. eu-west-1) or fix AWS_REGION or the profile\'s region\n',
    );
  });

  it('reports an AWS_ENDPOINT_URL that is not a URL as exit 2 with a hint', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'notaurl');

    const { code, err } = await history(['--table', 't']);

    expect(code).toBe(2);
    expect(err).toContain('selfheal: cannot read the ledger: the endpoint URL "notaurl" is not a valid URL;');
  });

  it('names the HTTP status of an endpoint that answers without an AWS error', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', emptyNotFound);

    const { code, err } = await history(['--table', 't']);

    expect(code).toBe(2);
    expect(err).toBe(
      'selfheal: cannot read the ledger: Unknown: UnknownError (HTTP 404): the endpoint answered without an AWS error; check AWS_ENDPOINT_URL points at DynamoDB (or unset it) and --region\n',
    );
  });

  it('names AWS_ENDPOINT_URL when the endpoint answers with a body that is not an AWS response', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', htmlNotFound);

    const { code, err } = await history(['--table', 't']);

    expect(code).toBe(2);
    // The parser's wording is V8's; what matters is the status and the setting to check.
    expect(err).toMatch(
      /^selfheal: cannot read the ledger: SyntaxError: [^\n]* \(HTTP 404\): the endpoint answered without an AWS error; check AWS_ENDPOINT_URL points at DynamoDB \(or unset it\) and --region\n$/,
    );
  });
});
