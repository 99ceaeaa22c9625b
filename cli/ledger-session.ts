/**
 * What the commands that reach the ledger table (`history`, `reset-rule`) share: reading
 * `--table` and `--region`, and one session on the table whose AWS failures become one-line usage
 * errors naming the error, the region used and what to check (exit 2).
 */

import { type ParsedFlags, stringFlag } from './args';
import { type AwsTarget, describeAwsError, type LedgerAccess } from './aws-errors';
import { CliUsageError } from './errors';

/** Where the ledger lives, from `--table` and `--region`. */
export interface LedgerLocation {
  readonly table: string;
  /** Undefined: the SDK's own resolution (AWS_REGION, the profile). */
  readonly region?: string;
}

/** What every opened ledger offers besides its reads and writes. */
export interface LedgerConnection {
  /** Lets go of the connection. */
  readonly close?: () => void;
  /** The region the client resolved (from `--region`, AWS_REGION or the profile), for messages. */
  readonly region?: () => Promise<string | undefined>;
}

/** What the SDK accepts as a region: one hostname label (letters, digits, inner hyphens). */
const REGION_NAME = /^(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$/;

/** `--table` (required) and `--region` (a region name when given), both trimmed and not blank. */
export function ledgerLocation(flags: ParsedFlags, command: string): LedgerLocation {
  const table = nonEmpty(flags, 'table');
  if (table === undefined) {
    throw new CliUsageError(`${command} needs --table NAME (the ledger table: stack output LedgerTableName)`);
  }
  const region = nonEmpty(flags, 'region');
  if (region !== undefined && !REGION_NAME.test(region)) {
    throw new CliUsageError(`--region must be an AWS region name such as eu-west-1, got "${region}"`);
  }
  return region === undefined ? { table } : { table, region };
}

/**
 * Opens the ledger at `location`, runs `fn` on it and closes it. A {@link CliUsageError} from `fn`
 * passes through; an AWS failure (credentials, region, endpoint, table, permissions) becomes one,
 * saying what `access` was doing; anything else (a bug) stays internal.
 */
export async function withLedger<L extends LedgerConnection, T>(
  location: LedgerLocation,
  open: (location: LedgerLocation) => L,
  access: LedgerAccess,
  fn: (ledger: L) => Promise<T>,
): Promise<T> {
  let ledger: L | undefined;
  try {
    ledger = open(location);
    return await fn(ledger);
  } catch (err) {
    if (err instanceof CliUsageError) throw err;
    const target: AwsTarget =
      location.region === undefined
        ? { table: location.table, region: await resolvedRegion(ledger), regionFromFlag: false, access }
        : { ...location, access };
    throw describeAwsError(err, target) ?? err;
  } finally {
    ledger?.close?.();
  }
}

/** A string flag's value, trimmed, which must not be blank when given. */
export function nonEmpty(flags: ParsedFlags, name: string): string | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new CliUsageError(`--${name} must not be empty`);
  return value.trim();
}

/** The region the failed client used, or undefined when it cannot say (e.g. none configured). */
async function resolvedRegion(ledger: LedgerConnection | undefined): Promise<string | undefined> {
  try {
    return await ledger?.region?.();
  } catch {
    return undefined;
  }
}
