/**
 * The app's one configuration object, validated with zod. Shared by the CDK app (lib/) and the
 * Lambdas (lambdas/), so it imports nothing from aws-cdk-lib or the AWS SDK.
 */
import * as z from 'zod';
import { dashboardSchema } from './dashboard-schema';
import { ec2MonitoringIntervalSec, loadMetricSchema } from './load-metric-schema';
import { metricNamespaceSchema } from './metric-namespace';
import { MAX_TARGETS } from './query-ids';
import { RESERVED_DOCUMENT_PREFIX, remediationSchema, SHIPPED_DOCUMENTS } from './remediation-schema';
import { scheduleProblem } from './schedule-expression';
import { addDuplicateIssues } from './unique-entries';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * What the planner can size each block on (see lambdas/core/planning/planning-bound.ts), in the
 * order help texts list them; the first is the default.
 */
export const PLANNING_BOUNDS = ['block-max', 'upper'] as const;

export const DEFAULT_PLANNING_BOUND: (typeof PLANNING_BOUNDS)[number] = 'block-max';

function bothNumbers(value: unknown, a: string, b: string): boolean {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return Number.isInteger(record[a]) && Number.isInteger(record[b]);
}

/**
 * Fewest days of history a target may read. The selector validates each model on the last day of
 * history, forecast from what precedes it, which must be more than a day for the MASE scale
 * (lambdas/core/forecast/backtest.ts): exactly two days leave no validation, so the forecast would
 * never be trusted to scale ("48.0 h of history leaves no day to validate a model on").
 */
export const MIN_LOOKBACK_DAYS = 3;

/**
 * Hours ahead a target plans by default (and at most): AWS predictive scaling's 48-hour forecast.
 * The backtest plans as far, so a plan that later forecasts do not replace runs as long as it would.
 */
export const DEFAULT_HORIZON_HOURS = 48;

const schedulingBufferSecSchema = z.number().int().min(0).max(3600);
/** Planning block length; 60 as AWS, 15 or 30 for closer plans (more scheduled actions). */
const blockMinutesSchema = z.union([z.literal(15), z.literal(30), z.literal(60)]);

/** True when schedulingBufferSec and blockMinutes both passed their own checks. */
function bufferAndBlock(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return (
    schedulingBufferSecSchema.safeParse(record.schedulingBufferSec).success &&
    blockMinutesSchema.safeParse(record.blockMinutes).success
  );
}

/**
 * Why a group name cannot be scaled (`forecastAndScale`), or `undefined`. The scheduled-action
 * policy names the group in an ARN, where IAM reads `*`, `?` and `:` as wildcards or separators
 * and `${` as the start of a policy variable, and IAM refuses a policy document holding any
 * character outside U+0020 to U+00FF (besides tab, LF and CR;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), which Auto Scaling
 * allows in names. The policy's cdk-nag acknowledgement carries the name inside `[...]`:
 * aws-cdk-lib turns a space in it into `-`, and cdk-nag writes a `}` of the ARN into its finding
 * id as `>`, so in either case the acknowledgement would never match its finding; and
 * aws-cdk-lib refuses an id whose brackets do not pair, so synth would fail on its message.
 */
export function scaledGroupNameProblem(name: string): string | undefined {
  const fix = 'rename the group or keep the target in forecastOnly mode';
  if (/[*?:]/.test(name)) {
    return `a forecastAndScale group's name must not contain *, ? or :, which IAM would read as wildcards or separators in the scheduled-action policy; ${fix}`;
  }
  if (/\s/.test(name)) {
    return `a forecastAndScale group's name must not contain a space or other whitespace: the scheduled-action policy's cdk-nag acknowledgement cannot name it (aws-cdk-lib turns spaces into -); ${fix}`;
  }
  const outside = [...name].find((c) => c < '\u0020' || c > '\u00ff');
  if (outside !== undefined) {
    const code = (outside.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return `a forecastAndScale group's name must hold only characters from U+0020 to U+00FF (Latin-1): IAM refuses the scheduled-action policy naming it at deploy, and this name has ${JSON.stringify(outside)} (U+${code}); ${fix}`;
  }
  if (/[{}]/.test(name)) {
    return `a forecastAndScale group's name must not contain { or }: IAM would read \${ as a policy variable in the scheduled-action policy, and cdk-nag writes } as > in the finding its acknowledgement must match; ${fix}`;
  }
  const bracket = unpairedBracket(name);
  if (bracket !== undefined) {
    return `a forecastAndScale group's name must pair its brackets, each ( closed by ) and each [ by ], in order: the scheduled-action policy's cdk-nag acknowledgement names it inside [...], and aws-cdk-lib refuses that id at synth (${bracket}); ${fix}`;
  }
  return undefined;
}

/** What about the round and square brackets of `text` does not pair, or `undefined`. */
function unpairedBracket(text: string): string | undefined {
  const open: string[] = [];
  for (const [i, c] of [...text].entries()) {
    if (c === '(') open.push(')');
    else if (c === '[') open.push(']');
    else if (c === ')' || c === ']') {
      const expected = open.pop();
      if (expected === undefined) return `the ${c} at character ${i + 1} closes nothing`;
      if (expected !== c) return `the ${c} at character ${i + 1} where ${expected} was expected`;
    }
  }
  const expected = open.pop();
  return expected === undefined ? undefined : `a closing ${expected} is missing at the end`;
}

function isScaledGroupName(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return record.mode === 'forecastAndScale' && typeof record.autoScalingGroupName === 'string';
}

/**
 * The UTC offsets a target's weekend may be given (`weekendUtcOffsetHours`, and `selfheal
 * forecast`/`backtest --weekend-utc-offset-hours`): the offsets in use, UTC−12 to UTC+14, in
 * quarter hours (UTC+5:45 is one).
 */
export const WEEKEND_UTC_OFFSET_HOURS = { min: -12, max: 14, multipleOf: 0.25 } as const;

/** One Auto Scaling group the predictive scaler forecasts for. */
export const scalingTargetSchema = z
  .object({
    /** Stable id: names the forecast metrics and the scheduled actions. */
    id: z.string().regex(NAME, 'letters, digits, - and _, at most 64 characters'),
    autoScalingGroupName: z.string().min(1).max(255),
    loadMetric: loadMetricSchema,
    /** Load one instance should carry, in the load metric's unit per period. */
    targetValue: z.number().positive(),
    /** Default `forecastOnly`: publish forecasts, change nothing. */
    mode: z.enum(['forecastOnly', 'forecastAndScale']).default('forecastOnly'),
    /** Baseline floor the plan never goes below and restores at its end. */
    minCapacity: z.number().int().min(0),
    /** Hard ceiling (with `honor`). */
    maxCapacity: z.number().int().min(1),
    /** Seconds before each block its capacity is raised; less than one block. */
    schedulingBufferSec: schedulingBufferSecSchema.default(300),
    maxCapacityBreachBehavior: z.enum(['honor', 'increase']).default('honor'),
    /** With `increase`: percent above the forecast capacity the maximum may be raised to. */
    maxCapacityBufferPercent: z.number().int().min(0).max(100).default(10),
    horizonHours: z.number().int().min(1).max(DEFAULT_HORIZON_HOURS).default(DEFAULT_HORIZON_HOURS),
    blockMinutes: blockMinutesSchema.default(60),
    /** Days of history read; at least MIN_LOOKBACK_DAYS. */
    lookbackDays: z
      .number()
      .int()
      .min(
        MIN_LOOKBACK_DAYS,
        `at least ${MIN_LOOKBACK_DAYS}: a forecast drives scaling only once validated on the last day of its history, and 2 days leave no day to validate on`,
      )
      .max(14)
      .default(14),
    /** Quantile of the forecast's upper bound (published as LoadForecastUpper; planned on with `upper`). */
    upperQuantile: z.number().gt(0.5).lt(1).default(0.9),
    /**
     * UTC offset, in hours, of the local time whose Saturday and Sunday are this load's weekend
     * (9 for Tokyo, -8 for California in winter); the forecaster learns weekday and weekend days
     * apart. A fixed offset in quarter hours: daylight saving's hour is within the profile's ±2 h
     * smoothing. Default 0 (the weekend of UTC).
     */
    weekendUtcOffsetHours: z
      .number()
      .min(WEEKEND_UTC_OFFSET_HOURS.min)
      .max(WEEKEND_UTC_OFFSET_HOURS.max)
      .multipleOf(WEEKEND_UTC_OFFSET_HOURS.multipleOf)
      .default(0),
    /**
     * What each block's capacity is planned on (lambdas/core/planning/planning-bound.ts), as in
     * `selfheal backtest --planning-bound`: `block-max`, the point forecast plus the median of the
     * chosen model's block-maximum validation errors; `upper`, the `upperQuantile` upper bound.
     */
    planningBound: z.enum(PLANNING_BOUNDS).default(DEFAULT_PLANNING_BOUND),
    /** Metric period in seconds (the series step). */
    periodSec: z.union([z.literal(60), z.literal(300), z.literal(900), z.literal(3600)]).default(300),
  })
  .strict()
  .refine((t) => t.maxCapacity >= t.minCapacity, {
    message: 'maxCapacity must be at least minCapacity',
    path: ['maxCapacity'],
    // Check the pair even when other fields of the target are wrong, so every problem is listed.
    when: (payload) => bothNumbers(payload.value, 'minCapacity', 'maxCapacity'),
  })
  // Each block's action fires schedulingBufferSec before the block; a buffer of a block or more
  // would fire it at or before the previous block's action, so the planner rejects it at every
  // run (AWS predictive scaling likewise requires SchedulingBufferTime below its 3,600 s block).
  .refine((t) => t.schedulingBufferSec < t.blockMinutes * 60, {
    path: ['schedulingBufferSec'],
    error: (issue) => {
      const minutes = (issue.input as { blockMinutes: number }).blockMinutes;
      return `schedulingBufferSec must be less than one planning block: blockMinutes ${minutes} is ${minutes * 60} s; lower the buffer or lengthen blockMinutes`;
    },
    when: (payload) => bufferAndBlock(payload.value),
  })
  .refine((t) => t.blockMinutes * 60 >= t.periodSec, {
    message: 'blockMinutes must span at least one metric period (periodSec)',
    path: ['blockMinutes'],
  })
  .refine(
    (t) => t.mode !== 'forecastAndScale' || scaledGroupNameProblem(t.autoScalingGroupName) === undefined,
    {
      path: ['autoScalingGroupName'],
      error: (issue) =>
        scaledGroupNameProblem((issue.input as { autoScalingGroupName: string }).autoScalingGroupName),
      when: (payload) => isScaledGroupName(payload.value),
    },
  )
  // A period shorter than the instances' publishing interval leaves most periods empty and the
  // rest holding only the instances that happened to publish in them.
  .refine((t) => t.periodSec >= ec2MonitoringIntervalSec(t.loadMetric), {
    message:
      'periodSec must be at least the instances\' monitoring interval for ASGTotal* metrics (300 with basic monitoring; set loadMetric.instanceMonitoring to "detailed" for 60)',
    path: ['periodSec'],
  });

/**
 * The tag that scopes the forecaster's scheduled-action permissions instead of the groups' names
 * (`predictiveScaling.scaledGroupTag`): the policy allows the groups whose tag `key` has the value
 * `value` (`aws:ResourceTag/<key>`). Both go into the policy, so they keep to characters IAM and
 * Auto Scaling tags both take; `aws:` keys are AWS's own.
 */
export const scaledGroupTagSchema = z
  .object({
    key: z
      .string()
      .regex(
        /^[A-Za-z0-9_.:/=+@-]{1,128}$/,
        'letters, digits and _ . : / = + - @, 1 to 128 characters (the key of a tag on the groups)',
      )
      .refine((key) => !key.toLowerCase().startsWith('aws:'), {
        message: 'must not start with aws:, which AWS keeps for its own tags',
      }),
    value: z
      .string()
      .regex(
        /^[A-Za-z0-9 _.:/=+@-]{1,256}$/,
        'letters, digits, spaces and _ . : / = + - @, 1 to 256 characters',
      ),
  })
  .strict();

export type ScaledGroupTag = z.output<typeof scaledGroupTagSchema>;

export const predictiveScalingSchema = z
  .object({
    /** EventBridge schedule expression of the forecaster runs: hourly (see scheduleProblem). */
    schedule: z
      .string()
      .superRefine((expression, ctx) => {
        const message = scheduleProblem(expression);
        if (message !== undefined) ctx.addIssue({ code: 'custom', message });
      })
      .default('rate(1 hour)'),
    /** CloudWatch namespace for published forecasts; PutMetricData is limited to it. */
    metricNamespace: metricNamespaceSchema.default('SelfHeal/PredictiveScaling'),
    targets: z.array(scalingTargetSchema).max(MAX_TARGETS),
    /**
     * Scope the scheduled-action permissions by this tag on the forecastAndScale groups instead
     * of by their names (which fit the forecaster's role up to a few hundred groups); absent: by
     * name.
     */
    scaledGroupTag: scaledGroupTagSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    addDuplicateIssues(
      ctx,
      p.targets.map((t) => t.id),
      { list: 'targets', field: 'id', what: 'duplicate target id' },
    );
    // Two scaling targets on one group would each see the other's scheduled actions as foreign
    // and fight over the group's minimum.
    const scaledGroups = new Map<string, number>();
    p.targets.forEach((t, i) => {
      if (t.mode !== 'forecastAndScale') return;
      const other = scaledGroups.get(t.autoScalingGroupName);
      if (other !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['targets', i, 'autoScalingGroupName'],
          message: `targets[${other}] already scales this group; one forecastAndScale target per group`,
        });
      } else scaledGroups.set(t.autoScalingGroupName, i);
    });
  });

/**
 * Log retention values CloudWatch Logs accepts, in days: every value of CDK's `RetentionDays`
 * but `INFINITE` (9999, CDK's "never expire", which would drop the retention every log group
 * here has).
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Longest stack name whose shipped documents' names (`<stackName>-<key>`) SSM accepts: 128 in all. */
export const MAX_STACK_NAME_CHARS = 128 - 1 - Math.max(...SHIPPED_DOCUMENTS.map((key) => key.length));

/**
 * Why a stack with remediation rules cannot be named `name`: it deploys the shipped SSM documents
 * as `<stackName>-<key>`, and CreateDocument refuses names over 128 characters and names starting
 * with aws, amazon or amzn (checked in any case, as the synth does); undefined when it can. A stack
 * without rules deploys no document, so only CloudFormation's pattern applies to it.
 */
export function stackNameProblem(name: string): string | undefined {
  const why =
    'with remediation rules, the shipped SSM documents are named <stackName>-<key>, and SSM refuses';
  if (RESERVED_DOCUMENT_PREFIX.test(name)) {
    return `must not start with aws, amazon or amzn: ${why} document names with those prefixes`;
  }
  if (name.length > MAX_STACK_NAME_CHARS) {
    return `must be at most ${MAX_STACK_NAME_CHARS} characters: ${why} document names over 128 characters`;
  }
  return undefined;
}

export const appConfigSchema = z
  .object({
    /**
     * The stack's name (CloudFormation's pattern). With remediation rules it also prefixes the
     * shipped SSM documents' names (`<stackName>-<key>`): see {@link stackNameProblem}.
     */
    stackName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/)
      .default('SelfHeal'),
    logRetentionDays: z
      .number()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
    /**
     * Existing SNS topic the functions' alarms (errors, dead-letter messages) notify. Optional:
     * without it the alarms still change state in CloudWatch but notify no one.
     */
    alarmTopicArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
        'expected an SNS topic ARN: arn:<partition>:sns:<region>:<account>:<topic-name>',
      )
      // A FIFO topic takes only publishes that carry a message group ID, which an alarm action
      // does not send, and delivers only to SQS queues: every alarm would notify no one.
      .refine((arn) => !arn.endsWith('.fifo'), {
        message: 'must be a standard SNS topic: CloudWatch alarm actions cannot notify a FIFO topic',
      })
      .optional(),
    predictiveScaling: predictiveScalingSchema,
    /** Reactive remediation; default: no rules. */
    remediation: remediationSchema.default(remediationSchema.parse({})),
    /** CloudWatch dashboards; default: on, every target graphed. */
    dashboard: dashboardSchema.default(dashboardSchema.parse({})),
  })
  .strict()
  .superRefine((c, ctx) => {
    const problem = c.remediation.rules.length === 0 ? undefined : stackNameProblem(c.stackName);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['stackName'], message: problem });
    const known = new Set(c.predictiveScaling.targets.map((t) => t.id));
    c.dashboard.targetIds?.forEach((id, i) => {
      if (known.has(id)) return;
      ctx.addIssue({
        code: 'custom',
        path: ['dashboard', 'targetIds', i],
        message: 'no predictiveScaling.targets entry has this id; list ids of configured targets',
      });
    });
  });

/** Configuration as written (defaults optional). */
export type AppConfigInput = z.input<typeof appConfigSchema>;
/** Configuration after validation, with every default filled in. */
export type AppConfig = z.output<typeof appConfigSchema>;
export type ScalingTarget = z.output<typeof scalingTargetSchema>;
