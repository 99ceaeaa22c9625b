import { describe, expect, it } from 'vitest';
import { productionDeps } from '../../cli/deps';
import type { CliDeps } from '../../cli/main';
import { main } from '../../cli/main';
import { fakeDeps } from './fixtures/fake-deps';
import { memoryIo, syntheticCsv } from './fixtures/memory-io';

const CSV = syntheticCsv(12);

describe('selfheal forecast', () => {
  it('prints the documented JSON shape with ISO timestamps one step apart', async () => {
    // Arrange
    const io = memoryIo({ 'in.csv': CSV });

    // Act
    const code = await main(
      ['forecast', '--input', 'in.csv', '--horizon-steps', '3', '--format', 'json'],
      io,
      fakeDeps,
    );

    // Assert
    expect(code).toBe(0);
    const body = JSON.parse(io.out.join(''));
    expect(body.model).toBe('fake-last-value');
    expect(body.stepSeconds).toBe(300);
    expect(body.trust).toEqual({ trusted: true, reason: 'fake' });
    expect(body.forecast.map((r: { timestamp: string }) => r.timestamp)).toEqual([
      '2014-04-10T01:00:00Z',
      '2014-04-10T01:05:00Z',
      '2014-04-10T01:10:00Z',
    ]);
    expect(Object.keys(body.forecast[0])).toEqual(['timestamp', 'value', 'upper']);
    expect(body.forecast[0].upper).toBeCloseTo(body.forecast[0].value * 1.2, 3);
  });

  it('prints CSV with a header and one row per step, readable by the CSV parser', async () => {
    const io = memoryIo({ 'in.csv': CSV });

    const code = await main(
      ['forecast', '--input', 'in.csv', '--horizon-steps', '4', '--format', 'csv'],
      io,
      fakeDeps,
    );

    const lines = io.out.join('').trimEnd().split('\n');
    expect(code).toBe(0);
    expect(lines[0]).toBe('timestamp,value,upper');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^2014-04-10T01:00:00Z,[\d.]+,[\d.]+$/);
  });

  it('defaults to a readable table covering 24 h of steps, naming the model and verdict', async () => {
    const io = memoryIo({ 'in.csv': CSV });

    await main(['forecast', '--input', 'in.csv'], io, fakeDeps);

    const text = io.out.join('');
    expect(text).toMatch(/^model: fake-last-value \(step 300 s\)\ntrust: trusted: fake\n/);
    expect(text.trimEnd().split('\n')).toHaveLength(4 + 1 + 288);
  });

  it('infers the step from every row when a NaN row sits between two values', async () => {
    const io = memoryIo({
      'nan.csv': 'timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:05:00,NaN\n2014-04-10 00:10:00,3\n',
    });

    const code = await main(
      ['forecast', '--input', 'nan.csv', '--horizon-steps', '1', '--format', 'json'],
      io,
      fakeDeps,
    );

    expect(code).toBe(0);
    expect(JSON.parse(io.out.join('')).stepSeconds).toBe(300);
    expect(io.err.join('')).toBe(
      'selfheal: note: nan.csv: filled 1 missing point(s) by interpolation (longest gap 1 step(s)); ignored 1 empty or NaN value(s)\n',
    );
  });

  it('reads standard input with --input - and notes filled gaps on stderr', async () => {
    const gappy = CSV.split('\n')
      .filter((_, i) => i !== 5)
      .join('\n');
    const io = memoryIo({}, gappy);

    const code = await main(
      ['forecast', '--input', '-', '--horizon-steps', '1', '--format', 'csv'],
      io,
      fakeDeps,
    );

    expect(code).toBe(0);
    expect(io.err.join('')).toBe(
      'selfheal: note: <stdin>: filled 1 missing point(s) by interpolation (longest gap 1 step(s))\n' +
        'selfheal: note: <stdin>: model: fake-last-value (step 300 s); trust: trusted: fake\n',
    );
    expect(io.out.join('')).toContain('2014-04-10T01:00:00Z');
  });

  it('forecasts with the real model selector', async () => {
    const io = memoryIo({ 'in.csv': syntheticCsv(3 * 288) });

    const code = await main(
      ['forecast', '--input', 'in.csv', '--horizon-steps', '12', '--format', 'json'],
      io,
      productionDeps,
    );

    const body = JSON.parse(io.out.join(''));
    expect(code).toBe(0);
    expect(typeof body.model).toBe('string');
    expect(body.forecast).toHaveLength(12);
    expect(body.scores.length).toBeGreaterThan(0);
    for (const row of body.forecast) expect(row.upper).toBeGreaterThanOrEqual(row.value);
  });

  it('fails when one stray timestamp would stretch the grid past the point limit', async () => {
    // Arrange: 1-second spacing, then a year-9999 typo: 2.5e11 grid points.
    const csv =
      '2014-04-10 00:00:00,1\n2014-04-10 00:00:01,2\n2014-04-10 00:00:02,3\n9999-04-10 00:10:00,4\n';
    const io = memoryIo({ 'stray.csv': csv });

    // Act
    const code = await main(['forecast', '--input', 'stray.csv'], io, fakeDeps);

    // Assert
    expect(code).toBe(2);
    expect(io.err.join('')).toBe(
      'selfheal: stray.csv: 2014-04-10T00:00:00.000Z to 9999-04-10T00:10:00.000Z at the inferred step of 1 s is 251,982,231,001 grid points; at most 10,000,000 are accepted (check for a stray timestamp, or resample to a coarser step)\n',
    );
    expect(io.out).toEqual([]);
  });

  it('reads timestamps as pandas writes them, a space before the time and a zone', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => {
      const t = new Date(Date.UTC(2014, 3, 10, 2, 5 * i)).toISOString().slice(0, 19).replace('T', ' ');
      return `${t}+02:00,${10 + i}`;
    });
    const io = memoryIo({ 'in.csv': `,value\n${rows.join('\n')}\n` });

    const code = await main(
      ['forecast', '--input', 'in.csv', '--horizon-steps', '1', '--format', 'csv'],
      io,
      fakeDeps,
    );

    expect(code).toBe(0);
    expect(io.out.join('')).toMatch(/^timestamp,value,upper\n2014-04-10T01:00:00Z,/);
  });

  it('reads timestamps as PostgreSQL writes a timestamptz, with an hours-only zone', async () => {
    // Arrange: psql \copy ... CSV HEADER in a UTC session.
    const csv = 'ts,value\n2024-01-01 00:00:00+00,1\n2024-01-01 00:05:00+00,2\n2024-01-01 00:10:00+00,3\n';
    const io = memoryIo({ 'pg.csv': csv });

    // Act
    const code = await main(
      ['forecast', '--input', 'pg.csv', '--horizon-steps', '1', '--format', 'csv'],
      io,
      fakeDeps,
    );

    // Assert: no error, only the verdict note.
    expect(io.err.join('')).toBe(
      'selfheal: note: pg.csv: model: fake-last-value (step 300 s); trust: trusted: fake\n',
    );
    expect(code).toBe(0);
    expect(io.out.join('')).toBe('timestamp,value,upper\n2024-01-01T00:15:00Z,3,3.6\n');
  });

  it('forecasts a series with negative values (a balance or a temperature may be negative)', async () => {
    const io = memoryIo({ 'in.csv': 'timestamp,value\n2014-04-10 00:00:00,-3\n2014-04-10 00:05:00,-4.5\n' });

    const code = await main(
      ['forecast', '--input', 'in.csv', '--horizon-steps', '1', '--format', 'csv'],
      io,
      fakeDeps,
    );

    expect(code).toBe(0);
    expect(io.out.join('')).toContain('\n2014-04-10T00:10:00Z,-4.5,');
  });

  it('prints huge values in exponent notation in the table and in full in CSV', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `${1397088000 + 300 * i},1.25e100`);
    const table = memoryIo({ 'in.csv': `${rows.join('\n')}\n` });
    const csv = memoryIo({ 'in.csv': `${rows.join('\n')}\n` });

    await main(['forecast', '--input', 'in.csv', '--horizon-steps', '1'], table, fakeDeps);
    await main(['forecast', '--input', 'in.csv', '--horizon-steps', '1', '--format', 'csv'], csv, fakeDeps);

    expect(table.out.join('')).toMatch(/\n2014-04-10T01:00:00Z +1\.25e\+100 +1\.5e\+100\n$/);
    expect(csv.out.join('')).toContain('\n2014-04-10T01:00:00Z,1.25e+100,1.5e+100\n');
  });

  it.each([
    { ts: '2014-04-10 12:75:00', what: 'minute 75' },
    { ts: '2014-04-10 12:30:60', what: 'second 60' },
  ])('fails naming the line of a timestamp with $what instead of rolling it over', async ({ ts }) => {
    const io = memoryIo({ 'in.csv': `timestamp,value\n2014-04-10 12:00:00,1\n${ts},2\n` });

    const code = await main(['forecast', '--input', 'in.csv'], io, fakeDeps);

    expect(code).toBe(2);
    expect(io.err).toEqual([
      `selfheal: in.csv:3: invalid timestamp "${ts}" (expected YYYY-MM-DD HH:MM:SS, ISO 8601 or epoch seconds)\n`,
    ]);
  });
});

describe('selfheal forecast on a CSV with carriage-return line endings', () => {
  // Excel for Mac's "Comma Separated Values" export ends lines in a lone \r; the whole file was
  // read as one header line and reported as "no data rows".
  it('reads the rows as it does with LF endings', async () => {
    // Arrange
    const rows = [
      'timestamp,value',
      '2024-01-01 00:00:00,1',
      '2024-01-01 00:05:00,2',
      '2024-01-01 00:10:00,3',
    ];
    const io = memoryIo({ 'mac.csv': `${rows.join('\r')}\r` });

    // Act
    const code = await main(
      ['forecast', '--input', 'mac.csv', '--horizon-steps', '1', '--format', 'json'],
      io,
      fakeDeps,
    );

    // Assert
    expect(io.err.join('')).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(io.out.join('')).stepSeconds).toBe(300);
  });

  it('names the line of a point out of order as an editor counts it', async () => {
    // Arrange
    const rows = ['timestamp,value', '2024-01-01 00:05:00,1', '2024-01-01 00:00:00,2'];
    const io = memoryIo({ 'mac.csv': `${rows.join('\r')}\r` });

    // Act
    const code = await main(['forecast', '--input', 'mac.csv'], io, fakeDeps);

    // Assert
    expect(code).toBe(2);
    expect(io.err.join('')).toMatch(/^selfheal: mac\.csv:3: timestamps go backwards at point 2/);
  });
});

/** `points` rows one minute apart in epoch milliseconds, each off by up to ±0.5 s (fixed sequence). */
function jitteredMinutes(points: number): string {
  const start = Date.UTC(2014, 3, 10);
  let seed = 12_345;
  const jitterMs = () => {
    seed = (seed * 16_807) % 2_147_483_647;
    return Math.round((seed / 2_147_483_647 - 0.5) * 1_000);
  };
  const lines = ['timestamp,value'];
  for (let i = 0; i < points; i++) {
    lines.push(`${start + i * 60_000 + jitterMs()},${(100 + 30 * Math.sin(i / 60)).toFixed(2)}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('selfheal forecast on minute data with millisecond jitter', () => {
  // With millisecond timestamps almost no spacing repeats, so the "most common" one was whichever
  // odd value occurred twice (59.695 s here).
  it('infers the 60 s step the rows were written at, and forecasts on the minute', async () => {
    // Arrange
    const io = memoryIo({ 'jitter.csv': jitteredMinutes(600) });

    // Act
    const code = await main(
      ['forecast', '--input', 'jitter.csv', '--horizon-steps', '1', '--format', 'json'],
      io,
      fakeDeps,
    );

    // Assert
    expect(code).toBe(0);
    const body = JSON.parse(io.out.join(''));
    expect(body.stepSeconds).toBe(60);
    expect(body.forecast[0].timestamp).toBe('2014-04-10T10:00:00Z');
  });
});

/** Rows `stepSec` apart from 2014-04-10T00:00:00Z, in ISO 8601 with milliseconds. */
function fractionalRows(stepSec: number, count: number): string {
  const t0Ms = Date.UTC(2014, 3, 10);
  const lines = ['timestamp,value'];
  for (let i = 0; i < count; i++) lines.push(`${new Date(t0Ms + i * stepSec * 1000).toISOString()},${i}`);
  return `${lines.join('\n')}\n`;
}

describe('selfheal forecast on a sub-second or fractional-second grid', () => {
  // Each time was rounded to the second: a 1.5 s grid printed 1 s and 2 s spacings in turn, and a
  // 0.5 s grid two rows per timestamp.
  it.each([
    {
      stepSec: 1.5,
      times: ['2014-04-10T00:00:04.500Z', '2014-04-10T00:00:06.000Z', '2014-04-10T00:00:07.500Z'],
    },
    {
      stepSec: 0.5,
      times: ['2014-04-10T00:00:01.500Z', '2014-04-10T00:00:02.000Z', '2014-04-10T00:00:02.500Z'],
    },
  ])(
    'prints each future step at its own time, $stepSec s apart, in milliseconds',
    async ({ stepSec, times }) => {
      // Arrange: 3 rows, so the forecast starts 3 steps after the first row.
      const io = memoryIo({ 'in.csv': fractionalRows(stepSec, 3) });

      // Act
      const code = await main(
        ['forecast', '--input', 'in.csv', '--horizon-steps', '3', '--format', 'json'],
        io,
        fakeDeps,
      );

      // Assert
      expect(code).toBe(0);
      const body = JSON.parse(io.out.join(''));
      expect(body.stepSeconds).toBe(stepSec);
      expect(body.forecast.map((r: { timestamp: string }) => r.timestamp)).toEqual(times);
    },
  );
});

/** The fake selector, recording each horizon it is asked for and forecasting one step whatever it is. */
function recordingDeps(asked: number[]): CliDeps {
  return {
    ...fakeDeps,
    selectForecast: (history, { horizonSteps }) => {
      asked.push(horizonSteps);
      return fakeDeps.selectForecast(history, { horizonSteps: 1 });
    },
  };
}

describe('selfheal forecast --weekend-utc-offset-hours', () => {
  /** The fake selector, recording the weekend offset it is asked for. */
  function offsetRecording(asked: (number | undefined)[]): CliDeps {
    return {
      ...fakeDeps,
      selectForecast: (history, options) => {
        asked.push(options.weekendUtcOffsetSec);
        return fakeDeps.selectForecast(history, { horizonSteps: 1 });
      },
    };
  }

  it.each([
    { args: [], want: 0 },
    { args: ['--weekend-utc-offset-hours', '9'], want: 9 * 3600 },
    { args: ['--weekend-utc-offset-hours=-8'], want: -8 * 3600 },
    { args: ['--weekend-utc-offset-hours', '5.75'], want: 5.75 * 3600 },
  ])('asks the selector for the weekend offset in seconds, default 0 ($want s)', async ({ args, want }) => {
    const io = memoryIo({ 'in.csv': CSV });
    const asked: (number | undefined)[] = [];

    const code = await main(
      ['forecast', '--input', 'in.csv', '--format', 'json', ...args],
      io,
      offsetRecording(asked),
    );

    expect(code).toBe(0);
    expect(asked).toEqual([want]);
  });

  it.each(['15', '-12.5', '5.3', 'tokyo'])(
    'fails when the offset is %s, naming the flag and the range',
    async (value) => {
      const io = memoryIo({ 'in.csv': CSV });

      const code = await main(
        ['forecast', '--input', 'in.csv', `--weekend-utc-offset-hours=${value}`],
        io,
        fakeDeps,
      );

      expect(code).toBe(2);
      expect(io.err.join('')).toContain(
        `--weekend-utc-offset-hours must be a UTC offset in hours from -12 to 14 in quarter hours (9 for Tokyo; a negative one as --weekend-utc-offset-hours=-8), got "${value}"`,
      );
    },
  );
});

describe('selfheal forecast without --horizon-steps on a millisecond series', () => {
  // 24 h of 1 ms steps asked the forecaster for 86,400,000 steps, past the flag's 525,600 limit:
  // the real CLI died of heap exhaustion with V8's stack (exit 134) on a three-row file.
  it('forecasts at most 525,600 steps, and says so', async () => {
    // Arrange: three epoch-millisecond rows, 1 ms apart.
    const io = memoryIo({ 'ms.csv': 'timestamp,value\n1397088000000,5\n1397088000001,6\n1397088000002,7\n' });
    const asked: number[] = [];

    // Act
    const code = await main(['forecast', '--input', 'ms.csv', '--format', 'json'], io, recordingDeps(asked));

    // Assert
    expect(code).toBe(0);
    expect(asked).toEqual([525_600]);
    expect(io.err.join('')).toContain(
      'selfheal: note: ms.csv: 24 h at the step of 0.001 s is 86,400,000 steps, more than the 525,600 a forecast may have; forecasting 525,600 steps (--horizon-steps sets another horizon)\n',
    );
  });

  it('asks for 24 h of steps without a note when they fit', async () => {
    const io = memoryIo({ 'in.csv': fractionalRows(0.25, 3) });
    const asked: number[] = [];

    await main(['forecast', '--input', 'in.csv', '--format', 'json'], io, recordingDeps(asked));

    expect(asked).toEqual([345_600]);
    expect(io.err.join('')).toBe('');
  });
});
