import { CsvError, type CsvOptions, csvLines, parseTimestampValueCsv } from '../lambdas/core/series/csv';
import { type RegularizeResult, regularize } from '../lambdas/core/series/regularize';
import { SeriesError } from '../lambdas/core/series/types';
import { CliUsageError } from './errors';
import type { CliIo } from './io';
import { readTextSource, type TextSource } from './text-source';

/**
 * Most grid points a CSV may span: 80 MB per copy of the series, 115 days at 1 s or 19 years at
 * 1 min. Beyond it one stray timestamp would make the CLI exhaust memory instead of failing.
 */
export const MAX_SERIES_POINTS = 10_000_000;

/** Reads a CSV from `path`, or standard input when it is `-` (see {@link readTextSource}). */
export function readCsvSource(io: CliIo, path: string): Promise<TextSource> {
  return readTextSource(io, path, 'CSV');
}

/**
 * Parses and regularizes a `timestamp,value` CSV. CSV problems (including a value `options`
 * refuses) are reported as `label:line: problem` and series problems (too few points, time going
 * backwards) as `label: problem`.
 */
export function seriesFromCsv(source: TextSource, options: CsvOptions = {}): RegularizeResult {
  try {
    // Values are checked as read, before regularizing: a gap filled between two values never
    // goes below both.
    const points = parseTimestampValueCsv(source.text, options);
    if (points.length === 0)
      throw new CliUsageError(`${source.label}: no data rows (expected timestamp,value lines)`);
    return regularize(points, { maxPoints: MAX_SERIES_POINTS });
  } catch (err) {
    if (err instanceof CsvError) throw new CliUsageError(`${source.label}:${err.line}: ${err.problem}`);
    if (err instanceof SeriesError) {
      const line = err.index === undefined ? undefined : lineOfPoint(source.text, err.index);
      throw new CliUsageError(`${source.label}${line === undefined ? '' : `:${line}`}: ${err.message}`);
    }
    throw err;
  }
}

/**
 * The 1-based line holding data point `index` (0-based), for series errors that only know the
 * point: data lines are the non-blank ones, after the header when there is one.
 */
function lineOfPoint(text: string, index: number): number | undefined {
  const lines = csvLines(text);
  const dataLines = lines.flatMap((l, i) => (l.trim() === '' ? [] : [i + 1]));
  const points = parseTimestampValueCsv(text).length;
  const headerLines = dataLines.length - points;
  return dataLines[index + headerLines];
}
