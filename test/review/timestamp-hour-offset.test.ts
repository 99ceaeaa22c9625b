/**
 * Found in review (failing now): a zone written as hours only (`+00`, `-08`) is refused, so a
 * CSV exported from PostgreSQL (`\copy (SELECT ts, value ...) TO 'x.csv' CSV HEADER` on a
 * `timestamptz` column) fails on its first row with `invalid timestamp "2024-01-01 00:00:00+00"
 * (expected YYYY-MM-DD HH:MM:SS, ISO 8601 or epoch seconds)`, although the text is ISO 8601.
 *
 * PostgreSQL's default DateStyle `ISO` writes a `timestamptz` as `1997-12-17 07:37:16-08`
 * (https://www.postgresql.org/docs/current/datatype-datetime.html, "Date/Time Output Styles"),
 * with minutes only when the offset has them (`-06:30`); ISO 8601 allows the `±hh` zone
 * designator. The DATETIME pattern of lambdas/core/series/csv.ts requires `±HH[:]MM`.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { parseTimestamp } from '../../lambdas/core/series/csv';
import { fakeDeps } from '../cli/fixtures/fake-deps';
import { memoryIo } from '../cli/fixtures/memory-io';

describe('parseTimestamp with an hours-only zone', () => {
  it.each([
    ['2024-01-01 00:00:00+00', Date.UTC(2024, 0, 1) / 1000],
    ['1997-12-17 07:37:16-08', Date.UTC(1997, 11, 17, 15, 37, 16) / 1000],
    ['2024-01-01T02:00:00.5+02', Date.UTC(2024, 0, 1) / 1000 + 0.5],
  ])('reads %s as PostgreSQL and ISO 8601 mean it', (text, epochSec) => {
    expect(parseTimestamp(text)).toBe(epochSec);
  });
});

describe('selfheal forecast on a PostgreSQL timestamptz export', () => {
  it('forecasts it', async () => {
    // Arrange: psql \copy ... CSV HEADER in a UTC session.
    const csv = 'ts,value\n2024-01-01 00:00:00+00,1\n2024-01-01 00:05:00+00,2\n2024-01-01 00:10:00+00,3\n';
    const io = memoryIo({ 'pg.csv': csv });

    // Act
    const code = await main(
      ['forecast', '--input', 'pg.csv', '--horizon-steps', '1', '--format', 'csv'],
      io,
      fakeDeps,
    );

    // Assert
    expect(io.err.join('')).toBe('');
    expect(code).toBe(0);
    expect(io.out.join('')).toBe('timestamp,value,upper\n2024-01-01T00:15:00Z,3,3.6\n');
  });
});
