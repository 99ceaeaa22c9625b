/** MetricSource on CloudWatch GetMetricData: many targets per call, every NextToken followed. */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MessageData,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { callsMetricsFunction } from '../../lib/config/metrics-function';
import { sharedCallPrefix } from '../../lib/config/query-ids';
import { describeError } from '../core/scaler/decision';
import { HISTORY_PAGE_POINTS } from '../core/scaler/history-chunks';
import { mapPool } from '../core/scaler/pool';
import type { HistoryRequest, MetricSource, Outcome, TargetHistory } from '../core/scaler/ports';
import type { Point } from '../core/series/types';
import { targetQueries } from './metric-queries';

/** GetMetricData accepts at most 500 MetricDataQuery structures per call. */
export const MAX_QUERIES_PER_CALL = 500;
/** GetMetricData returns at most this many data points per call (its MaxDatapoints default). */
export const MAX_DATAPOINTS_PER_CALL = HISTORY_PAGE_POINTS;
/**
 * Calls of a single target (see {@link batches}) in flight at once. GetMetricData takes 50 calls a
 * second per Region by default: 4 at a time stay under it at 80 ms or more a call, and the SDK
 * retries a throttled one. Shared calls, each up to 100,800 points, are still read one at a time.
 */
export const OWN_CALLS_IN_FLIGHT = 4;

/** Error names CloudWatch gives a request it rejects for its content, not for access or load. */
const CONTENT_REJECTIONS = new Set([
  'ValidationError',
  'InvalidParameterValueException',
  'InvalidParameterCombinationException',
  'MissingRequiredParameterException',
]);

/** A target in a call, with the prefix its query ids get there. */
interface BatchItem {
  readonly request: HistoryRequest;
  readonly prefix: string;
}

type Batch = readonly BatchItem[];

interface Accumulator {
  readonly points: Point[];
  readonly statusCodes: string[];
  readonly messages: string[];
  lastStatus: string;
  /** Set when a page's result could not be read as (time, value) pairs: the target then fails. */
  malformed?: string;
}

/** Reads load history for many targets with as few GetMetricData calls as the API allows. */
export class CloudWatchHistory implements MetricSource {
  constructor(private readonly client: CloudWatchClient) {}

  /**
   * Packs targets with the same window and period into calls of at most 500 queries and follows
   * `NextToken` until CloudWatch has returned everything. A call failing (after the SDK's retries)
   * fails the targets in that call only; a call rejected for its content (one target's invalid
   * expression or statistic fails the whole request) is split in halves until the rejected
   * target is alone, so it fails no other. A target whose last status is still `PartialData` is
   * returned with `partial: true`, and `InternalError`/`Forbidden` fail that target. A call that
   * CloudWatch answers with a message about the whole operation (it then executed only part of
   * it) is split in halves the same way; a target so answered alone is returned with
   * `partial: true` and the message in its `messages`. A target whose metric math calls METRICS
   * is read alone, its queries as written (see {@link batches}), {@link OWN_CALLS_IN_FLIGHT} such
   * calls at a time.
   *
   * `signal`, when given, aborts the call in flight (the SDK's `abortSignal`, which closes its
   * connection) and stops the next calls and pages: once it has aborted the read rejects with its
   * reason (or the SDK's abort error) and sends nothing more.
   */
  async fetchHistory(
    requests: readonly HistoryRequest[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, Outcome<TargetHistory>>> {
    const out = new Map<string, Outcome<TargetHistory>>();
    const { shared, alone } = batches(requests);
    for (const batch of shared) await this.readBatch(batch, out, signal);
    await mapPool(alone, OWN_CALLS_IN_FLIGHT, (batch) => this.readBatch(batch, out, signal));
    return out;
  }

  private async readBatch(
    batch: Batch,
    out: Map<string, Outcome<TargetHistory>>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const byResultId = new Map<string, { request: HistoryRequest; scale: number; acc: Accumulator }>();
    const queries: MetricDataQuery[] = [];
    for (const { request, prefix } of batch) {
      const q = targetQueries(request, prefix);
      queries.push(...q.queries);
      byResultId.set(q.resultId, {
        request,
        scale: q.scale,
        acc: { points: [], statusCodes: [], messages: [], lastStatus: 'Complete' },
      });
    }
    let callMessages: readonly string[];
    try {
      callMessages = await this.readAllPages(batch[0]?.request, queries, byResultId, signal);
    } catch (error) {
      // Stopped: no target of this call failed on its own, and no other call may be sent.
      if (signal?.aborted === true) throw error;
      if (batch.length > 1 && isContentRejected(error)) return this.readHalves(batch, out, signal);
      for (const { request } of batch) out.set(request.targetId, { ok: false, error: describeError(error) });
      return;
    }
    // CloudWatch executed the call only in part (too many metrics, for one): smaller calls may be
    // executed whole, and a target still cut short alone is cut short by its own queries.
    if (callMessages.length > 0 && batch.length > 1) return this.readHalves(batch, out, signal);
    for (const { request, acc } of byResultId.values()) out.set(request.targetId, finish(acc, callMessages));
  }

  private async readHalves(
    batch: Batch,
    out: Map<string, Outcome<TargetHistory>>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const half = Math.ceil(batch.length / 2);
    await this.readBatch(batch.slice(0, half), out, signal);
    await this.readBatch(batch.slice(half), out, signal);
  }

  /** Reads every page into the accumulators; returns the messages about the whole call, without repeats. */
  private async readAllPages(
    first: HistoryRequest | undefined,
    queries: MetricDataQuery[],
    byResultId: Map<string, { scale: number; acc: Accumulator }>,
    signal: AbortSignal | undefined,
  ): Promise<readonly string[]> {
    const callMessages: string[] = [];
    if (first === undefined) return callMessages;
    let nextToken: string | undefined;
    do {
      signal?.throwIfAborted();
      const res = await this.client.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(first.startSec * 1000),
          EndTime: new Date(first.endSec * 1000),
          ScanBy: 'TimestampAscending',
          NextToken: nextToken,
        }),
        { abortSignal: signal },
      );
      for (const r of res.MetricDataResults ?? []) {
        const entry = byResultId.get(r.Id ?? '');
        if (entry === undefined) continue;
        const { acc, scale } = entry;
        const ts = r.Timestamps ?? [];
        const vs = r.Values ?? [];
        acc.malformed ??= malformation(r.Id ?? '', ts, vs);
        for (let i = 0; i < ts.length && i < vs.length; i++) {
          acc.points.push({
            tSec: Math.round((ts[i] as Date).getTime() / 1000),
            value: (vs[i] as number) * scale,
          });
        }
        const status = r.StatusCode ?? 'Complete';
        acc.lastStatus = status;
        if (!acc.statusCodes.includes(status)) acc.statusCodes.push(status);
        for (const m of r.Messages ?? []) acc.messages.push(`${m.Code ?? ''}: ${m.Value ?? ''}`);
      }
      for (const m of res.Messages ?? []) {
        const said = `the GetMetricData call was executed only in part: ${describeMessage(m)}`;
        if (!callMessages.includes(said)) callMessages.push(said);
      }
      nextToken = res.NextToken;
    } while (nextToken !== undefined && nextToken !== '');
    return callMessages;
  }
}

/**
 * A message of GetMetricData's own `Messages` ("Maximum number of allowed metrics exceeded"): "If
 * there is a message, as much of the operation as possible is still executed. A message appears
 * here only if it is related to the global GetMetricData operation."
 */
function describeMessage(m: MessageData): string {
  const value = m.Value ?? '';
  return m.Code === undefined || m.Code === '' ? value : `${m.Code}: ${value}`;
}

function isContentRejected(error: unknown): boolean {
  return error instanceof Error && CONTENT_REJECTIONS.has(error.name);
}

/** Pairs are matched by position, so arrays of different lengths would pair values with wrong times. */
function malformation(id: string, ts: readonly Date[], vs: readonly number[]): string | undefined {
  if (ts.length !== vs.length)
    return `GetMetricData result ${id} has ${ts.length} Timestamps but ${vs.length} Values`;
  const bad = ts.findIndex((t) => Number.isNaN(t.getTime()));
  return bad < 0 ? undefined : `GetMetricData result ${id} has Timestamps[${bad}] ${String(ts[bad])}`;
}

/**
 * A target's outcome from what its results held and the messages about the whole call, which
 * make its history partial: CloudWatch then executed the call only in part.
 */
function finish(acc: Accumulator, callMessages: readonly string[]): Outcome<TargetHistory> {
  if (acc.malformed !== undefined) return { ok: false, error: acc.malformed };
  acc.messages.push(...callMessages);
  if (acc.lastStatus === 'InternalError' || acc.lastStatus === 'Forbidden') {
    return {
      ok: false,
      error: `GetMetricData status ${acc.lastStatus}${acc.messages.length > 0 ? `: ${acc.messages.join('; ')}` : ''}`,
    };
  }
  const points = acc.points.sort((a, b) => a.tSec - b.tSec);
  return {
    ok: true,
    value: {
      points,
      partial: acc.lastStatus === 'PartialData' || callMessages.length > 0,
      statusCodes: acc.statusCodes,
      messages: acc.messages,
    },
  };
}

/**
 * Groups requests sharing a window into batches of at most 500 queries, each target's ids
 * prefixed by its index to keep them unique. Targets with metric math are packed apart, into
 * calls whose returned points fit one page of {@link MAX_DATAPOINTS_PER_CALL}: CloudWatch returns
 * no `NextToken` for a request performing a math expression, so such a call could not be read
 * past its first page, nor could any other target sharing it. A target whose metric math calls
 * METRICS gets a call of its own with its ids unprefixed: METRICS returns every metric in the
 * request (whose Id contains its string, if given), so in a shared call it would read the other
 * targets' metrics, and a prefix could make `METRICS("t1")` or `METRICS("_")` select ids it
 * would not select as written.
 */
function batches(requests: readonly HistoryRequest[]): { shared: Batch[]; alone: Batch[] } {
  const byWindow = new Map<string, BatchItem[]>();
  const alone: Batch[] = [];
  requests.forEach((request, index) => {
    if (callsMetricsFunction(request.loadMetric)) {
      alone.push([{ request, prefix: '' }]);
      return;
    }
    const key = `${request.startSec}/${request.endSec}`;
    const list = byWindow.get(key) ?? [];
    list.push({ request, prefix: sharedCallPrefix(index) });
    byWindow.set(key, list);
  });
  const out: Batch[] = [];
  for (const list of byWindow.values()) {
    out.push(
      ...pack(
        list.filter((i) => !hasExpression(i.request)),
        Number.POSITIVE_INFINITY,
      ),
    );
    out.push(
      ...pack(
        list.filter((i) => hasExpression(i.request)),
        MAX_DATAPOINTS_PER_CALL,
      ),
    );
  }
  return { shared: out, alone };
}

/** Consecutive batches of at most 500 queries and `maxPoints` returned points. */
function pack(items: Batch, maxPoints: number): Batch[] {
  const out: Batch[] = [];
  let current: BatchItem[] = [];
  let queries = 0;
  let points = 0;
  for (const item of items) {
    const n = queryCount(item.request);
    const p = Math.ceil((item.request.endSec - item.request.startSec) / item.request.periodSec);
    if (current.length > 0 && (queries + n > MAX_QUERIES_PER_CALL || points + p > maxPoints)) {
      out.push(current);
      current = [];
      queries = 0;
      points = 0;
    }
    current.push(item);
    queries += n;
    points += p;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function queryCount(request: HistoryRequest): number {
  return request.loadMetric.type === 'predefined' ? 1 : request.loadMetric.metricDataQueries.length;
}

function hasExpression(request: HistoryRequest): boolean {
  const m = request.loadMetric;
  return m.type === 'custom' && m.metricDataQueries.some((q) => q.Expression !== undefined);
}
