/**
 * Scaler benchmark: the forecaster handler over 1,000 `forecastAndScale` targets (14 days of
 * 5-minute history, 48 h horizon) with every SDK call mocked at 50 ms, in a child process run as
 * Lambda runs a 1,024 MB function (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1024`, V8 old space of 870 MB);
 * plus the minified esbuild bundle of the handler: its size and its module initialisation time.
 * Targets: ≤ 4 GetMetricData calls per page of history, < 60 s handler time, ≤ 1 MiB, < 200 ms.
 * `npx tsx bench/scaler.ts` runs it alone; `npx tsx bench/scaler.ts --targets=5000` runs the
 * handler over another number of targets (up to MAX_TARGETS) and reports its peak RSS.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { isMainModule } from './main-module';
import { type BenchSection, renderTable } from './section';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const TARGET = { callsPerPage: 4, handlerMs: 60_000, bundleBytes: 1024 * 1024, initMs: 200 } as const;
const TARGETS = 1000;
/** The forecaster's memory as the construct deploys it, and the V8 old space Lambda gives Node.js with it. */
const MEMORY_MIB = 1024;
const MAX_OLD_SPACE_MB = 870;
const CALL_DELAY_MS = 50;
/** GetMetricData returns at most 100,800 data points per call: one page of history. */
const PAGE_DATAPOINTS = 100_800;

interface WorkerResult {
  readonly handlerMs: number;
  /** GetMetricData calls reading load history (the read-back of published forecasts excluded). */
  readonly getMetricDataCalls: number;
  /** GetMetricData calls reading back which forecast times CloudWatch already holds. */
  readonly readBackCalls: number;
  /** Forecast values sent with PutMetricData. */
  readonly publishedValues: number;
  readonly datapoints: number;
  readonly calls: Record<string, number>;
  readonly summary: { total: number; succeeded: number; failed: number; untrusted: number };
  /** Peak resident set size of the worker process, MB. */
  readonly peakRssMb: number;
}

/** Runs the handler over `targets` in a child process with Lambda's heap limit; throws if it fails. */
function runWorker(targets: number): WorkerResult {
  const out = execFileSync(
    process.execPath,
    [
      `--max-old-space-size=${MAX_OLD_SPACE_MB}`,
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      'worker',
      String(targets),
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as WorkerResult;
}

/** Runs the handler benchmark in a child process and measures the bundle. */
export async function run(): Promise<BenchSection> {
  // Other work on the machine inflates both timings: report the load the run started under.
  const load = loadavg()[0] ?? Number.NaN;
  const w = runWorker(TARGETS);
  const minPages = Math.ceil(w.datapoints / PAGE_DATAPOINTS);
  const callsPerPage = w.getMetricDataCalls / Math.max(1, minPages);
  const bundle = await measureBundle();
  const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
  const rows = [
    ['targets (forecastAndScale, 5 min, 14 d, 48 h)', TARGETS, '-', '-'],
    ['history data points', w.datapoints, '-', '-'],
    ['pages of history (data points / 100,800)', minPages, '-', '-'],
    ['GetMetricData calls (history)', w.getMetricDataCalls, '-', '-'],
    ['GetMetricData calls (read-back of published forecasts)', w.readBackCalls, '-', '-'],
    ['forecast values published (5 per target and time)', w.publishedValues, '-', '-'],
    [
      'GetMetricData calls per page',
      callsPerPage,
      TARGET.callsPerPage,
      yes(callsPerPage <= TARGET.callsPerPage),
    ],
    [
      'handler time, 50 ms per SDK call (ms)',
      Math.round(w.handlerMs),
      TARGET.handlerMs,
      yes(w.handlerMs < TARGET.handlerMs),
    ],
    [
      'bundle size, minified (bytes)',
      bundle.bytes,
      TARGET.bundleBytes,
      yes(bundle.bytes <= TARGET.bundleBytes),
    ],
    [
      'module initialisation, median of 5 (ms)',
      bundle.initMs,
      TARGET.initMs,
      yes(bundle.initMs < TARGET.initMs),
    ],
    ['module initialisation CPU time, median (ms)', bundle.initCpuMs, '-', '-'],
    [
      `peak RSS of the handler run, ${MAX_OLD_SPACE_MB} MB old space (MB)`,
      w.peakRssMb,
      MEMORY_MIB,
      yes(w.peakRssMb < MEMORY_MIB),
    ],
    ['load average (1 min) at start', load.toFixed(2), '-', '-'],
  ];
  const calls = Object.entries(w.calls)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return {
    name: 'scaler',
    title: 'Predictive scaler: 1,000 targets with the SDK mocked at 50 ms per call; handler bundle',
    table: `${renderTable(['measure', 'value', 'target', 'met'], rows)}\nSDK calls: ${calls}\noutcome: ${JSON.stringify(w.summary)}`,
    json: { ...w, pages: minPages, callsPerPage, bundle, loadAverage1m: load, target: TARGET },
  };
}

/** Bundles the handler as the CDK construct does (ESM, node20, minified, SDK included). */
async function measureBundle(): Promise<{
  bytes: number;
  initMs: number;
  initCpuMs: number;
  runsMs: number[];
}> {
  const dir = mkdtempSync(join(tmpdir(), 'selfheal-bundle-'));
  const outfile = join(dir, 'index.mjs');
  await build({
    entryPoints: [join(root, 'lambdas/forecaster/handler.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    minify: true,
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    outfile,
    logLevel: 'error',
  });
  writeFileSync(join(dir, 'selfheal-config.json'), JSON.stringify(config(10)));
  const env = { ...process.env, ...handlerEnv(dir), AWS_REGION: 'us-east-1' };
  const script = [
    'const c = process.cpuUsage(); const t = performance.now();',
    `await import(${JSON.stringify(pathToFileURL(outfile).href)});`,
    'const u = process.cpuUsage(c);',
    'process.stdout.write(JSON.stringify([performance.now() - t, (u.user + u.system) / 1000]));',
  ].join(' ');
  const runs = Array.from({ length: 5 }, () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env,
      encoding: 'utf8',
    });
    return JSON.parse(out) as [number, number];
  });
  const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[2] ?? Number.NaN);
  return {
    bytes: statSync(outfile).size,
    initMs: median(runs.map((r) => r[0])),
    initCpuMs: median(runs.map((r) => r[1])),
    runsMs: runs.map((r) => Math.round(r[0])),
  };
}

function config(n: number) {
  return {
    predictiveScaling: {
      targets: Array.from({ length: n }, (_, i) => ({
        id: `t${i}`,
        autoScalingGroupName: `g${i}`,
        loadMetric: { type: 'predefined', metric: 'ASGTotalCPUUtilization' },
        targetValue: 60,
        mode: 'forecastAndScale',
        minCapacity: 2,
        maxCapacity: 40,
      })),
    },
  };
}

function handlerEnv(dir: string): Record<string, string> {
  return {
    LAMBDA_TASK_ROOT: dir,
    SELFHEAL_CONFIG_FILE: 'selfheal-config.json',
    SELFHEAL_METRIC_NAMESPACE: 'SelfHeal/Bench',
    SELFHEAL_STACK_NAME: 'SelfHealBench',
    POWERTOOLS_SERVICE_NAME: 'SelfHealBench-forecaster',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(MEMORY_MIB),
    AWS_NODEJS_SDK_SUPPRESS_NODE_VERSION_WARNING: 'true',
  };
}

/** Child-process side: mock the SDK with 50 ms calls, run the handler once, print figures. */
async function worker(targets: number): Promise<void> {
  const { mockClient } = await import('aws-sdk-client-mock');
  const cwSdk = await import('@aws-sdk/client-cloudwatch');
  const asSdk = await import('@aws-sdk/client-auto-scaling');
  const { FakeMetricStore, fakeGetMetricData } = await import('../test/fixtures/scaler/fake-cloudwatch');
  const dir = mkdtempSync(join(tmpdir(), 'selfheal-bench-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'selfheal-config.json'), JSON.stringify(config(targets)));
  Object.assign(process.env, handlerEnv(dir), { AWS_REGION: 'us-east-1' });
  const calls: Record<string, number> = {};
  let datapoints = 0;
  let readBackCalls = 0;
  const namespace = handlerEnv(dir).SELFHEAL_METRIC_NAMESPACE;
  // What the handler publishes is kept, as CloudWatch keeps it, and answers its read-back.
  const store = new FakeMetricStore(namespace ?? '');
  // The mocks keep every call's input and output; Lambda's SDK keeps none: clear them after each.
  const mocks: Array<{ resetHistory(): void }> = [];
  const delayed =
    <I, O>(name: string, fn: (input: I) => O) =>
    async (input: I): Promise<O> => {
      calls[name] = (calls[name] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, CALL_DELAY_MS));
      setImmediate(() => {
        for (const m of mocks) m.resetHistory();
      });
      return fn(input);
    };
  const gmd = fakeGetMetricData({ store });
  const cwMock = mockClient(cwSdk.CloudWatchClient);
  const asMock = mockClient(asSdk.AutoScalingClient);
  mocks.push(cwMock, asMock);
  cwMock
    .on(cwSdk.GetMetricDataCommand)
    .callsFake(
      delayed('GetMetricData', (input: Parameters<typeof gmd>[0]) => {
        const out = gmd(input);
        const readBack = (input.MetricDataQueries ?? []).every(
          (q) => q.MetricStat?.Metric?.Namespace === namespace,
        );
        if (readBack) readBackCalls++;
        else for (const r of out.MetricDataResults ?? []) datapoints += r.Values?.length ?? 0;
        return out;
      }),
    )
    .on(cwSdk.PutMetricDataCommand)
    .callsFake(delayed('PutMetricData', store.put));
  asMock
    .on(asSdk.DescribeAutoScalingGroupsCommand)
    .callsFake(
      delayed('DescribeAutoScalingGroups', (input: { AutoScalingGroupNames?: string[] }) => ({
        AutoScalingGroups: (input.AutoScalingGroupNames ?? []).map((n) => ({
          AutoScalingGroupName: n,
          MinSize: 2,
          MaxSize: 40,
          DesiredCapacity: 2,
        })),
      })),
    )
    .on(asSdk.DescribeScheduledActionsCommand)
    .callsFake(delayed('DescribeScheduledActions', () => ({ ScheduledUpdateGroupActions: [] })))
    .on(asSdk.BatchPutScheduledUpdateGroupActionCommand)
    .callsFake(
      delayed('BatchPutScheduledUpdateGroupAction', () => ({ FailedScheduledUpdateGroupActions: [] })),
    )
    .on(asSdk.BatchDeleteScheduledActionCommand)
    .callsFake(delayed('BatchDeleteScheduledAction', () => ({ FailedScheduledActions: [] })));
  const { handler } = await import('../lambdas/forecaster/handler');
  const t0 = performance.now();
  const summary = await handler(
    { id: 'bench' } as Parameters<typeof handler>[0],
    // As Lambda invokes it: the deployed 300 s timeout, counted from the invocation's start.
    { getRemainingTimeInMillis: () => 300_000 - (performance.now() - t0) } as Parameters<typeof handler>[1],
  );
  const handlerMs = performance.now() - t0;
  const result: WorkerResult = {
    handlerMs,
    getMetricDataCalls: (calls.GetMetricData ?? 0) - readBackCalls,
    readBackCalls,
    publishedValues: store.values.length,
    datapoints,
    calls,
    summary,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** `--targets=N`: the handler alone over N targets, its time, calls and peak RSS. */
function runTargets(targets: number): void {
  const t0 = performance.now();
  try {
    const w = runWorker(targets);
    const { calls, summary, handlerMs, peakRssMb } = w;
    console.log(JSON.stringify({ targets, handlerMs: Math.round(handlerMs), peakRssMb, calls, summary }));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    const lastLines = stderr.trim().split('\n').slice(-3).join(' | ');
    console.log(
      JSON.stringify({ targets, failedAfterMs: Math.round(performance.now() - t0), error: lastLines }),
    );
  }
}

const targetsArg = process.argv.find((a) => a.startsWith('--targets='));
if (process.argv[2] === 'worker') await worker(Number(process.argv[3] ?? TARGETS));
else if (isMainModule(import.meta.url)) {
  if (targetsArg === undefined) {
    const s = await run();
    console.log(`## ${s.title}\n\n${s.table}`);
  } else runTargets(Number(targetsArg.slice('--targets='.length)));
}
