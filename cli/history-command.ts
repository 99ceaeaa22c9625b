import { type Ledger, MalformedRecordError } from '../lambdas/core/remediation/ledger';
import { integerFlag, parseFlags, stringFlag } from './args';
import { type AwsTarget, describeAwsError } from './aws-errors';
import { CliUsageError } from './errors';
import { HISTORY_HELP } from './help';
import { checkedRecords, malformedRecord } from './history-records';
import { formatHistory, formatTimeline } from './history-report';
import type { CliIo } from './io';

/** Records `history` shows when `--limit` is not given. */
export const DEFAULT_HISTORY_LIMIT = 20;
/** Largest `--limit`: one Query page of index items and a handful of batch reads. */
export const MAX_HISTORY_LIMIT = 500;

/**
 * The two ledger reads `history` makes, and how to let go of the connection after. A malformed
 * item is a `MalformedRecordError`: thrown by `getRemediation`, in its place in `readHistory`.
 */
export type HistoryLedger = Pick<Ledger, 'getRemediation' | 'readHistory'> & {
  readonly close?: () => void;
  /** The region the client resolved (from `--region`, AWS_REGION or the profile), for messages. */
  readonly region?: () => Promise<string | undefined>;
};

/** Where the ledger lives, from `--table` and `--region`. */
export interface LedgerLocation {
  readonly table: string;
  /** Undefined: the SDK's own resolution (AWS_REGION, the profile). */
  readonly region?: string;
}

/**
 * Opens the ledger table for reading. The real one builds the DynamoDB adapter on the default
 * credential chain; tests hand over an in-memory ledger.
 */
export type OpenLedger = (location: LedgerLocation) => HistoryLedger;

/**
 * Runs `selfheal history`: the latest remediations newest first, or with `--id` one
 * remediation's timeline and guardrail verdicts; `--json` prints the records. AWS failures
 * (credentials, region, table, permissions) are one line and exit 2.
 */
export async function historyCommand(
  args: readonly string[],
  io: CliIo,
  openLedger: OpenLedger,
): Promise<number> {
  const flags = parseFlags('history', args, {
    table: { type: 'string' },
    region: { type: 'string' },
    limit: { type: 'string' },
    id: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help === true) {
    io.stdout(HISTORY_HELP);
    return 0;
  }
  const table = nonEmpty(flags, 'table');
  if (table === undefined) {
    throw new CliUsageError('history needs --table NAME (the ledger table: stack output LedgerTableName)');
  }
  const region = nonEmpty(flags, 'region');
  if (region !== undefined && !REGION_NAME.test(region)) {
    throw new CliUsageError(`--region must be an AWS region name such as eu-west-1, got "${region}"`);
  }
  const id = nonEmpty(flags, 'id');
  const limit = integerFlag(flags, 'limit', 1, MAX_HISTORY_LIMIT);
  if (id !== undefined && limit !== undefined) {
    throw new CliUsageError('--id shows one remediation; leave out --limit');
  }
  const json = flags.json === true;
  const location: LedgerLocation = region === undefined ? { table } : { table, region };

  const read = async <T>(fn: (ledger: HistoryLedger) => Promise<T>): Promise<T> => {
    let ledger: HistoryLedger | undefined;
    try {
      ledger = openLedger(location);
      return await fn(ledger);
    } catch (err) {
      if (err instanceof MalformedRecordError) throw malformedRecord(err, table);
      const target: AwsTarget =
        region === undefined
          ? { table, region: await resolvedRegion(ledger), regionFromFlag: false }
          : location;
      throw describeAwsError(err, target) ?? err;
    } finally {
      ledger?.close?.();
    }
  };

  if (id !== undefined) {
    const stored = await read((ledger) => ledger.getRemediation(id));
    if (stored === undefined) {
      throw new CliUsageError(
        `remediation ${id} not found in ${table} (it may have expired; 'selfheal history --table ${table}' lists ids)`,
      );
    }
    io.stdout(json ? toJson(stored) : formatTimeline(stored));
    return 0;
  }
  const max = limit ?? DEFAULT_HISTORY_LIMIT;
  const stored = await read((ledger) => ledger.readHistory(max));
  const records = checkedRecords(stored, table, io);
  io.stdout(json ? toJson(records) : formatHistory(records, { table, limit: max, itemsRead: stored.length }));
  return 0;
}

/** What the SDK accepts as a region: one hostname label (letters, digits, inner hyphens). */
const REGION_NAME = /^(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$/;

/** The region the failed client used, or undefined when it cannot say (e.g. none configured). */
async function resolvedRegion(ledger: HistoryLedger | undefined): Promise<string | undefined> {
  try {
    return await ledger?.region?.();
  } catch {
    return undefined;
  }
}

/** A string flag's value, which must not be blank when given. */
function nonEmpty(flags: Parameters<typeof stringFlag>[0], name: string): string | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new CliUsageError(`--${name} must not be empty`);
  return value.trim();
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
