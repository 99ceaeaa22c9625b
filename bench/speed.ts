/**
 * Speed benchmark: selectForecast (validation of every candidate included, as the Lambda runs it)
 * on 1,000 synthetic 14-day, 5-minute series (4,032 points), 24 h horizon (288 steps), in a child
 * process on one core. Targets: at most 2 s wall time and 512 MiB peak RSS.
 * `npx tsx bench/speed.ts` runs it alone.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainModule } from './main-module';
import { type BenchSection, renderTable } from './section';

const here = dirname(fileURLToPath(import.meta.url));
const TARGET = { wallMs: 2000, maxRssMiB: 512 } as const;

interface WorkerResult {
  readonly series: number;
  readonly pointsPerSeries: number;
  readonly horizonSteps: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly perSeriesMs: number;
  readonly maxRssMiB: number;
  readonly rssBeforeMiB: number;
  readonly trusted: number;
  readonly models: Record<string, number>;
}

/** Runs the worker in a fresh Node process (through tsx) and reports its figures. */
export async function run(): Promise<BenchSection> {
  // Other work on the machine inflates wall time: report the load the run started under.
  const load = loadavg()[0] ?? Number.NaN;
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'speed-worker.ts'), '1000'], {
    cwd: resolve(here, '..'),
    encoding: 'utf8',
  });
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as WorkerResult;
  const rows = [
    ['series × points', `${r.series} × ${r.pointsPerSeries}`, '-', '-'],
    ['horizon (steps of 5 min)', r.horizonSteps, '-', '-'],
    ['wall time (ms)', r.wallMs, TARGET.wallMs, r.wallMs <= TARGET.wallMs ? 'yes' : 'NO'],
    ['CPU time of the process (ms)', r.cpuMs, '-', '-'],
    ['load average (1 min) at start', load.toFixed(2), '-', '-'],
    ['per series (ms)', r.perSeriesMs, '-', '-'],
    [
      'peak RSS of the process (MiB)',
      r.maxRssMiB,
      TARGET.maxRssMiB,
      r.maxRssMiB <= TARGET.maxRssMiB ? 'yes' : 'NO',
    ],
    ['RSS before the work (MiB)', r.rssBeforeMiB, '-', '-'],
    ['trusted forecasts', r.trusted, '-', '-'],
  ];
  return {
    name: 'speed',
    title: 'Forecast speed: selectForecast on 1,000 series of 14 days at 5 min (one core)',
    table: `${renderTable(['measure', 'value', 'target', 'met'], rows)}\nmodels chosen: ${JSON.stringify(r.models)}`,
    json: { ...r, loadAverage1m: load, target: TARGET },
  };
}

if (isMainModule(import.meta.url)) {
  const section = await run();
  console.log(`\n## ${section.title}\n\n${section.table}`);
}
