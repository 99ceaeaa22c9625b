/**
 * Speed benchmark body, run in its own process by bench/speed.ts so that peak RSS measures this
 * work alone. Prints one JSON line: the timings and memory figures.
 */
import { selectForecast } from '../lambdas/core/forecast/select';
import { syntheticSeries } from './synthetic';

const SERIES = Number(process.argv[2] ?? 1000);
const POINTS = 14 * 288;
const HORIZON = 288;

const rssBeforeKiB = process.resourceUsage().maxRSS;
const inputs = Array.from({ length: SERIES }, (_, i) => syntheticSeries(1 + i, POINTS));
// One warm-up forecast so the timing measures steady-state JIT code, as a warm Lambda would run.
selectForecast(syntheticSeries(0, POINTS), { horizonSteps: HORIZON });
const started = performance.now();
const cpuBefore = process.cpuUsage();
const models = new Map<string, number>();
let trusted = 0;
for (const history of inputs) {
  const result = selectForecast(history, { horizonSteps: HORIZON });
  models.set(result.model, (models.get(result.model) ?? 0) + 1);
  if (result.trust.trusted) trusted++;
}
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
// CPU time of this process: on a shared machine wall time includes waiting for a core, CPU time does not.
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(
  JSON.stringify({
    series: SERIES,
    pointsPerSeries: POINTS,
    horizonSteps: HORIZON,
    wallMs,
    cpuMs,
    perSeriesMs: wallMs / SERIES,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    rssBeforeMiB: rssBeforeKiB / 1024,
    trusted,
    models: Object.fromEntries(models),
  }),
);
