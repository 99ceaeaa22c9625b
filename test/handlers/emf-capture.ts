/**
 * What a handler's metrics look like to CloudWatch: the embedded metric format (EMF) documents it
 * writes to stdout, read back as the metrics CloudWatch extracts from them.
 */
import { vi } from 'vitest';

/** What a CloudWatch metric is identified by. */
export interface MetricId {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Keeps what is written to `stream` in `chunks` instead of showing it, until the spy is restored. */
function captureWrites(stream: NodeJS.WriteStream, chunks: string[]) {
  return vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
}

/** Everything written to stdout while `run` runs (and not shown). */
export async function stdoutOf(run: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const write = captureWrites(process.stdout, chunks);
  try {
    await run();
  } finally {
    write.mockRestore();
  }
  return chunks.join('');
}

/** Everything written to stdout and stderr while `act` runs (the logger writes warnings and errors to stderr). */
export async function outputOf(act: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const err = captureWrites(process.stderr, chunks);
  try {
    chunks.push(await stdoutOf(act));
  } finally {
    err.mockRestore();
  }
  return chunks.join('\n');
}

interface EmfDocument {
  readonly _aws: {
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: ReadonlyArray<readonly string[]>;
      readonly Metrics: ReadonlyArray<{ readonly Name: string }>;
    }>;
  };
  readonly [member: string]: unknown;
}

/**
 * Every metric as CloudWatch extracts it from the EMF lines of `stdout`: one per directive, metric
 * and dimension set, with the dimension values from the root node; `metricName` keeps only that one.
 */
export function emitted(stdout: string, metricName?: string): Array<MetricId & { readonly value: unknown }> {
  const documents = stdout
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfDocument);
  return documents.flatMap((doc) =>
    doc._aws.CloudWatchMetrics.flatMap((d) =>
      d.Metrics.filter((m) => metricName === undefined || m.Name === metricName).flatMap((m) =>
        d.Dimensions.map((set) => ({
          namespace: d.Namespace,
          metricName: m.Name,
          dimensions: Object.fromEntries(set.map((name) => [name, String(doc[name])])),
          value: doc[m.Name],
        })),
      ),
    ),
  );
}
