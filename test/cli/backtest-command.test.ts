import { describe, expect, it } from 'vitest';
import { defaultMetricPeriodSec } from '../../cli/backtest-command';
import { productionDeps } from '../../cli/deps';
import { main } from '../../cli/main';
import { fakeDeps } from './fixtures/fake-deps';
import { memoryIo, syntheticCsv } from './fixtures/memory-io';

const THREE_DAYS = syntheticCsv(3 * 288);

/** {@link fakeDeps} recording the settings of every replay it runs. */
function recordingDeps() {
  const replays: Parameters<typeof fakeDeps.runBacktest>[1][] = [];
  const deps = {
    ...fakeDeps,
    runBacktest: (...a: Parameters<typeof fakeDeps.runBacktest>) => {
      replays.push(a[1]);
      return fakeDeps.runBacktest(...a);
    },
  };
  return { deps, replays };
}

describe('selfheal backtest', () => {
  it('writes the documented JSON summary from the real simulator, without timeline arrays', async () => {
    // Arrange
    const io = memoryIo({ 'trace.csv': THREE_DAYS });

    // Act
    const code = await main(
      ['backtest', '--trace', 'trace.csv', '--target-value', '20', '--json', 'out.json'],
      io,
      productionDeps,
    );

    // Assert
    expect(code).toBe(0);
    const summary = JSON.parse(io.written.get('out.json') ?? '{}');
    expect(Object.keys(summary)).toEqual([
      'trace',
      'points',
      'stepSeconds',
      'start',
      'end',
      'settings',
      'scoredFrom',
      'forecasts',
      'policies',
      'reactiveFrontier',
      'equalCostRatio',
      'forecast',
    ]);
    expect(summary.settings).toEqual({
      targetValue: 20,
      targetValueSource: '--target-value',
      warmupSec: 300,
      blockSec: 3600,
      planningBound: 'block-max',
      metricPeriodSec: 300,
      weekendUtcOffsetHours: 0,
    });
    for (const key of ['reactive', 'predictive', 'oracle']) {
      expect(Object.keys(summary.policies[key]).sort()).toEqual([
        'instanceHours',
        'scalingActions',
        'underProvisionedFraction',
        'worstShortfall',
      ]);
    }
    expect(summary.policies.oracle.underProvisionedFraction).toBe(0);
    expect(summary.reactiveFrontier[0]).toHaveProperty('targetFraction', 1);
    for (const key of ['mase1h', 'mase24h', 'smape1h', 'smape24h', 'peakCoverage'])
      expect(summary.forecast).toHaveProperty(key);
    expect(JSON.stringify(summary)).not.toContain('timeline');
    expect(io.out.join('')).toContain('wrote summary to out.json');
  });

  it('prints the policy table, the equal-cost ratio and the default target rule', async () => {
    const io = memoryIo({ '/bundled/trace.csv': THREE_DAYS });

    const code = await main(['backtest'], io, fakeDeps);

    const text = io.out.join('');
    expect(code).toBe(0);
    expect(text).toContain('trace: trace.csv (bundled)');
    // p99 of the synthetic trace (sine 40..160 plus 0..12 of noise) is about 170 → 170 / 15 ≈ 11.
    expect(text).toContain('target value: 11 per instance (default: p99 load / 15, 2 significant digits)');
    expect(text).toMatch(/predictive \+ reactive\s+560\.0\s+2\.00 %\s+3\s+12/);
    expect(text).toContain('equal-cost ratio: 0.250');
  });

  it.each([
    { args: [], metricPeriodSec: 300 },
    { args: ['--metric-period-sec', '60'], metricPeriodSec: 60 },
  ])(
    'passes --metric-period-sec to the simulator, default the trace step ($metricPeriodSec s)',
    async ({ args, metricPeriodSec }) => {
      const io = memoryIo({ 'trace.csv': THREE_DAYS });
      const seen: number[] = [];
      const deps = {
        ...fakeDeps,
        runBacktest: (...a: Parameters<typeof fakeDeps.runBacktest>) => {
          seen.push(a[1].metricPeriodSec);
          return fakeDeps.runBacktest(...a);
        },
      };

      const code = await main(['backtest', '--trace', 'trace.csv', ...args], io, deps);

      expect(code).toBe(0);
      expect(seen).toEqual([metricPeriodSec]);
      expect(io.out.join('')).toContain(`alarm metric period ${metricPeriodSec} s`);
    },
  );

  it.each([
    { args: [], offsetSec: 0, echo: undefined },
    {
      args: ['--weekend-utc-offset-hours', '9'],
      offsetSec: 9 * 3600,
      echo: 'weekend Saturday and Sunday at UTC+9',
    },
    {
      args: ['--weekend-utc-offset-hours=-9.5'],
      offsetSec: -9.5 * 3600,
      echo: 'weekend Saturday and Sunday at UTC−9:30',
    },
  ])(
    'passes --weekend-utc-offset-hours to the simulator in seconds, default 0 ($offsetSec s)',
    async ({ args, offsetSec, echo }) => {
      const io = memoryIo({ 'trace.csv': THREE_DAYS });
      const seen: number[] = [];
      const deps = {
        ...fakeDeps,
        runBacktest: (...a: Parameters<typeof fakeDeps.runBacktest>) => {
          seen.push(a[1].weekendUtcOffsetSec);
          return fakeDeps.runBacktest(...a);
        },
      };

      const code = await main(['backtest', '--trace', 'trace.csv', ...args], io, deps);

      expect(code).toBe(0);
      expect(seen).toEqual([offsetSec]);
      if (echo === undefined) expect(io.out.join('')).not.toContain('weekend');
      else expect(io.out.join('')).toContain(echo);
    },
  );

  it.each([
    { args: [], planningBound: 'block-max' },
    { args: ['--planning-bound', 'upper'], planningBound: 'upper' },
  ])(
    'passes --planning-bound to the simulator and echoes it, default block-max ($planningBound)',
    async ({ args, planningBound }) => {
      const io = memoryIo({ 'trace.csv': THREE_DAYS });
      const { deps, replays } = recordingDeps();

      const code = await main(['backtest', '--trace', 'trace.csv', ...args, '--json', 'out.json'], io, deps);

      expect(code).toBe(0);
      expect(replays.map((r) => r.planningBound)).toEqual([planningBound]);
      expect(io.out.join('')).toContain(`planning blocks 3600 s on the ${planningBound} bound`);
      expect(JSON.parse(io.written.get('out.json') ?? '{}').settings.planningBound).toBe(planningBound);
    },
  );

  it('says the frontier reaches a flat load\u2019s cost without breaches, not that it does not reach it', async () => {
    // Arrange: a constant load; every policy holds the same capacity, and the frontier's cheapest
    // point (reactive alone at the configured target) costs exactly what predictive costs.
    const start = Date.UTC(2024, 0, 1) / 1000;
    const rows = Array.from({ length: 3 * 288 }, (_, i) => `${start + 300 * i},100`);
    const io = memoryIo({ 'flat.csv': `${rows.join('\n')}\n` });

    // Act
    const code = await main(['backtest', '--trace', 'flat.csv', '--target-value', '10'], io, productionDeps);

    // Assert
    const text = io.out.join('');
    expect(code).toBe(0);
    expect(text).toContain(
      'equal-cost ratio: n/a (the reactive frontier reaches predictive + reactive\u2019s 480.0 instance-hours but is never under-provisioned there',
    );
    expect(text).not.toContain('does not reach');
  });

  it('reports MASE as undefined on an exactly periodic trace, in the table, the JSON and the HTML', async () => {
    // Arrange: a sine repeating every day, written in full precision; its seasonal differences
    // are rounding noise, which used to print MASE 1.5 beside sMAPE 0.0 %.
    const start = Date.UTC(2024, 0, 1) / 1000;
    const rows = Array.from(
      { length: 4 * 288 },
      (_, i) => `${start + 300 * i},${100 + 50 * Math.sin((2 * Math.PI * i) / 288)}`,
    );
    const io = memoryIo({ 'sine.csv': `${rows.join('\n')}\n` });

    // Act
    const code = await main(
      ['backtest', '--trace', 'sine.csv', '--json', 'out.json', '--chart', 'out.html'],
      io,
      productionDeps,
    );

    // Assert
    expect(code).toBe(0);
    expect(io.out.join('')).toMatch(/1 h\s+48\s+n\/a \(no seasonal variation\)\s+0\.0 %/);
    const json = JSON.parse(io.written.get('out.json') ?? '{}');
    expect(json.forecast.mase1h).toBeNull();
    expect(json.forecast.mase24h).toBeNull();
    expect(json.forecast.smape1h).toBeCloseTo(0, 6);
    expect(json.forecast.maseUndefinedOrigins).toBe(48);
    expect(io.written.get('out.html')).toContain('MASE n/a (no seasonal variation) (1 h)');
  });

  it('plans the real simulator on the bound asked for', async () => {
    // Forecasts are trusted from three days of history on (two to train, one to validate), and an
    // untrusted forecast plans nothing, so the trace needs a fourth day for the bounds to differ.
    const run = async (bound: string) => {
      const io = memoryIo({ 'trace.csv': syntheticCsv(4 * 288) });
      const args = ['backtest', '--trace', 'trace.csv', '--planning-bound', bound, '--json', 'out.json'];
      expect(await main(args, io, productionDeps)).toBe(0);
      return JSON.parse(io.written.get('out.json') ?? '{}').policies.predictive.instanceHours as number;
    };
    expect(await run('upper')).not.toBe(await run('block-max'));
  });

  it('fails when --planning-bound is not a bound, naming the flag and the value', async () => {
    const io = memoryIo({ 'trace.csv': THREE_DAYS });

    const code = await main(
      ['backtest', '--trace', 'trace.csv', '--planning-bound', 'forecast-upper'],
      io,
      fakeDeps,
    );

    expect(code).toBe(2);
    expect(io.err).toEqual([
      'selfheal: --planning-bound must be one of block-max, upper, got "forecast-upper"\n',
    ]);
  });

  it('fails when --metric-period-sec is below 10 s', async () => {
    const io = memoryIo({ 'trace.csv': THREE_DAYS });

    const code = await main(['backtest', '--trace', 'trace.csv', '--metric-period-sec', '5'], io, fakeDeps);

    expect(code).toBe(2);
    expect(io.err.join('')).toContain('--metric-period-sec must be a whole number from 10 to 86400, got "5"');
  });

  it.each(['10', '30', '60', '120'])('accepts the CloudWatch alarm period %s s', async (period) => {
    const io = memoryIo({ 'trace.csv': THREE_DAYS });

    const code = await main(
      ['backtest', '--trace', 'trace.csv', '--metric-period-sec', period],
      io,
      fakeDeps,
    );

    expect(code).toBe(0);
    expect(io.out.join('')).toContain(`alarm metric period ${period} s`);
  });

  it('runs the real simulator on the shortest block the scheduling buffer allows (301 s)', async () => {
    const io = memoryIo({ 'trace.csv': THREE_DAYS });

    const code = await main(['backtest', '--trace', 'trace.csv', '--block-sec', '301'], io, productionDeps);

    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    expect(io.out.join('')).toContain('planning blocks 301 s');
  });

  it.each([
    ['--json', '/missing-dir/out.json'],
    ['--chart', '/missing-dir/chart.svg'],
  ])('fails before replaying when %s names a path in a missing directory', async (flag, path) => {
    const io = memoryIo({ 'trace.csv': THREE_DAYS });
    const { deps, replays } = recordingDeps();

    const code = await main(['backtest', '--trace', 'trace.csv', flag, path], io, deps);

    expect(code).toBe(2);
    expect(io.err).toEqual([`selfheal: cannot write ${path}: no such directory\n`]);
    expect(replays).toHaveLength(0);
    expect(io.out).toEqual([]);
  });

  it('fails before replaying when the target would need more instances than the simulator holds', async () => {
    // Arrange: the synthetic trace peaks near 172; at 0.1 per instance that is about 1,720 instances,
    // beyond the simulator's 1,000, where every policy (the oracle too) would be capped and look
    // under-provisioned all the time.
    const io = memoryIo({ 'trace.csv': THREE_DAYS });
    const { deps, replays } = recordingDeps();

    // Act
    const code = await main(['backtest', '--trace', 'trace.csv', '--target-value', '0.1'], io, deps);

    // Assert
    expect(code).toBe(2);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toMatch(
      /^selfheal: --target-value 0\.1: the trace's peak load 17\d(\.\d)? needs 1,7\d\d instances; the backtest simulates at most 1,000 \(give a --target-value of at least 0\.17\d*\)\n$/,
    );
    expect(replays).toHaveLength(0);
  });

  it.each([
    { value: '-0.5', line: 401 },
    { value: '"-1.5e-3"', line: 2 },
  ])(
    'fails before replaying on a negative load ($value), naming the file, line and value',
    async ({ value, line }) => {
      // Arrange: a load metric to plan capacity for cannot be negative; replaying one would
      // silently score it as needing the minimum capacity.
      const lines = THREE_DAYS.split('\n');
      lines[line - 1] = `${(lines[line - 1] ?? '').split(',')[0]},${value}`;
      const io = memoryIo({ 'trace.csv': lines.join('\n') });
      const { deps, replays } = recordingDeps();

      // Act
      const code = await main(['backtest', '--trace', 'trace.csv'], io, deps);

      // Assert
      expect(code).toBe(2);
      expect(io.err).toEqual([
        `selfheal: trace.csv:${line}: value ${value.startsWith('"') ? value : `"${value}"`} is negative; backtest replays a load, which cannot be negative\n`,
      ]);
      expect(replays).toHaveLength(0);
    },
  );

  it('accepts the smallest target the refusal names', async () => {
    // Arrange: the target the refusal suggests, read from its message.
    const refused = memoryIo({ 'trace.csv': THREE_DAYS });
    await main(['backtest', '--trace', 'trace.csv', '--target-value', '0.1'], refused, recordingDeps().deps);
    const suggested = /give a --target-value of at least ([\d.]+)\)/.exec(refused.err[0] ?? '')?.[1];
    const io = memoryIo({ 'trace.csv': THREE_DAYS });
    const { deps, replays } = recordingDeps();

    // Act
    const code = await main(['backtest', '--trace', 'trace.csv', '--target-value', `${suggested}`], io, deps);

    // Assert
    expect(suggested).toMatch(/^0\.17\d*$/);
    expect(code).toBe(0);
    expect(replays).toHaveLength(1);
  });

  it('replays a target whose peak fits the simulator exactly', async () => {
    const io = memoryIo({ 'trace.csv': THREE_DAYS });
    const { deps, replays } = recordingDeps();

    const code = await main(['backtest', '--trace', 'trace.csv', '--target-value', '0.2'], io, deps);

    expect(code).toBe(0);
    expect(replays).toHaveLength(1);
  });

  it.each(['--json', '--chart'])('fails before replaying when %s is empty', async (flag) => {
    const io = memoryIo({ 'trace.csv': THREE_DAYS });
    const { deps, replays } = recordingDeps();

    const code = await main(['backtest', '--trace', 'trace.csv', flag, ''], io, deps);

    expect(code).toBe(2);
    expect(io.err).toEqual([`selfheal: ${flag} must name a file, got ""\n`]);
    expect(replays).toHaveLength(0);
    expect(io.out).toEqual([]);
  });

  it.each([
    [
      ['--trace', 't.csv', '--json', 't.csv'],
      '--json t.csv and --trace t.csv are the same file; writing it would overwrite the trace (give --json another path)',
    ],
    [
      ['--trace', 'data/t.svg', '--chart', './data/../data/t.svg'],
      '--chart ./data/../data/t.svg and --trace data/t.svg are the same file; writing it would overwrite the trace (give --chart another path)',
    ],
    [
      ['--trace', 't.csv', '--json', 'x.svg', '--chart', '/work/x.svg'],
      '--chart /work/x.svg and --json x.svg are the same file; writing it would overwrite the --json output (give --chart another path)',
    ],
    [
      ['--json', '/bundled/trace.csv'],
      '--json /bundled/trace.csv and --trace /bundled/trace.csv are the same file; writing it would overwrite the trace (give --json another path)',
    ],
  ])('fails before replaying when two of the files are one (%j)', async (args, message) => {
    const io = memoryIo({ 't.csv': THREE_DAYS, 'data/t.svg': THREE_DAYS, '/bundled/trace.csv': THREE_DAYS });
    const { deps, replays } = recordingDeps();

    const code = await main(['backtest', ...args], io, deps);

    expect(code).toBe(2);
    expect(io.err).toEqual([`selfheal: ${message}\n`]);
    expect(replays).toHaveLength(0);
    expect([...io.written.keys()]).toEqual([]);
  });

  it('reads the trace from standard input and writes --json to a file named like nothing else', async () => {
    const io = memoryIo({}, THREE_DAYS);

    const code = await main(['backtest', '--trace', '-', '--json', 'out.json'], io, fakeDeps);

    expect(code).toBe(0);
    expect([...io.written.keys()]).toEqual(['out.json']);
  });

  it('writes an SVG chart and an HTML report', async () => {
    const io = memoryIo({ 'trace.csv': THREE_DAYS });

    await main(['backtest', '--trace', 'trace.csv', '--chart', 'c.svg'], io, fakeDeps);
    await main(['backtest', '--trace', 'trace.csv', '--chart', 'c.html'], io, fakeDeps);

    expect(io.written.get('c.svg')).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>\n$/);
    expect(io.written.get('c.html')).toMatch(/^<!doctype html>[\s\S]*<table>[\s\S]*<svg [\s\S]*<\/html>\n$/);
  });

  it('names the staging file when one was already there, not created by selfheal, writing none of them', async () => {
    const io = memoryIo({ 'trace.csv': THREE_DAYS });

    const code = await main(
      ['backtest', '--trace', 'trace.csv', '--json', '/planted/out.json'],
      io,
      fakeDeps,
    );

    expect(code).toBe(2);
    expect(io.err).toEqual([
      'selfheal: cannot write /planted/out.json: its staging file /planted/.out.json.0b0e3f1c-5d7a-4c2e-9f4b-8a1d2c3e4f50.tmp already exists and was not created by selfheal (check who else writes to that directory); nothing was written\n',
    ]);
    expect([...io.written.keys()]).toEqual([]);
  });

  it('fails when an output cannot be written after the replay, writing none of them', async () => {
    // Arrange: /full-disk/ passes the check before the replay and fails the write after it.
    const io = memoryIo({ 'trace.csv': THREE_DAYS });

    // Act
    const code = await main(
      ['backtest', '--trace', 'trace.csv', '--json', 'out.json', '--chart', '/full-disk/c.svg'],
      io,
      fakeDeps,
    );

    // Assert
    expect(code).toBe(2);
    expect(io.err).toEqual(['selfheal: cannot write /full-disk/c.svg: no space left on device\n']);
    expect([...io.written.keys()]).toEqual([]);
    expect(io.out.join('')).not.toContain('wrote summary');
  });

  it('draws progress on an interactive stderr only, and clears it', async () => {
    const tty = memoryIo({ 'trace.csv': THREE_DAYS }, '', true);
    const piped = memoryIo({ 'trace.csv': THREE_DAYS }, '', false);

    await main(['backtest', '--trace', 'trace.csv'], tty, fakeDeps);
    await main(['backtest', '--trace', 'trace.csv'], piped, fakeDeps);

    expect(tty.err.join('')).toBe('\rbacktesting  50 %\rbacktesting 100 %\r\x1b[2K');
    expect(piped.err).toEqual([]);
  });
});

/** What `--metric-period-sec` accepts: 10, 30, 60 or a multiple of 60 up to a day. */
function isAlarmPeriod(sec: number): boolean {
  return sec === 10 || sec === 30 || (sec % 60 === 0 && sec >= 60 && sec <= 86_400);
}

describe('selfheal backtest on a 15-second trace', () => {
  // A trace step that is no CloudWatch alarm period (15 s, as a Prometheus range export gives)
  // must not become the default alarm period: TargetTrackingMetricStat `Period` accepts 10, 30
  // and 60, and the flag itself refuses 15.
  it('simulates target tracking on a period a CloudWatch alarm can have when none is given', async () => {
    // Arrange: two days of 15-second datapoints.
    const io = memoryIo({ 'prom.csv': syntheticCsv(2 * 5760, 15) });

    // Act
    const code = await main(['backtest', '--trace', 'prom.csv', '--json', 'out.json'], io, fakeDeps);

    // Assert
    expect(code).toBe(0);
    const summary = JSON.parse(io.written.get('out.json') ?? '{}');
    expect(summary.stepSeconds).toBe(15);
    expect(isAlarmPeriod(summary.settings.metricPeriodSec)).toBe(true);
  });
});

describe('defaultMetricPeriodSec', () => {
  it.each([
    { stepSec: 0.5, period: 60 },
    { stepSec: 1, period: 60 },
    { stepSec: 5, period: 60 },
    { stepSec: 10, period: 10 },
    { stepSec: 15, period: 60 },
    { stepSec: 30, period: 30 },
    { stepSec: 45, period: 60 },
    { stepSec: 60, period: 60 },
    { stepSec: 90, period: 120 },
    { stepSec: 300, period: 300 },
    { stepSec: 450, period: 480 },
    { stepSec: 3600, period: 3600 },
  ])('takes $period s for a $stepSec s step', ({ stepSec, period }) => {
    // Act
    const got = defaultMetricPeriodSec(stepSec);

    // Assert
    expect(got).toBe(period);
    expect(isAlarmPeriod(got)).toBe(true);
  });
});

describe('selfheal backtest on a trace one step short of two days', () => {
  // The span was rounded to one decimal: "covers 2.0 days; backtest needs at least 2 days".
  it('says by how much the trace is short rather than that it covers 2.0 days', async () => {
    // Arrange: 575 five-minute points, 47 h 55 min.
    const io = memoryIo({ 'short.csv': syntheticCsv(2 * 288 - 1) });

    // Act
    const code = await main(['backtest', '--trace', 'short.csv'], io, fakeDeps);

    // Assert
    expect(code).toBe(2);
    const err = io.err.join('');
    expect(err).toMatch(/^selfheal: short\.csv: /);
    expect(err).not.toContain('covers 2.0 days');
    expect(err).toBe(
      'selfheal: short.csv: the trace covers 47 h 55 min (575 points of 300 s); backtest needs at least 48 h (2 days), 5 min more\n',
    );
  });
});
