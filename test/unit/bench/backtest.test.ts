import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../../bench/backtest';

/** Two hours of 5-minute points: a trace that reads (the run fails before replaying any). */
const READABLE = [
  'timestamp,value',
  ...Array.from(
    { length: 24 },
    (_, i) => `${new Date(Date.UTC(2014, 3, 10, 0, 5 * i)).toISOString()},${10 + i}`,
  ),
].join('\n');
/** Its second line is not a timestamp. */
const UNREADABLE = 'timestamp,value\nnot-a-time,1\n';

describe('backtest bench: reading its traces', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-backtest-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** The bench's paths under `dir`; nothing exists until a test writes it. */
  const paths = () => ({
    tracesDir: join(dir, 'traces'),
    bundledTrace: join(dir, 'bundled.csv'),
    rForecastsDir: join(dir, 'r-reference'),
  });

  it('fails naming the file and line of the one trace that cannot be read, not "no traces"', async () => {
    const { tracesDir } = paths();
    mkdirSync(join(tracesDir, 'realAWSCloudwatch'), { recursive: true });
    writeFileSync(join(tracesDir, 'realAWSCloudwatch', 'a_readable.csv'), READABLE);
    const broken = join(tracesDir, 'realAWSCloudwatch', 'grok_asg_anomaly.csv');
    writeFileSync(broken, UNREADABLE);

    const outcome = await run(paths()).then(
      (sections) => `resolved: ${sections.map((s) => s.table).join('\n')}`,
      (error: unknown) => String(error),
    );

    expect(outcome).not.toContain('no traces at');
    expect(outcome).toContain(`${broken}:2:`);
  });

  it('fails naming the file and line of a bundled trace that cannot be read', async () => {
    const { bundledTrace } = paths();
    writeFileSync(bundledTrace, UNREADABLE);

    const outcome = await run(paths()).then(
      (sections) => `resolved: ${sections.map((s) => s.table).join('\n')}`,
      (error: unknown) => String(error),
    );

    expect(outcome).not.toContain('no bundled trace at');
    expect(outcome).toContain(`${bundledTrace}:2:`);
  });

  it('skips each section whose traces are absent, saying where it looked', async () => {
    const { tracesDir, bundledTrace } = paths();

    const sections = await run(paths());

    expect(sections.map((s) => [s.name, s.json])).toEqual([
      ['backtest', { skipped: `skipped: no traces at ${tracesDir}` }],
      ['backtest-calibration', { skipped: 'skipped: no trace was replayed' }],
      ['backtest-blocks', { skipped: `skipped: no bundled trace at ${bundledTrace}` }],
    ]);
  });
});
