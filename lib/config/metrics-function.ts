/**
 * Metric math's METRICS function in a custom load metric. CloudWatch: "The METRICS() function
 * returns all the metrics in the request. Math expressions aren't included", and with a string
 * "only the graphed metrics that contain that string in their Id field"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html). Its
 * result depends on the whole request, not on the ids an expression names, so the forecaster
 * reads such a target in a call of its own and the dashboard lists the metrics it selects. Pure:
 * no SDK, no CDK.
 */
import type { CustomLoadMetric } from './load-metric';
import type { LoadMetric } from './load-metric-schema';

/** One call of METRICS in an expression, outside quoted text. */
export interface MetricsCall {
  /** The call as written, from the function name to its closing parenthesis. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** The function name as written: CloudWatch takes it in uppercase only. */
  readonly name: string;
  /**
   * The string argument (`METRICS("errors")` gives `errors`), `undefined` for `METRICS()`, and
   * `null` when the argument is neither: CloudWatch takes nothing or one string.
   */
  readonly filter: string | undefined | null;
  /** Whether the call is a whole element of an array literal (`[METRICS("4xx"), m1]`). */
  readonly arrayElement: boolean;
}

/** A quoted string, the function's name with its opening parenthesis (any case), or a bracket. */
const TOKEN = String.raw`('[^']*'|"[^"]*")|\b(metrics)\s*\(|([[\]()])`;

/**
 * Every METRICS call in `expression`, in order. Quoted text (a SEARCH string, a dimension value)
 * is not metric math and is skipped; the name is matched in any case, so that a spelling
 * CloudWatch refuses is found and refused at synth rather than read as something else.
 */
export function metricsCalls(expression: string): MetricsCall[] {
  const calls: MetricsCall[] = [];
  const open: string[] = [];
  const scan = new RegExp(TOKEN, 'gi');
  for (let m = scan.exec(expression); m !== null; m = scan.exec(expression)) {
    if (m[1] !== undefined) continue;
    const bracket = m[3];
    if (bracket === '(' || bracket === '[') open.push(bracket);
    else if (bracket !== undefined) open.pop();
    else {
      const call = readCall(expression, m.index, scan.lastIndex, m[2] ?? '', open.at(-1) === '[');
      calls.push(call);
      scan.lastIndex = call.end;
    }
  }
  return calls;
}

/** The call whose name starts at `start` and whose argument starts at `from` (after the `(`). */
function readCall(
  expression: string,
  start: number,
  from: number,
  name: string,
  inArray: boolean,
): MetricsCall {
  const rest = expression.slice(from);
  const arg = /^\s*(?:"([^"]*)"|'([^']*)')?\s*\)/.exec(rest);
  const end = arg === null ? closingParen(expression, from) : from + arg[0].length;
  const filter = arg === null ? null : (arg[1] ?? arg[2]);
  const before = expression.slice(0, start).trimEnd().at(-1);
  const after = expression.slice(end).trimStart()[0];
  return {
    text: expression.slice(start, end),
    start,
    end,
    name,
    filter,
    arrayElement: inArray && (before === '[' || before === ',') && (after === ']' || after === ','),
  };
}

/** The end of the parenthesis opened just before `from` (quotes skipped), or the expression's end. */
function closingParen(expression: string, from: number): number {
  let depth = 1;
  const scan = new RegExp(TOKEN, 'gi');
  scan.lastIndex = from;
  for (let m = scan.exec(expression); m !== null; m = scan.exec(expression)) {
    if (m[2] !== undefined || m[3] === '(') depth++;
    else if (m[3] === ')' && --depth === 0) return scan.lastIndex;
  }
  return expression.length;
}

/** Whether any expression of the load metric calls METRICS, in any spelling. */
export function callsMetricsFunction(loadMetric: LoadMetric): boolean {
  return (
    loadMetric.type === 'custom' &&
    loadMetric.metricDataQueries.some(
      (q) => q.Expression !== undefined && metricsCalls(q.Expression).length > 0,
    )
  );
}

/** The Ids of the queries METRICS can return: those reading a metric (`MetricStat`), in order. */
export function metricIds(loadMetric: CustomLoadMetric): string[] {
  return loadMetric.metricDataQueries.flatMap((q) => (q.MetricStat === undefined ? [] : [q.Id]));
}

/** The ids of `ids` a call selects: all for `METRICS()`, those containing the string otherwise. */
export function selectedIds(call: Pick<MetricsCall, 'filter'>, ids: readonly string[]): string[] {
  const { filter } = call;
  if (filter === null) return [];
  return filter === undefined ? [...ids] : ids.filter((id) => id.includes(filter));
}

/**
 * `expression` with each METRICS call replaced by the array of the ids it selects: `[a, b]`, or
 * `a, b` where the call is a whole element of an array literal, which CloudWatch flattens
 * (`SUM([METRICS("4xx"), METRICS("5xx")])`). Equal in value where the request holds exactly the
 * queries `ids` name as metrics: a dashboard graph that also holds the forecast lines.
 */
export function expandMetricsCalls(expression: string, ids: readonly string[]): string {
  let out = '';
  let at = 0;
  for (const call of metricsCalls(expression)) {
    const list = selectedIds(call, ids).join(', ');
    out += expression.slice(at, call.start) + (call.arrayElement ? list : `[${list}]`);
    at = call.end;
  }
  return out + expression.slice(at);
}

/**
 * What about a METRICS call cannot work, or `undefined`: a name not in uppercase ("All functions
 * must be written in uppercase letters"), an argument that is not one string, or no metric of
 * the load selected (METRICS would return an empty array: no load).
 */
export function metricsCallProblem(call: MetricsCall, ids: readonly string[]): string | undefined {
  if (call.name !== 'METRICS') {
    return `${call.text}: CloudWatch takes metric math functions in uppercase only; write METRICS`;
  }
  if (call.filter === null) {
    return `${call.text}: METRICS takes no argument or one string in straight quotes, as METRICS() or METRICS("errors")`;
  }
  if (selectedIds(call, ids).length > 0) return undefined;
  const known = ids.length === 0 ? 'none' : ids.join(', ');
  return call.filter === undefined
    ? `${call.text} selects nothing: no query of this load metric has a MetricStat (METRICS returns metrics, not expressions); add the MetricStat queries it should return`
    : `${call.text} selects nothing: no MetricStat query Id of this load metric contains "${call.filter}" (case-sensitive; MetricStat Ids: ${known}); METRICS returns metrics, not expressions`;
}
