/**
 * The SSM adapter's StartAutomationExecution and how it classifies a failed start: refused (SSM
 * answered every attempt with a 4xx error: it started nothing) or uncertain (an attempt got no
 * answer or a server error, or the answer carried no execution id: SSM may have started it).
 * Through the real SDK (its standard retry and JSON deserialization) on a fake HTTP handler, so
 * the errors are the ones SDK really throws; and the classification of the errors the handler tests
 * build for aws-sdk-client-mock (test/handlers/ssm-errors.ts), which must match them.
 */
import { Readable } from 'node:stream';
import { SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { classifyStartError, SsmAutomation } from '../../../lambdas/adapters/ssm-automation';
import type { StartAutomationRequest } from '../../../lambdas/core/remediation/automation-request';
import { StartRefusedError, StartUncertainError } from '../../../lambdas/core/remediation/engine-ports';
import { InvocationDeadline } from '../../../lambdas/runtime/invocation-deadline';
import { sdkClientConfig } from '../../../lambdas/runtime/sdk-client-config';
import { silentEndpoint } from '../../fixtures/silent-endpoint';
import {
  accessDenied,
  connectionReset,
  idempotentParameterMismatch,
  internalServerError,
  invalidParameters,
  serviceUnavailable,
  throttled,
  timedOut,
} from '../../handlers/ssm-errors';

const EXECUTION_ID = '333ba70b-2333-48db-b17e-a5e69c6f4d1c';
const REQUEST: StartAutomationRequest = {
  DocumentName: 'SelfHeal-CleanupDirectory',
  Parameters: { InstanceId: ['i-0abc123def4567890'] },
  ClientToken: '0b9f7c1e-5d2a-4f3b-8c6d-1e2f3a4b5c6d',
  Tags: [{ Key: 'selfheal:rule', Value: 'disk-full-cleanup' }],
};

/** One attempt's fate: an HTTP answer (status, JSON body) or an error before any answer. */
type Attempt = readonly [number, Record<string, unknown>] | Error;

/** SSM's JSON error body (awsJson1_1) for `type`. */
const error = (status: number, type: string, message = `${type} message`): Attempt => [
  status,
  { __type: type, message },
];
/** What the HTTP handler throws when the socket times out (no answer). */
const noAnswer = (): Error =>
  Object.assign(
    new Error('@smithy/node-http-handler - the request socket timed out after 3000 ms of inactivity.'),
    {
      name: 'TimeoutError',
    },
  );

/** The adapter on a real SSMClient (3 attempts) whose HTTP handler plays `attempts` in order. */
function adapter(attempts: readonly Attempt[]) {
  let sent = 0;
  const requestHandler = {
    handle: async () => {
      const attempt = attempts[Math.min(sent, attempts.length - 1)];
      sent += 1;
      if (attempt === undefined) throw new Error('no attempt scripted');
      if (attempt instanceof Error) throw attempt;
      const [statusCode, body] = attempt;
      return {
        response: {
          statusCode,
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' },
          body: Readable.from([Buffer.from(JSON.stringify(body))]),
        },
      };
    },
  };
  const client = new SSMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 3,
    requestHandler,
  });
  return { runner: new SsmAutomation(client), sent: () => sent };
}

/** The error `start` threw, with the SDK's own as its cause. */
async function startError(attempts: readonly Attempt[]) {
  const { runner, sent } = adapter(attempts);
  const thrown = await runner.start(REQUEST).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(thrown instanceof Error)) throw new Error(`start did not fail: ${String(thrown)}`);
  return { thrown, cause: thrown.cause as Record<string, unknown> & Error, sent: sent() };
}

describe('SsmAutomation.start through the SDK', () => {
  it('resolves to the execution id, after the SDK retried a server error', async () => {
    const { runner, sent } = adapter([
      error(500, 'InternalServerError'),
      [200, { AutomationExecutionId: EXECUTION_ID }],
    ]);

    expect(await runner.start(REQUEST)).toBe(EXECUTION_ID);
    expect(sent()).toBe(2);
  });

  // Transient or a permission refusal: says nothing about an earlier request with the same
  // ClientToken (a resume's); a redeploy may have changed the function's permission since.
  it.each([
    ['InvalidAutomationExecutionParametersException', 1, 'request'],
    ['AutomationDefinitionNotFoundException', 1, 'request'],
    ['AutomationDefinitionVersionNotFoundException', 1, 'request'],
    ['AutomationExecutionLimitExceededException', 1, 'automationLimit'],
    ['AutomationDefinitionNotApprovedException', 1, 'transient'],
    ['InvalidTarget', 1, 'request'],
    ['AccessDeniedException', 1, 'permission'],
    ['ValidationException', 1, 'request'],
    ['ExpiredTokenException', 1, 'transient'],
    ['ThrottlingException', 3, 'throttling'],
  ] as const)(
    'is refused when SSM answers %s (HTTP 400) on all %i attempts, a %s refusal',
    async (type, tries, kind) => {
      const { thrown, cause, sent } = await startError([error(400, type, 'refused by SSM')]);

      expect(thrown).toBeInstanceOf(StartRefusedError);
      expect((thrown as StartRefusedError).kind).toBe(kind);
      expect(sent).toBe(tries);
      const answers = tries === 1 ? 'HTTP 400' : 'attempts: HTTP 400, HTTP 400, HTTP 400';
      expect(thrown.message).toBe(`${type}: refused by SSM (${answers})`);
      expect(cause).toMatchObject({ name: type, $fault: 'client', $metadata: { httpStatusCode: 400 } });
    },
  );

  it('is a throttling refusal when SSM answers HTTP 429 under any name', async () => {
    const { thrown, sent } = await startError([error(429, 'TooManyRequestsException', 'slow down')]);

    expect(thrown).toBeInstanceOf(StartRefusedError);
    expect((thrown as StartRefusedError).kind).toBe('throttling');
    expect(sent).toBe(3);
  });

  it('is a throttling refusal, not a permission one, when SSM answers AccessDeniedException with HTTP 429', async () => {
    const { thrown } = await startError([error(429, 'AccessDeniedException', 'slow down')]);

    expect(thrown).toMatchObject({ name: 'StartRefusedError', kind: 'throttling' });
  });

  it.each<[string, readonly Attempt[], string]>([
    [
      'a server error (InternalServerError, HTTP 500)',
      [error(500, 'InternalServerError')],
      'HTTP 500, HTTP 500, HTTP 500',
    ],
    ['ServiceUnavailable (HTTP 503)', [error(503, 'ServiceUnavailable')], 'HTTP 503, HTTP 503, HTTP 503'],
    ['no answer (socket timeout)', [noAnswer()], 'no answer, no answer, no answer'],
    [
      'no answer, then throttled: the first attempt may have started it',
      [noAnswer(), error(400, 'ThrottlingException')],
      'no answer, HTTP 400, HTTP 400',
    ],
    [
      'a server error, then throttled',
      [error(500, 'InternalServerError'), error(400, 'ThrottlingException')],
      'HTTP 500, HTTP 400, HTTP 400',
    ],
  ])('is uncertain after %s', async (_what, attempts, answers) => {
    const { thrown, sent } = await startError(attempts);

    expect(thrown).toBeInstanceOf(StartUncertainError);
    expect(sent).toBe(3);
    expect(thrown.message).toMatch(new RegExp(`\\(attempts: ${answers}\\)$`));
  });

  it('is uncertain on IdempotentParameterMismatch: a request with this ClientToken reached SSM before', async () => {
    const { thrown, sent } = await startError([error(400, 'IdempotentParameterMismatch', 'mismatch')]);

    expect(thrown).toBeInstanceOf(StartUncertainError);
    expect(thrown.message).toBe('IdempotentParameterMismatch: mismatch (HTTP 400)');
    expect(sent).toBe(1);
  });

  it('says not sent when the SDK finds no credentials, and stays uncertain', async () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    let sent = 0;
    const client = new SSMClient({
      region: 'us-east-1',
      credentials: async () => {
        throw noCredentials;
      },
      requestHandler: {
        handle: async () => {
          sent += 1;
          throw new Error('no request expected');
        },
      },
    });

    const thrown = await new SsmAutomation(client).start(REQUEST).catch((e: unknown) => e);

    expect(thrown).toBeInstanceOf(StartUncertainError);
    expect((thrown as Error).message).toBe(
      'CredentialsProviderError: Could not load credentials from any providers (not sent: no credentials)',
    );
    expect(sent).toBe(0);
  });

  it('is uncertain when SSM answers without an execution id', async () => {
    const { thrown } = await startError([[200, {}]]);

    expect(thrown).toBeInstanceOf(StartUncertainError);
    expect(thrown.message).toBe(
      'MissingExecutionIdError: StartAutomationExecution of SelfHeal-CleanupDirectory returned no execution id',
    );
  });
});

describe('the SSM errors the handler tests build', () => {
  it.each<[string, () => Error, readonly Attempt[]]>([
    ['throttled', throttled, [error(400, 'ThrottlingException', 'Rate exceeded')]],
    ['invalidParameters', invalidParameters, [error(400, 'InvalidAutomationExecutionParametersException')]],
    ['accessDenied', accessDenied, [error(400, 'AccessDeniedException')]],
    ['idempotentParameterMismatch', idempotentParameterMismatch, [error(400, 'IdempotentParameterMismatch')]],
    ['internalServerError', internalServerError, [error(500, 'InternalServerError')]],
    ['serviceUnavailable', serviceUnavailable, [error(503, 'ServiceUnavailable')]],
    ['timedOut', timedOut, [noAnswer()]],
    [
      'connectionReset',
      connectionReset,
      [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', name: 'TimeoutError' })],
    ],
  ])('%s has the class, name, fault, status and attempts the SDK gives', async (_name, build, attempts) => {
    const built = build() as Error & { $fault?: unknown; $metadata: Record<string, unknown> };
    const { cause } = await startError(attempts);

    expect(built.constructor).toBe(cause.constructor);
    expect(built.name).toBe(cause.name);
    expect(built.$fault).toBe(cause.$fault);
    const real = cause.$metadata as Record<string, unknown>;
    expect(built.$metadata.httpStatusCode).toBe(real.httpStatusCode);
    expect(built.$metadata.attempts).toBe(real.attempts);
  });
});

describe('classifyStartError', () => {
  it.each<[string, unknown, 'refused' | 'uncertain']>([
    ['ThrottlingException after the retries (HTTP 400)', throttled(), 'refused'],
    ['InvalidAutomationExecutionParametersException (HTTP 400)', invalidParameters(), 'refused'],
    ['AccessDeniedException (HTTP 400)', accessDenied(), 'refused'],
    ['IdempotentParameterMismatch (HTTP 400)', idempotentParameterMismatch(), 'uncertain'],
    ['InternalServerError (HTTP 500)', internalServerError(), 'uncertain'],
    ['ServiceUnavailable (HTTP 503)', serviceUnavailable(), 'uncertain'],
    ['a socket timeout (no status)', timedOut(), 'uncertain'],
    ['a reset connection (no status)', connectionReset(), 'uncertain'],
    [
      'an error that is not the SDK’s (a bug)',
      new TypeError('cannot read properties of undefined'),
      'uncertain',
    ],
    ['something thrown that is no error', 'boom', 'uncertain'],
  ])('%s: %s', (_what, thrown, expected) => {
    expect(classifyStartError(thrown)).toBe(expected);
  });

  it('is uncertain when an earlier attempt got no answer, though the last was refused', () => {
    expect(classifyStartError(throttled(), [undefined, 400, 400])).toBe('uncertain');
    expect(classifyStartError(throttled(), [400, 400, 400])).toBe('refused');
  });
});

/**
 * The adapter on an SSMClient configured as the handlers configure theirs ({@link sdkClientConfig}:
 * real Node.js HTTP handler, per-attempt timeouts), sending to a local endpoint that accepts
 * connections and never answers; `act` gets it and the number of connections made.
 */
async function withSilentEndpoint(
  act: (client: SSMClient, connections: () => number) => Promise<void>,
  budget = { maxAttempts: 2, callBudgetMs: 1000, maxAttemptMs: 5000 },
): Promise<void> {
  const server = await silentEndpoint();
  const client = new SSMClient({
    ...sdkClientConfig(budget),
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    await act(client, () => server.sockets.length);
  } finally {
    client.destroy();
    await server.close();
  }
}

describe('SsmAutomation.start when SSM never answers', () => {
  it('is uncertain when every attempt times out on the client (SSM may have started it)', async () => {
    await withSilentEndpoint(async (client, connections) => {
      const thrown = await new SsmAutomation(client).start(REQUEST).then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(thrown).toBeInstanceOf(StartUncertainError);
      // (1000 ms − 100 ms of backoff) / 2 attempts.
      expect((thrown as Error).message).toBe(
        'TimeoutError: @smithy/node-http-handler - [ERROR] a request has exceeded the configured 450 ms requestTimeout. (attempts: no answer, no answer)',
      );
      expect(connections()).toBe(2);
    });
  });

  it("is uncertain when the call is given up at the invocation's deadline", async () => {
    await withSilentEndpoint(
      async (client) => {
        const deadline = new InvocationDeadline(100);
        deadline.guard(client);
        deadline.begin(300);

        const thrown = await new SsmAutomation(client).start(REQUEST).then(
          () => undefined,
          (e: unknown) => e,
        );

        expect(thrown).toBeInstanceOf(StartUncertainError);
        expect((thrown as Error).message).toBe(
          "InvocationDeadlineError: an AWS call got no answer before the invocation's deadline (100 ms before the function timeout) (no answer)",
        );
      },
      { maxAttempts: 3, callBudgetMs: 60_000, maxAttemptMs: 5000 },
    );
  });
});
