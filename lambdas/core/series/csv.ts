import { dateTimeProblem } from './calendar';
import { MAX_VALUE_MAGNITUDE } from './cloudwatch-range';
import { readDecimal } from './decimal';
import type { Point } from './types';

/** A CSV problem located by 1-based line number, so a CLI can print `file:line: problem`. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'CsvError';
  }
}

/**
 * `YYYY-MM-DD[ T]HH:MM[:SS[.frac]]`, then an optional zone: `Z`, `±HH[:]MM` or `±HH`. The zone is
 * read after a space too: pandas' default `to_csv` writes `2024-01-01 00:00:00+00:00`, and
 * PostgreSQL a `timestamptz` as `2024-01-01 00:00:00+00` (minutes only when the offset has them).
 */
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const EPOCH = /^\d{9,13}(\.\d+)?$/;

/**
 * Parses a timestamp as written by CloudWatch exports, the NAB traces, pandas and PostgreSQL:
 * `YYYY-MM-DD HH:MM[:SS]` (taken as UTC), the same or ISO 8601 with a zone (`Z`, `+02:00`,
 * `+0200` or `+02`), or epoch seconds (milliseconds when 13 digits).
 * Returns epoch seconds, or `undefined` when the text is none of these.
 */
export function parseTimestamp(text: string): number | undefined {
  const s = text.trim();
  if (EPOCH.test(s)) {
    const n = Number(s);
    return s.split('.')[0]?.length === 13 ? n / 1000 : n;
  }
  const m = DATETIME.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, sign, offH, offMWritten] = m;
  const offM = offMWritten ?? '00';
  const written = {
    year: y ?? '',
    month: mo ?? '',
    day: d ?? '',
    hour: h ?? '',
    minute: mi ?? '',
    second: sec,
  };
  const offset =
    sign === undefined
      ? undefined
      : { text: `${sign}${offH}${offMWritten ?? ''}`, hours: offH ?? '', minutes: offM };
  // Date.UTC would roll 2014-02-30 over to March and 12:75 over to 13:15: reject instead of
  // silently shifting, with or without a zone.
  if (dateTimeProblem({ ...written, offset }) !== undefined) return undefined;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? 0));
  // Date.UTC reads years 0-99 as 1900-1999.
  if (new Date(ms).getUTCFullYear() !== Number(y)) return undefined;
  const offsetSec =
    sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(offH) * 3600 + Number(offM) * 60);
  return ms / 1000 + (frac ? Number(frac) : 0) - offsetSec;
}

/** What a caller requires of a CSV's values beyond being numbers. */
export interface CsvOptions {
  /**
   * Refuse a negative value as a {@link CsvError} naming the line and the value as written, with
   * this reason after it (e.g. `backtest replays a load, which cannot be negative`).
   * @default - negative values are read
   */
  readonly negativeRefusal?: string;
}

/**
 * The lines of CSV text, ended by LF, CRLF or a lone CR (Excel for Mac's "Comma Separated Values"
 * export), so line `i + 1` of a file is element `i` whichever its line endings.
 */
export function csvLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Parses `timestamp,value` CSV text. A first line of two cells that is not data is taken as a
 * header; blank lines are skipped; cells are trimmed. Values are decimal numbers, with an optional exponent as
 * exporters write them (`12`, `-0.5`, `1.5e-3`); empty or `NaN` values become NaN (a gap, for the
 * regularizer to fill). Any other value (`abc`, `0x10`, `Infinity`, `1e999`), a bad timestamp,
 * a wrong column count or a value `options` refuses is a {@link CsvError}.
 */
export function parseTimestampValueCsv(text: string, options: CsvOptions = {}): Point[] {
  const lines = csvLines(text);
  const points: Point[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const lineNo = i + 1;
    if (raw.trim() === '') continue;
    const cells = csvCells(raw);
    if (points.length === 0 && i === firstNonBlank(lines) && isHeader(cells)) continue;
    if (cells.length !== 2) {
      throw new CsvError(
        lineNo,
        `expected 2 columns (timestamp,value), found ${cells.length}: "${clip(raw)}"`,
      );
    }
    const [ts, val] = cells as [string, string];
    const tSec = parseTimestamp(ts);
    if (tSec === undefined) {
      throw new CsvError(
        lineNo,
        `invalid timestamp "${clip(ts)}" (expected YYYY-MM-DD HH:MM:SS, ISO 8601 or epoch seconds)`,
      );
    }
    const value = parseValue(val, lineNo);
    if (value < 0 && options.negativeRefusal !== undefined) {
      throw new CsvError(lineNo, `value "${clip(val)}" is negative; ${options.negativeRefusal}`);
    }
    points.push({ tSec, value });
  }
  return points;
}

/** The trimmed cells of one CSV line, each with its surrounding double quotes removed. */
function csvCells(line: string): string[] {
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

function parseValue(text: string, lineNo: number): number {
  if (text === '' || /^nan$/i.test(text)) return Number.NaN;
  const read = readDecimal(text, { exponent: true });
  if (read.ok && Math.abs(read.value) <= MAX_VALUE_MAGNITUDE) return read.value;
  const problem =
    read.ok || read.problem === 'out-of-range'
      ? `is out of range (beyond ±${MAX_VALUE_MAGNITUDE}, the largest magnitude CloudWatch stores)`
      : 'is not a number';
  throw new CsvError(lineNo, `value "${clip(text)}" ${problem}`);
}

/**
 * A header names the two columns: any other count is reported as a wrong column count rather than
 * skipped (a file whose line endings were missed read as one header line, and "no data rows").
 */
function isHeader(cells: readonly string[]): boolean {
  const first = cells[0] ?? '';
  return cells.length === 2 && parseTimestamp(first) === undefined && !/^\d/.test(first);
}

function firstNonBlank(lines: readonly string[]): number {
  return lines.findIndex((l) => l.trim() !== '');
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
