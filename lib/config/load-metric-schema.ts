/**
 * The load metric a scaling target forecasts: one of AWS predictive scaling's predefined metrics,
 * or GetMetricData queries in the API's own field names. Part of the app's configuration
 * (./schema); like it, imports nothing from aws-cdk-lib or the AWS SDK.
 */
import * as z from 'zod';
import { callsMetricsFunction, metricIds, metricsCallProblem, metricsCalls } from './metrics-function';
import { LONGEST_SHARED_CALL_PREFIX, renameQueryIds } from './query-ids';
import { addDuplicateIssues } from './unique-entries';

/** AWS predictive scaling's predefined load metrics, by the name users know from that API. */
export const PREDEFINED_LOAD_METRICS = [
  'ASGTotalCPUUtilization',
  'ASGTotalNetworkIn',
  'ASGTotalNetworkOut',
  'ALBTargetGroupRequestCount',
] as const;

/** Longest dimension name CloudWatch takes (API_Dimension: 1 to 255 characters). */
const MAX_DIMENSION_NAME_LENGTH = 255;
/** Longest dimension value CloudWatch takes (API_Dimension: 1 to 1,024 characters). */
export const MAX_DIMENSION_VALUE_LENGTH = 1024;

/**
 * A dimension's name or value as CloudWatch takes it
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html): 1 to
 * `max` characters, only ASCII ones and no ASCII control characters, at least one of them not
 * white space. Any other would have GetMetricData refuse the target's query every run.
 */
function dimensionText(what: 'name' | 'value', max: number) {
  return z
    .string()
    .min(1)
    .superRefine((text, ctx) => {
      if (text.length > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${text.length.toLocaleString('en-US')} characters; CloudWatch takes at most ${max.toLocaleString('en-US')} in a dimension ${what}`,
        });
      }
      const refused = firstRefusedCharacter(text);
      if (refused !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `${refused}; CloudWatch takes only ASCII characters other than control characters in a dimension ${what}`,
        });
      }
    })
    .regex(/\S/, 'must hold a character other than white space (CloudWatch refuses a blank dimension)');
}

/**
 * The first character of `text` outside printable ASCII (space to `~`), named by its code point
 * and position, and shown unless it is a control character: `"é" (U+00E9) at character 4`,
 * `U+0009 at character 4`; `undefined` when there is none.
 */
function firstRefusedCharacter(text: string): string | undefined {
  let position = 0;
  for (const char of text) {
    position += 1;
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x20 && code <= 0x7e) continue;
    const codePoint = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    const shown = /\p{Cc}/u.test(char) ? codePoint : `${JSON.stringify(char)} (${codePoint})`;
    return `${shown} at character ${position}`;
  }
  return undefined;
}

const dimension = z
  .object({
    Name: dimensionText('name', MAX_DIMENSION_NAME_LENGTH).refine((name) => !name.startsWith(':'), {
      message: 'must not start with ":" (CloudWatch refuses such a dimension name)',
    }),
    Value: dimensionText('value', MAX_DIMENSION_VALUE_LENGTH),
  })
  .strict();

/**
 * CloudWatch's StandardUnit values, the only units GetMetricData accepts (kept here because the
 * config schema imports nothing from the AWS SDK; a test compares it with the SDK's list).
 */
export const CLOUDWATCH_UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;

/**
 * Longest query Id: GetMetricData takes 255 characters, and the forecaster prefixes each Id with
 * `t<target index>_` (at most `t4999_`) to keep the Ids of targets sharing a call apart.
 */
export const MAX_QUERY_ID_LENGTH = 255 - LONGEST_SHARED_CALL_PREFIX.length;

/** Longest `Expression` GetMetricData takes (MetricDataQuery: 1 to 2,048 characters). */
const MAX_EXPRESSION_LENGTH = 2048;

const metricStatSchema = z
  .object({
    Metric: z
      .object({
        Namespace: z.string().min(1),
        MetricName: z.string().min(1),
        Dimensions: z.array(dimension).max(30).default([]),
      })
      .strict(),
    Stat: z.string().min(1),
    Unit: z.enum(CLOUDWATCH_UNITS).optional(),
  })
  .strict();

/** What a query reads: a metric math expression or a metric's statistic, never both. */
type OneSource =
  | { readonly Expression: string; readonly MetricStat?: undefined }
  | { readonly Expression?: undefined; readonly MetricStat: z.output<typeof metricStatSchema> };

/**
 * One entry of GetMetricData's `MetricDataQueries`, in the API's own field names. Its validated
 * type says which of `Expression` and `MetricStat` it has, so no reader checks for neither.
 */
export const metricDataQuerySchema = z
  .object({
    Id: z
      .string()
      .regex(/^[a-z][a-zA-Z0-9_]*$/, 'must start with a lowercase letter, then letters, digits, _')
      .max(
        MAX_QUERY_ID_LENGTH,
        `at most ${MAX_QUERY_ID_LENGTH} characters (GetMetricData takes 255, and the forecaster prefixes t<target index>_)`,
      ),
    Expression: z.string().min(1).max(MAX_EXPRESSION_LENGTH).optional(),
    MetricStat: metricStatSchema.optional(),
    Label: z.string().optional(),
    ReturnData: z.boolean().optional(),
  })
  .strict()
  .refine((q): q is typeof q & OneSource => (q.Expression === undefined) !== (q.MetricStat === undefined), {
    message: 'set exactly one of Expression or MetricStat',
  });

export const loadMetricSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('predefined'),
      metric: z.enum(PREDEFINED_LOAD_METRICS),
      /** Required for ALBTargetGroupRequestCount: `app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>`. */
      resourceLabel: z
        .string()
        .regex(
          /^app\/[^/]+\/[^/]+\/targetgroup\/[^/]+\/[^/]+$/,
          'expected app/<lb>/<id>/targetgroup/<tg>/<id>',
        )
        .optional(),
      /**
       * For the `ASGTotal*` metrics: the group's EC2 instance monitoring, which sets how often each
       * instance publishes (`basic` every 300 s, `detailed` every 60 s). Absent means `basic`, the
       * EC2 default. CPUUtilization is a percentage per datapoint, so the total is the `Sum` scaled
       * by the interval over the period; getting this wrong scales the CPU load by 5×.
       */
      instanceMonitoring: z.enum(['basic', 'detailed']).optional(),
    })
    .strict()
    .refine((m) => m.metric !== 'ALBTargetGroupRequestCount' || m.resourceLabel !== undefined, {
      message: 'resourceLabel is required for ALBTargetGroupRequestCount',
      path: ['resourceLabel'],
    })
    .refine((m) => m.metric !== 'ALBTargetGroupRequestCount' || m.instanceMonitoring === undefined, {
      message: 'instanceMonitoring applies to the ASGTotal* (AWS/EC2) metrics only; remove it',
      path: ['instanceMonitoring'],
    }),
  z
    .object({
      type: z.literal('custom'),
      /** As in AWS predictive scaling's customized load metric: exactly one query returns data. */
      metricDataQueries: z.array(metricDataQuerySchema).min(1).max(10),
    })
    .strict()
    .refine((m) => m.metricDataQueries.filter(returnsData).length === 1, {
      message: 'exactly one query must return data (set ReturnData: false on the others)',
      path: ['metricDataQueries'],
    })
    // GetMetricData rejects a call with a repeated Id, and with it every target sharing the call.
    .superRefine((m, ctx) =>
      addDuplicateIssues(
        ctx,
        m.metricDataQueries.map((q) => q.Id),
        {
          list: 'metricDataQueries',
          field: 'Id',
          what: 'duplicate query Id',
          advice: 'GetMetricData needs unique Ids',
        },
      ),
    )
    // A METRICS call CloudWatch would refuse, or that selects nothing, leaves the target no load.
    .superRefine((m, ctx) => {
      const ids = metricIds(m);
      m.metricDataQueries.forEach((q, i) => {
        for (const call of q.Expression === undefined ? [] : metricsCalls(q.Expression)) {
          const message = metricsCallProblem(call, ids);
          if (message !== undefined)
            ctx.addIssue({ code: 'custom', path: ['metricDataQueries', i, 'Expression'], message });
        }
      });
    })
    // GetMetricData would refuse the target's calls every run.
    .superRefine((m, ctx) => {
      m.metricDataQueries.forEach((q, i) => {
        const message = q.Expression === undefined ? undefined : sentExpressionProblem(m, q.Expression);
        if (message !== undefined)
          ctx.addIssue({ code: 'custom', path: ['metricDataQueries', i, 'Expression'], message });
      });
    }),
]);

/**
 * Why `expression`, one of the custom metric's, would reach GetMetricData longer than it takes,
 * or `undefined`. The forecaster sends a target whose metric math calls METRICS alone, its
 * queries as written; any other shares calls with other targets, each use of a query Id in its
 * expressions prefixed with `t<target index>_` (lambdas/adapters/cloudwatch-history.ts). The
 * expression is measured as sent with the longest prefix, so the config holds wherever the
 * target sits among the targets.
 */
function sentExpressionProblem(
  m: { readonly metricDataQueries: readonly MetricDataQueryConfig[] },
  expression: string,
): string | undefined {
  if (callsMetricsFunction({ type: 'custom', metricDataQueries: [...m.metricDataQueries] })) {
    return undefined;
  }
  const ids = m.metricDataQueries.map((q) => q.Id);
  const prefix = LONGEST_SHARED_CALL_PREFIX;
  const sent = renameQueryIds(expression, ids, (id) => `${prefix}${id}`).length;
  if (sent <= MAX_EXPRESSION_LENGTH) return undefined;
  const uses = (sent - expression.length) / prefix.length;
  return `${expression.length} characters as written, but the forecaster reads this target in GetMetricData calls shared with other targets, each of the ${uses} uses of a query Id prefixed with t<target index>_ (up to ${prefix.length} characters, ${prefix}), so the call could carry ${sent} characters of the ${MAX_EXPRESSION_LENGTH} GetMetricData takes; shorten it by ${sent - MAX_EXPRESSION_LENGTH} (less white space, shorter Ids or fewer uses)`;
}

/**
 * Seconds between the datapoints each instance publishes for an `ASGTotal*` load metric (300 with
 * basic monitoring, 60 with detailed); 0 for metrics that are not per-instance EC2 metrics.
 */
export function ec2MonitoringIntervalSec(loadMetric: z.output<typeof loadMetricSchema>): number {
  if (loadMetric.type !== 'predefined' || loadMetric.metric === 'ALBTargetGroupRequestCount') return 0;
  return loadMetric.instanceMonitoring === 'detailed' ? 60 : 300;
}

/**
 * Whether GetMetricData returns the query's data: unless `ReturnData` is `false`, as the API
 * defaults it. A custom load metric has exactly one such query, the one whose data is the load.
 */
export function returnsData(query: Pick<MetricDataQueryConfig, 'ReturnData'>): boolean {
  return query.ReturnData !== false;
}

export type LoadMetric = z.output<typeof loadMetricSchema>;
export type MetricDataQueryConfig = z.output<typeof metricDataQuerySchema>;
