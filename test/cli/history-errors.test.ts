import { describe, expect, it } from 'vitest';
import { describeAwsError } from '../../cli/aws-errors';
import type { OpenLedger } from '../../cli/history-command';
import { main } from '../../cli/main';
import { fakeDeps } from './fixtures/fake-deps';
import { memoryIo } from './fixtures/memory-io';

/** An error shaped like the SDK's: a name, a message and, from the service, `$metadata`. */
function awsError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}
const service = { $metadata: { httpStatusCode: 400 } };

/** A ledger whose reads fail with `err`, and whether the command let go of it. */
function failingWith(err: unknown, region?: string) {
  const state = { closed: false };
  const openLedger: OpenLedger = () => ({
    readHistory: () => Promise.reject(err),
    getRemediation: () => Promise.reject(err),
    close: () => {
      state.closed = true;
    },
    region: async () => region,
  });
  return { state, openLedger };
}

async function history(args: string[], openLedger: OpenLedger) {
  const io = memoryIo();
  const code = await main(['history', ...args], io, { ...fakeDeps, openLedger });
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('selfheal history on AWS errors', () => {
  it.each([
    [
      awsError('CredentialsProviderError', 'Could not load credentials from any providers'),
      "CredentialsProviderError: no AWS credentials found; check AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or 'aws sso login'",
    ],
    [
      awsError('ResourceNotFoundException', 'Requested resource not found', service),
      'ResourceNotFoundException: table SelfHeal-Ledger not found in region eu-west-1; check --table (the stack output LedgerTableName) and --region',
    ],
    [
      awsError('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized\nmore', service),
      'AccessDeniedException: not allowed to read table SelfHeal-Ledger; check that your role may dynamodb:Query, dynamodb:GetItem and dynamodb:BatchGetItem on it',
    ],
    [
      awsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        service,
      ),
      'UnrecognizedClientException: the AWS credentials were rejected; check they are current and for the right account',
    ],
    [
      awsError('Error', 'connect ECONNREFUSED 127.0.0.1:4566', { code: 'ECONNREFUSED' }),
      'ECONNREFUSED: cannot reach DynamoDB in region eu-west-1; check the network, --region and AWS_ENDPOINT_URL',
    ],
    [
      awsError('ProvisionedThroughputExceededException', 'Rate exceeded\nsecond line', service),
      'ProvisionedThroughputExceededException: Rate exceeded (HTTP 400)',
    ],
    [
      awsError('Unknown', 'UnknownError', { $metadata: { httpStatusCode: 404 } }),
      'Unknown: UnknownError (HTTP 404): the endpoint answered without an AWS error; check AWS_ENDPOINT_URL points at DynamoDB (or unset it) and --region',
    ],
    [
      awsError('Error', 'Region not accepted: region="us east" is not a valid hostname component.'),
      'region "us east" is not a region name; pass --region (e.g. eu-west-1) or fix AWS_REGION or the profile\'s region',
    ],
    [
      awsError('TypeError', 'Invalid URL', { code: 'ERR_INVALID_URL', input: 'notaurl' }),
      'the endpoint URL "notaurl" is not a valid URL; fix or unset AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_DYNAMODB, the profile\'s endpoint_url), e.g. http://localhost:4566',
    ],
  ])('prints one line naming %s and what to check, exit 2', async (error, line) => {
    const { state, openLedger } = failingWith(error);

    const { code, out, err } = await history(
      ['--table', 'SelfHeal-Ledger', '--region', 'eu-west-1'],
      openLedger,
    );

    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`selfheal: cannot read the ledger: ${line}\n`);
    expect(state.closed).toBe(true);
  });

  it('names the missing region when neither --region nor AWS_REGION gives one', async () => {
    const { openLedger } = failingWith(new Error('Region is missing'));

    const { code, err } = await history(['--table', 't', '--id', 'r-1'], openLedger);

    expect(code).toBe(2);
    expect(err).toBe(
      'selfheal: cannot read the ledger: no AWS region configured; pass --region or set AWS_REGION\n',
    );
  });

  it('names the region the SDK resolved when --region is not given', async () => {
    const notFound = awsError('ResourceNotFoundException', 'Requested resource not found', service);
    const { openLedger } = failingWith(notFound, 'us-east-1');

    const { code, err } = await history(['--table', 'SelfHeal-Ledger'], openLedger);

    expect(code).toBe(2);
    expect(err).toContain(
      'table SelfHeal-Ledger not found in region us-east-1 (from AWS_REGION or the profile); check --table',
    );
  });

  it.each(['us east', 'eu-west-1-', 'eu_west_1'])(
    'fails at flag parsing when --region is %j, before opening the ledger',
    async (region) => {
      let opened = 0;
      const openLedger: OpenLedger = (location) => {
        opened++;
        return fakeDeps.openLedger(location);
      };

      const { code, err } = await history(['--table', 't', '--region', region], openLedger);

      expect(code).toBe(2);
      expect(err).toBe(`selfheal: --region must be an AWS region name such as eu-west-1, got "${region}"\n`);
      expect(opened).toBe(0);
    },
  );

  it('keeps a bug an internal error (exit 1), not an AWS problem', async () => {
    const { openLedger } = failingWith(new TypeError('cannot read properties of undefined'));

    const { code, err } = await history(['--table', 't'], openLedger);

    expect(code).toBe(1);
    expect(err).toBe(
      'selfheal: internal error: cannot read properties of undefined (set SELFHEAL_DEBUG=1 for details)\n',
    );
  });
});

describe('describeAwsError', () => {
  it('says "the configured region" when the SDK chose it', () => {
    const error = describeAwsError(awsError('ResourceNotFoundException', 'x', service), { table: 't' });

    expect(error?.message).toContain('table t not found in the configured region;');
  });

  it('leaves non-errors and plain errors alone', () => {
    expect(describeAwsError('text', { table: 't' })).toBeUndefined();
    expect(describeAwsError(new RangeError('bad'), { table: 't' })).toBeUndefined();
  });
});
