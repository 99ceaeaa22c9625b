import { type Ledger, MalformedRecordError } from '../lambdas/core/remediation/ledger';
import { integerFlag, parseFlags } from './args';
import { READ_LEDGER } from './aws-errors';
import { CliUsageError } from './errors';
import { HISTORY_HELP } from './help';
import { checkedRecords, malformedRecord } from './history-records';
import { formatHistory, formatTimeline } from './history-report';
import type { CliIo } from './io';
import {
  type LedgerConnection,
  type LedgerLocation,
  ledgerLocation,
  nonEmpty,
  withLedger,
} from './ledger-session';

export type { LedgerLocation } from './ledger-session';

/** Records `history` shows when `--limit` is not given. */
export const DEFAULT_HISTORY_LIMIT = 20;
/** Largest `--limit`: one Query page of index items and a handful of batch reads. */
export const MAX_HISTORY_LIMIT = 500;

/**
 * The two ledger reads `history` makes, and how to let go of the connection after. A malformed
 * item is a `MalformedRecordError`: thrown by `getRemediation`, in its place in `readHistory`.
 */
export type HistoryLedger = Pick<Ledger, 'getRemediation' | 'readHistory'> & LedgerConnection;

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
  const location = ledgerLocation(flags, 'history');
  const { table } = location;
  const id = nonEmpty(flags, 'id');
  const limit = integerFlag(flags, 'limit', 1, MAX_HISTORY_LIMIT);
  if (id !== undefined && limit !== undefined) {
    throw new CliUsageError('--id shows one remediation; leave out --limit');
  }
  const json = flags.json === true;

  const read = <T>(fn: (ledger: HistoryLedger) => Promise<T>): Promise<T> =>
    withLedger(location, openLedger, READ_LEDGER, async (ledger) => {
      try {
        return await fn(ledger);
      } catch (err) {
        if (err instanceof MalformedRecordError) throw malformedRecord(err, table);
        throw err;
      }
    });

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

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
