/**
 * Turns AWS SDK failures into one-line {@link CliUsageError}s naming the AWS error and what to
 * check: they are the operator's to fix (credentials, region, table name, permissions).
 */
import { CliUsageError } from './errors';

/** What the failing call was reading, for the hint. */
export interface AwsTarget {
  readonly table: string;
  /** The region asked for with `--region`; undefined when the SDK chose it. */
  readonly region?: string;
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
  const where = target.region === undefined ? 'the configured region' : `region ${target.region}`;
  const fromService = typeof (err as { $metadata?: unknown }).$metadata === 'object';
  const hint = hintFor(name, message, typeof code === 'string' ? code : undefined, target, where);
  const line = hint ?? (fromService ? `${name}: ${message}` : undefined);
  if (line === undefined) return undefined;
  return new CliUsageError(`cannot read the ledger: ${line}`);
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
    return `${name}: not allowed to read table ${target.table}; check that your role may dynamodb:Query, dynamodb:GetItem and dynamodb:BatchGetItem on it`;
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return `${name}: the AWS credentials were rejected; check they are current and for the right account`;
  }
  if ((code !== undefined && NETWORK_CODES.has(code)) || name === 'TimeoutError') {
    return `${code ?? name}: cannot reach DynamoDB in ${where}; check the network, --region and AWS_ENDPOINT_URL`;
  }
  return undefined;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}
