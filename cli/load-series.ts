import { CsvError, csvCells, parseTimestampValueCsv } from '../lambdas/core/series/csv';
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

/** What a command requires of a CSV's values beyond being numbers. */
export interface SeriesFromCsvOptions {
  /**
   * Refuse a negative value, naming the file, line and value, with this reason after it
   * (e.g. `backtest replays a load, which cannot be negative`). Default: negative values are read.
   */
  readonly negativeRefusal?: string;
}

/**
 * Parses and regularizes a `timestamp,value` CSV. CSV problems are reported as `label:line: problem`
 * and series problems (too few points, time going backwards) as `label: problem`.
 */
export function seriesFromCsv(source: TextSource, options: SeriesFromCsvOptions = {}): RegularizeResult {
  try {
    const points = parseTimestampValueCsv(source.text);
    if (points.length === 0)
      throw new CliUsageError(`${source.label}: no data rows (expected timestamp,value lines)`);
    if (options.negativeRefusal !== undefined) {
      // Before regularizing: a gap filled between two values never goes below both.
      const negative = points.findIndex((p) => p.value < 0);
      const point = points[negative];
      if (point !== undefined) {
        throw negativeValueError(source, negative, point.value, options.negativeRefusal);
      }
    }
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

/** `label:line: value "-3" is negative; <reason>`, quoting the value as written. */
function negativeValueError(source: TextSource, index: number, value: number, reason: string): CliUsageError {
  const line = lineOfPoint(source.text, index);
  const cell = line === undefined ? undefined : csvCells(source.text.split(/\r?\n/)[line - 1] ?? '')[1];
  const where = line === undefined ? source.label : `${source.label}:${line}`;
  return new CliUsageError(`${where}: value "${cell ?? value}" is negative; ${reason}`);
}

/**
 * The 1-based line holding data point `index` (0-based), for series errors that only know the
 * point: data lines are the non-blank ones, after the header when there is one.
 */
function lineOfPoint(text: string, index: number): number | undefined {
  const lines = text.split(/\r?\n/);
  const dataLines = lines.flatMap((l, i) => (l.trim() === '' ? [] : [i + 1]));
  const points = parseTimestampValueCsv(text).length;
  const headerLines = dataLines.length - points;
  return dataLines[index + headerLines];
}
