import { describe, expect, it } from 'vitest';
import { CsvError, csvLines, parseTimestamp, parseTimestampValueCsv } from '../../../lambdas/core/series/csv';

describe('parseTimestamp', () => {
  it.each([
    ['2014-04-10 00:04:00', Date.UTC(2014, 3, 10, 0, 4) / 1000],
    ['2014-04-10T00:04', Date.UTC(2014, 3, 10, 0, 4) / 1000],
    ['2014-04-10T02:04:00+02:00', Date.UTC(2014, 3, 10, 0, 4) / 1000],
    ['2014-04-10T00:04:00Z', Date.UTC(2014, 3, 10, 0, 4) / 1000],
    ['2014-04-10T05:34:00+0530', Date.UTC(2014, 3, 10, 0, 4) / 1000],
    ['2024-02-29T00:00:00.5Z', Date.UTC(2024, 1, 29) / 1000 + 0.5],
    // A space before the time with a zone: pandas' default to_csv form.
    ['2024-01-01 00:00:00+00:00', Date.UTC(2024, 0, 1) / 1000],
    ['2014-04-10 02:04:00+02:00', Date.UTC(2014, 3, 10, 0, 4) / 1000],
    ['2014-04-09 22:34-01:30', Date.UTC(2014, 3, 10, 0, 4) / 1000],
    ['2014-04-10 00:04:00Z', Date.UTC(2014, 3, 10, 0, 4) / 1000],
    ['2024-02-29 00:00:00.250000+00:00', Date.UTC(2024, 1, 29) / 1000 + 0.25],
    // An hours-only zone, as PostgreSQL writes a timestamptz (ISO 8601's ±hh).
    ['2024-01-01 00:00:00+00', Date.UTC(2024, 0, 1) / 1000],
    ['1997-12-17 07:37:16-08', Date.UTC(1997, 11, 17, 15, 37, 16) / 1000],
    ['2024-01-01T02:00:00.5+02', Date.UTC(2024, 0, 1) / 1000 + 0.5],
    ['2014-04-09 22:04-02', Date.UTC(2014, 3, 10, 0, 4) / 1000],
    ['1397088240', 1397088240],
    ['1397088240000', 1397088240],
  ])('reads %s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each([
    '2014-02-30 00:00:00',
    '2014-04-10 25:00:00',
    'yesterday',
    '12',
    // With a zone as without: Date.parse would roll these over to the next day or month.
    '2014-02-30T00:00:00Z',
    '2023-02-29T00:00Z',
    '2014-04-31T12:00:00+02:00',
    '2014-04-10T24:00:00Z',
    '2014-04-10T00:00:00+24:00',
    // The same checks with a space before the time.
    '2014-02-30 00:00:00+00:00',
    '2023-02-29 00:00Z',
    '2014-04-31 12:00:00+02:00',
    '2014-04-10 24:00:00+00:00',
    '2014-04-10 12:60:00Z',
    '2014-04-10 12:00:60Z',
    '2014-04-10 00:00:00+24:00',
    '2014-04-10 00:00:00+02:60',
    '2014-04-10 00:00:00+24',
    '2014-04-10 00:00:00+2',
    '2014-04-10 00:00:00+02:3',
    '0050-01-01 00:00:00',
  ])('rejects %s', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});

describe('parseTimestampValueCsv', () => {
  it('skips the header and blank lines, and reads empty values as gaps', () => {
    const points = parseTimestampValueCsv(
      'timestamp,value\n2014-04-10 00:00:00,1.5\n\n2014-04-10 00:05:00,\n',
    );
    expect(points).toHaveLength(2);
    expect(points[0]).toEqual({ tSec: Date.UTC(2014, 3, 10) / 1000, value: 1.5 });
    expect(points[1]?.value).toBeNaN();
  });

  it('reads a file as pandas writes it by default (index label, space, zone)', () => {
    const text = ',value\n2024-01-01 00:00:00+00:00,1.0\n2024-01-01 01:05:00+01:00,2.0\n';

    const points = parseTimestampValueCsv(text);

    expect(points).toEqual([
      { tSec: Date.UTC(2024, 0, 1) / 1000, value: 1 },
      { tSec: Date.UTC(2024, 0, 1, 0, 5) / 1000, value: 2 },
    ]);
  });

  it.each([
    ['1.5', 1.5],
    ['+5', 5],
    [' 5 ', 5],
    ['.5', 0.5],
    ['5.', 5],
    ['1.2E-3', 0.0012],
    ['-3e2', -300],
    ['1.174271e108', 1.174271e108],
    ['-1.174271e+108', -1.174271e108],
  ])('reads the value %j as a decimal number (cells are trimmed)', (value, expected) => {
    expect(parseTimestampValueCsv(`2014-04-10 00:00:00,${value}\n`)[0]?.value).toBe(expected);
  });

  it.each(['', 'NaN', 'nan'])('reads the value %j as a gap', (value) => {
    expect(parseTimestampValueCsv(`2014-04-10 00:00:00,${value}\n`)[0]?.value).toBeNaN();
  });

  it.each([
    ['0x10', 'value "0x10" is not a number'],
    ['0b1', 'value "0b1" is not a number'],
    ['Infinity', 'value "Infinity" is not a number'],
    ['-Infinity', 'value "-Infinity" is not a number'],
    ['1_000', 'value "1_000" is not a number'],
    [
      '1e999',
      'value "1e999" is out of range (beyond ±1.174271e+108, the largest magnitude CloudWatch stores)',
    ],
    [
      '-2e108',
      'value "-2e108" is out of range (beyond ±1.174271e+108, the largest magnitude CloudWatch stores)',
    ],
    [
      '1e200',
      'value "1e200" is out of range (beyond ±1.174271e+108, the largest magnitude CloudWatch stores)',
    ],
  ])('fails on the value %j, naming it', (value, problem) => {
    expect(() => parseTimestampValueCsv(`timestamp,value\n2014-04-10 00:00:00,${value}\n`)).toThrow(
      new CsvError(2, problem),
    );
  });

  it('refuses a negative value as written, on its line, when told why', () => {
    const text = 'timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:05:00,"-1.5e-3"\n';

    expect(() => parseTimestampValueCsv(text, { negativeRefusal: 'a load cannot be negative' })).toThrow(
      new CsvError(3, 'value "-1.5e-3" is negative; a load cannot be negative'),
    );
  });

  it('reads negative values, and zero and gaps under a refusal', () => {
    const text = '2014-04-10 00:00:00,-0.5\n2014-04-10 00:05:00,-0\n2014-04-10 00:10:00,\n';

    expect(parseTimestampValueCsv(text).map((p) => p.value)).toEqual([-0.5, -0, Number.NaN]);
    expect(
      parseTimestampValueCsv(text.replace('-0.5', '0'), { negativeRefusal: 'no' }).map((p) => p.value),
    ).toEqual([0, -0, Number.NaN]);
  });

  it.each([
    ['timestamp,value\n2014-04-10 00:00:00,abc\n', 2, /value "abc" is not a number/],
    ['timestamp,value\n2014-04-10 00:00:00,1\nnot-a-date,2\n', 3, /invalid timestamp "not-a-date"/],
    ['2014-04-10 00:00:00,1,2\n', 1, /expected 2 columns/],
  ])('fails with the line number on bad input %#', (text, line, message) => {
    try {
      parseTimestampValueCsv(text);
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(CsvError);
      expect((err as CsvError).line).toBe(line);
      expect((err as CsvError).message).toMatch(message);
    }
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR (Excel for Mac)', '\r'],
  ])('reads %s line endings alike', (_name, eol) => {
    // Arrange
    const text = ['timestamp,value', '2014-04-10 00:00:00,1', '', '2014-04-10 00:05:00,2', ''].join(eol);

    // Act
    const points = parseTimestampValueCsv(text);

    // Assert
    expect(points.map((p) => p.value)).toEqual([1, 2]);
  });

  it('names the line as an editor counts it when lines end in a lone CR', () => {
    const text = 'timestamp,value\r2014-04-10 00:00:00,1\r\r2014-04-10 00:10:00,abc\r';

    expect(() => parseTimestampValueCsv(text)).toThrow(new CsvError(4, 'value "abc" is not a number'));
  });

  it.each([
    ['timestamp\n2014-04-10 00:00:00,1\n', 'expected 2 columns (timestamp,value), found 1: "timestamp"'],
    [
      'timestamp,value,unit\n2014-04-10 00:00:00,1\n',
      'expected 2 columns (timestamp,value), found 3: "timestamp,value,unit"',
    ],
  ])('takes a first line for a header only when it has 2 cells (%j)', (text, problem) => {
    expect(() => parseTimestampValueCsv(text)).toThrow(new CsvError(1, problem));
  });
});

describe('csvLines', () => {
  it('splits on LF, CRLF and a lone CR, a CRLF being one line end', () => {
    expect(csvLines('a\nb\r\nc\rd')).toEqual(['a', 'b', 'c', 'd']);
    expect(csvLines('a\r\rb')).toEqual(['a', '', 'b']);
  });
});
