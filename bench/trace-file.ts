/** Reading the benches' trace CSVs: a trace that cannot be read fails naming its file. */
import { readFileSync } from 'node:fs';
import { CsvError, parseTimestampValueCsv } from '../lambdas/core/series/csv';
import { type RegularizeResult, regularize } from '../lambdas/core/series/regularize';

/**
 * Parses and regularizes the `timestamp,value` CSV at `file`. Any failure is rethrown as an
 * `Error` (the original as its `cause`) whose message starts with the file: `<file>:<line>:
 * <problem>` for a CSV problem, `<file>: <message>` otherwise (an unreadable file, a series
 * regularizing refuses).
 */
export function readTraceFile(file: string): RegularizeResult {
  try {
    return regularize(parseTimestampValueCsv(readFileSync(file, 'utf8')));
  } catch (error) {
    const where =
      error instanceof CsvError
        ? `${file}:${error.line}: ${error.problem}`
        : `${file}: ${error instanceof Error ? error.message : String(error)}`;
    throw new Error(`cannot read trace ${where}`, { cause: error });
  }
}
