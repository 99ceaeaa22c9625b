/**
 * Turns AWS SDK failures into one-line {@link CliUsageError}s naming the AWS error and what to
 * check: they are the operator's to fix (credentials, region, table name, permissions).
 */
import { CliUsageError } from './errors';

/** What a command does with the ledger table, for its messages. */
export interface LedgerAccess {
  /** What failed, after "cannot ", e.g. `read the ledger`. */
  readonly doing: string;
  /** What the command does to the table, after "not allowed to ", e.g. `read`. */
  readonly verb: string;
  /** The IAM actions it needs on the table, for an AccessDeniedException. */
  readonly actions: readonly string[];
}

/** `history`'s access: reads only. */
export const READ_LEDGER: LedgerAccess = {
  doing: 'read the ledger',
  verb: 'read',
  actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'],
};

/** What the failing call was reading, for the hint. */
export interface AwsTarget {
  readonly table: string;
  /** The region used: asked for with `--region`, or resolved by the SDK; undefined when unknown. */
  readonly region?: string;
  /** False when the SDK chose the region (AWS_REGION or the profile). Default true. */
  readonly regionFromFlag?: boolean;
  /** What the command was doing. Default {@link READ_LEDGER}. */
  readonly access?: LedgerAccess;
}

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'MissingAuthenticationToken',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT']);

/**
 * The usage error for an AWS failure, or undefined when `err` is not one (a bug stays internal).
 * An error counts as AWS's when the SDK attached `$metadata` or it comes from credential or
 * region resolution or the network.
 */
export function describeAwsError(err: unknown, target: AwsTarget): CliUsageError | undefined {
  if (!(err instanceof Error)) return undefined;
  const name = err.name;
  const code = (err as { code?: unknown }).code;
  const message = firstLine(err.message);
  const where = whereOf(target);
  const metadata = (err as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  const fromService = typeof metadata === 'object' && metadata !== null;
  const status = typeof metadata?.httpStatusCode === 'number' ? ` (HTTP ${metadata.httpStatusCode})` : '';
  const hint =
    configurationHint(err, message, typeof code === 'string' ? code : undefined) ??
    hintFor(name, message, typeof code === 'string' ? code : undefined, target, where);
  const cannot = `cannot ${(target.access ?? READ_LEDGER).doing}`;
  if (hint !== undefined) return new CliUsageError(`${cannot}: ${hint}`);
  if (!fromService) return undefined;
  if (name === 'Unknown' || message === 'UnknownError' || name === 'SyntaxError') {
    // The SDK's name for a response with no AWS error in it, e.g. an empty 404 from a wrong endpoint;
    // a body it cannot parse at all (an HTML error page) surfaces as the parser's SyntaxError.
    return new CliUsageError(
      `${cannot}: ${name}: ${message}${status}: the endpoint answered without an AWS error; check AWS_ENDPOINT_URL points at DynamoDB (or unset it) and --region`,
    );
  }
  return new CliUsageError(`${cannot}: ${name}: ${message}${status}`);
}

function whereOf(target: AwsTarget): string {
  if (target.region === undefined) return 'the configured region';
  if (target.regionFromFlag === false) return `region ${target.region} (from AWS_REGION or the profile)`;
  return `region ${target.region}`;
}

/**
 * SDK configuration the client rejects before any request: a region that is not a hostname
 * label, an endpoint that is not a URL. Both come from the user's environment or profile.
 */
function configurationHint(err: Error, message: string, code: string | undefined): string | undefined {
  const region = /^Region not accepted: region="(.*)"/.exec(message)?.[1];
  if (region !== undefined) {
    return `region "${region}" is not a region name; pass --region (e.g. eu-west-1) or fix AWS_REGION or the profile's region`;
  }
  if (code === 'ERR_INVALID_URL') {
    const input = (err as { input?: unknown }).input;
    const shown = typeof input === 'string' ? ` "${input}"` : '';
    return `the endpoint URL${shown} is not a valid URL; fix or unset AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_DYNAMODB, the profile's endpoint_url), e.g. http://localhost:4566`;
  }
  return undefined;
}

function hintFor(
  name: string,
  message: string,
  code: string | undefined,
  target: AwsTarget,
  where: string,
): string | undefined {
  if (name === 'CredentialsProviderError') {
    return `${name}: no AWS credentials found; check AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or 'aws sso login'`;
  }
  if (/region is missing/i.test(message)) {
    return 'no AWS region configured; pass --region or set AWS_REGION';
  }
  if (name === 'ResourceNotFoundException') {
    return `${name}: table ${target.table} not found in ${where}; check --table (the stack output LedgerTableName) and --region`;
  }
  if (name === 'AccessDeniedException') {
    const { verb, actions } = target.access ?? READ_LEDGER;
    return `${name}: not allowed to ${verb} table ${target.table}; check that your role may ${listed(actions)} on it`;
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return `${name}: the AWS credentials were rejected; check they are current and for the right account`;
  }
  if ((code !== undefined && NETWORK_CODES.has(code)) || name === 'TimeoutError') {
    return `${code ?? name}: cannot reach DynamoDB in ${where}; check the network, --region and AWS_ENDPOINT_URL`;
  }
  return undefined;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}
