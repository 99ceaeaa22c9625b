import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { brokenDeps, fakeDeps } from './fixtures/fake-deps';
import { memoryIo, syntheticCsv } from './fixtures/memory-io';

const GOOD = syntheticCsv(600);
const files = {
  'good.csv': GOOD,
  'short.csv': syntheticCsv(300),
  'two-hourly.csv': syntheticCsv(36, 7200),
  'yearly.csv': 'timestamp,value\n2011-01-01 00:00:00,5\n2012-01-01 00:00:00,6\n2013-01-01 00:00:00,7\n',
  'two-daily.csv': syntheticCsv(10, 172_800),
  'one.csv': 'timestamp,value\n2014-04-10 00:00:00,1\n',
  'bad-value.csv': 'timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:05:00,abc\n',
  'hex-value.csv': 'timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:05:00,0x10\n',
  'huge-value.csv': 'timestamp,value\n2014-04-10 00:00:00,1e999\n2014-04-10 00:05:00,1\n',
  'bad-columns.csv': 'timestamp,value\n2014-04-10 00:00:00,1\n\n2014-04-10 00:05:00,2,3\n',
  'bad-time.csv': 'timestamp,value\nyesterday,1\n',
  'empty.csv': 'timestamp,value\n',
  // Four points a second apart, then one five months later: 13 million one-second grid points.
  'stray-timestamp.csv':
    'timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:00:01,2\n2014-04-10 00:00:02,3\n2014-04-10 00:00:03,4\n2014-09-10 00:00:00,5\n',
  'backwards.csv': 'timestamp,value\n2014-04-10 00:05:00,1\n2014-04-10 00:00:00,2\n',
};

async function run(argv: string[]) {
  const io = memoryIo(files);
  const code = await main(argv, io, fakeDeps);
  return { code, err: io.err.join(''), out: io.out.join('') };
}

describe('selfheal error handling', () => {
  it.each([
    [['forecast', '--input', 'nope.csv'], 'selfheal: nope.csv: no such file'],
    [['backtest', '--trace', 'nope.csv'], 'selfheal: nope.csv: no such file'],
    [['forecast', '--input', 'bad-value.csv'], 'selfheal: bad-value.csv:3: value "abc" is not a number'],
    [['forecast', '--input', 'hex-value.csv'], 'selfheal: hex-value.csv:3: value "0x10" is not a number'],
    [
      ['backtest', '--trace', 'huge-value.csv'],
      'selfheal: huge-value.csv:2: value "1e999" is out of range (beyond ±1.174271e+108, the largest magnitude CloudWatch stores)',
    ],
    [['forecast', '--input', 'bad-columns.csv'], 'selfheal: bad-columns.csv:4: expected 2 columns'],
    [['forecast', '--input', 'bad-time.csv'], 'selfheal: bad-time.csv:2: invalid timestamp "yesterday"'],
    [['forecast', '--input', 'empty.csv'], 'selfheal: empty.csv: no data rows'],
    [['forecast', '--input', 'one.csv'], 'selfheal: one.csv: need at least 2 points'],
    [
      ['forecast', '--input', 'yearly.csv'],
      "selfheal: yearly.csv: the series' step is 365 days (31536000 s); forecast needs a step of at most 1 day (its models learn the daily cycle)",
    ],
    [
      ['forecast', '--input', 'two-daily.csv'],
      "selfheal: two-daily.csv: the series' step is 2 days (172800 s); forecast needs a step of at most 1 day",
    ],
    [
      ['forecast', '--input', 'backwards.csv'],
      'selfheal: backwards.csv:3: timestamps go backwards at point 2',
    ],
    [
      ['forecast', '--input', 'stray-timestamp.csv'],
      'selfheal: stray-timestamp.csv: 2014-04-10T00:00:00.000Z to 2014-09-10T00:00:00.000Z at the inferred step of 1 s is 13,219,201 grid points; at most 10,000,000 are accepted',
    ],
    [
      ['backtest', '--trace', 'short.csv'],
      'selfheal: short.csv: the trace covers 25 h (300 points of 300 s); backtest needs at least 48 h (2 days), 23 h more',
    ],
    [['backtest', '--trace', 'bad-value.csv'], 'selfheal: bad-value.csv:3: value "abc" is not a number'],
    [['forecast', '--input', 'good.csv', '--colour'], "selfheal: unknown flag --colour for 'forecast'"],
    [['backtest', '-x'], "selfheal: unknown flag -x for 'backtest'"],
    [['backtest', 'extra'], "selfheal: unexpected argument 'extra' for 'backtest'"],
    [['forecast', '--input'], 'selfheal: flag --input needs a value'],
    [['forecast'], 'selfheal: forecast needs --input FILE.csv'],
    [
      ['forecast', '--input', 'good.csv', '--format', 'xml'],
      'selfheal: --format must be one of table, csv, json, got "xml"',
    ],
    [
      ['forecast', '--input', 'good.csv', '--horizon-steps', '0'],
      '--horizon-steps must be a whole number from 1',
    ],
    [
      ['forecast', '--input', 'good.csv', '--horizon-steps', '2.5'],
      '--horizon-steps must be a whole number from 1',
    ],
    [
      ['backtest', '--target-value', '-3'],
      'selfheal: --target-value must be a positive decimal number, got "-3"',
    ],
    [
      ['backtest', '--target-value', 'ten'],
      'selfheal: --target-value must be a positive decimal number, got "ten"',
    ],
    [
      ['backtest', '--target-value', '0x11'],
      'selfheal: --target-value must be a positive decimal number, got "0x11"',
    ],
    [
      ['backtest', '--target-value', '1e3'],
      'selfheal: --target-value must be a positive decimal number, got "1e3"',
    ],
    [
      ['backtest', '--target-value', 'Infinity'],
      'selfheal: --target-value must be a positive decimal number, got "Infinity"',
    ],
    [
      ['backtest', '--warmup-sec', '0x10'],
      'selfheal: --warmup-sec must be a whole number from 0 to 86400, got "0x10"',
    ],
    [
      ['backtest', '--trace', 'good.csv', '--trace', 'short.csv'],
      "selfheal: --trace given twice; give it once (see 'selfheal backtest --help')",
    ],
    [
      ['forecast', '--input', 'good.csv', '--format=csv', '--format', 'json'],
      "selfheal: --format given twice; give it once (see 'selfheal forecast --help')",
    ],
    [
      ['explain', '--event', 'e.json', '--json', '--json'],
      "selfheal: --json given twice; give it once (see 'selfheal explain --help')",
    ],
    [
      ['help', 'deploy'],
      "selfheal: no help for 'deploy': expected forecast, backtest, explain, history or reset-rule",
    ],
    [
      ['backtest', '--warmup-sec', '-1'],
      'selfheal: --warmup-sec must be a whole number from 0 to 86400, got "-1"',
    ],
    ...['10', '60', '300', '86401'].map((value): [string[], string] => [
      ['backtest', '--block-sec', value],
      `selfheal: --block-sec must be a whole number from 301 to 86400 (a block must be longer than the planner's 300 s scheduling buffer), got "${value}"`,
    ]),
    [
      ['backtest', '--trace', 'two-hourly.csv'],
      "selfheal: two-hourly.csv: the trace's step is 7200 s; backtest re-forecasts hourly, so the step must divide 3600 s",
    ],
    ...['45', '20', '90'].map((value): [string[], string] => [
      ['backtest', '--metric-period-sec', value],
      `selfheal: --metric-period-sec must be a CloudWatch alarm period: 10, 30, 60 or a multiple of 60 up to 86400, got "${value}"`,
    ]),
    [
      ['backtest', '--trace', 'good.csv', '--chart', 'out.png'],
      'selfheal: --chart must name a .svg or .html file',
    ],
    [
      ['backtest', '--trace', 'good.csv', '--json', '/missing-dir/x.json'],
      'selfheal: cannot write /missing-dir/x.json: no such directory',
    ],
    // An empty path is a slip (an unset shell variable), not a file: say so, before any replay.
    [['forecast', '--input', ''], 'selfheal: --input must name a file, got ""'],
    [['forecast', '--input=  '], 'selfheal: --input must name a file, got "  "'],
    [['backtest', '--trace', ''], 'selfheal: --trace must name a file, got ""'],
    [['backtest', '--trace', 'good.csv', '--json', ''], 'selfheal: --json must name a file, got ""'],
    [['backtest', '--trace', 'good.csv', '--chart='], 'selfheal: --chart must name a file, got ""'],
    [['explain', '--event', ''], 'selfheal: --event must name a file, got ""'],
    [['explain', '--event', 'e.json', '--config', ''], 'selfheal: --config must name a file, got ""'],
    [
      ['deploy'],
      "selfheal: unknown command 'deploy': expected forecast, backtest, explain, history or reset-rule",
    ],
    [['--verbose'], 'selfheal: unknown flag --verbose'],
    [[], 'selfheal: missing command'],
  ])('fails with exit 2 and one line for %j', async (argv, expected) => {
    // Act
    const { code, err } = await run(argv);

    // Assert
    expect(code).toBe(2);
    expect(err).toContain(expected);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('reports an internal error on one line with exit 1 and hides the stack', async () => {
    // Arrange
    const io = memoryIo(files);

    // Act
    const code = await main(['forecast', '--input', 'good.csv'], io, brokenDeps);

    // Assert
    expect(code).toBe(1);
    expect(io.err.join('')).toBe('selfheal: internal error: boom (set SELFHEAL_DEBUG=1 for details)\n');
  });

  it('prints the stack of an internal error when debugging', async () => {
    // Arrange
    const io = { ...memoryIo(files), debug: true };
    const err: string[] = [];

    // Act
    const code = await main(
      ['backtest', '--trace', 'good.csv'],
      { ...io, stderr: (t) => err.push(t) },
      brokenDeps,
    );

    // Assert
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/TypeError: boom\n\s+at /);
  });
});

describe('selfheal help and version', () => {
  it.each([
    [['--help'], 'Usage: selfheal <command>'],
    [['help'], 'Usage: selfheal <command>'],
    [['help', 'forecast'], 'Usage: selfheal forecast'],
    [['help', 'backtest'], 'Usage: selfheal backtest'],
    [['help', 'explain'], 'Usage: selfheal explain'],
    [['help', 'history'], 'Usage: selfheal history'],
    [['forecast', '--help'], 'Usage: selfheal forecast'],
    [['backtest', '-h'], 'Usage: selfheal backtest'],
    [['--version'], '0.1.0'],
  ])('prints %j to stdout with exit 0', async (argv, expected) => {
    const { code, out, err } = await run(argv);

    expect(code).toBe(0);
    expect(out).toContain(expected);
    expect(err).toBe('');
  });
});
