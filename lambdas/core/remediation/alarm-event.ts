/**
 * "CloudWatch Alarm State Change" events as EventBridge delivers them (source `aws.cloudwatch`),
 * after the samples in the CloudWatch User Guide, "Alarm events and EventBridge": single-metric,
 * metric-math and anomaly-detection alarms carry `configuration.metrics`; composite alarms carry
 * `configuration.alarmRule` instead. Fields the engine relies on are required; so are the parts
 * of `muteDetail` (an alarm mute rule muting the alarm's actions) and of
 * `state.actionsSuppressedBy` (a composite alarm's actions suppressed by its actions suppressor)
 * when they are present, as decide() refuses to act on a muted or suppressed alarm. Any other
 * field AWS adds is accepted and dropped.
 */
import * as z from 'zod';
import { alarmTimestampProblem } from './alarm-timestamp';

export const ALARM_SOURCE = 'aws.cloudwatch';
export const ALARM_DETAIL_TYPE = 'CloudWatch Alarm State Change';

/** The three states a CloudWatch alarm can be in. */
export const ALARM_STATE_VALUES = ['ALARM', 'OK', 'INSUFFICIENT_DATA'] as const;
export type AlarmStateValue = (typeof ALARM_STATE_VALUES)[number];

// CloudWatch writes `2019-10-02T17:04:40.989+0000` (no colon in the offset), so not z.iso.datetime;
// a date or time that does not exist (month 13, February 30, 24:00) is refused, naming the part.
const timestamp = z.string().superRefine((text, ctx) => {
  const problem = alarmTimestampProblem(text);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * Why a composite alarm's actions are suppressed (CompositeAlarm.ActionsSuppressedBy in the
 * CloudWatch API Reference): its suppressor alarm is in ALARM, or the composite alarm waits for it
 * to go there (WaitPeriod) or after it left (ExtensionPeriod).
 */
export const ACTIONS_SUPPRESSED_BY_VALUES = ['WaitPeriod', 'ExtensionPeriod', 'Alarm'] as const;
export type ActionsSuppressedBy = (typeof ACTIONS_SUPPRESSED_BY_VALUES)[number];

const stateSchema = z.object({
  value: z.enum(ALARM_STATE_VALUES, { error: `expected ${ALARM_STATE_VALUES.join(' | ')}` }),
  reason: z.string(),
  reasonData: z.string().optional(),
  timestamp,
  actionsSuppressedBy: z
    .enum(ACTIONS_SUPPRESSED_BY_VALUES, { error: `expected ${ACTIONS_SUPPRESSED_BY_VALUES.join(' | ')}` })
    .optional(),
  actionsSuppressedReason: z.string().optional(),
});

/** The alarm mute rule muting the alarm's actions, and the window it mutes (`detail.muteDetail`). */
const muteDetailSchema = z.object({
  mutedByArn: z.string().min(1),
  muteWindowStart: timestamp,
  muteWindowEnd: timestamp,
});

const metricSchema = z
  .object({
    id: z.string().min(1),
    metricStat: z
      .object({
        metric: z.object({
          namespace: z.string().min(1),
          name: z.string().min(1),
          dimensions: z.record(z.string(), z.string()).optional(),
        }),
        period: z.number(),
        stat: z.string().min(1),
      })
      .optional(),
    expression: z.string().min(1).optional(),
    label: z.string().optional(),
    returnData: z.boolean().optional(),
  })
  .refine((m) => (m.metricStat === undefined) !== (m.expression === undefined), {
    message: 'expected exactly one of metricStat or expression',
  });

const configurationSchema = z
  .object({
    description: z.string().optional(),
    metrics: z.array(metricSchema).min(1).optional(),
    alarmRule: z.string().min(1).optional(),
    actionsSuppressor: z.string().min(1).optional(),
  })
  .refine((c) => (c.metrics === undefined) !== (c.alarmRule === undefined), {
    message: 'expected metrics (metric alarm) or alarmRule (composite alarm), not both or neither',
  });

/** zod schema of the whole event; unknown fields are tolerated (AWS adds fields over time). */
export const alarmEventSchema = z.object({
  version: z.string().optional(),
  id: z.string().min(1),
  'detail-type': z.literal(ALARM_DETAIL_TYPE),
  source: z.literal(ALARM_SOURCE),
  account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
  time: z.iso.datetime({ error: 'expected an ISO 8601 UTC time' }),
  region: z.string().min(1),
  resources: z.array(z.string()),
  detail: z.object({
    alarmName: z.string().min(1),
    state: stateSchema,
    previousState: stateSchema,
    configuration: configurationSchema,
    muteDetail: muteDetailSchema.optional(),
  }),
});

/** One entry of the alarm's metrics: a metric (metricStat) or a math expression. */
export interface AlarmMetric {
  readonly id: string;
  readonly metricStat?: {
    readonly metric: {
      readonly namespace: string;
      readonly name: string;
      readonly dimensions?: Readonly<Record<string, string>>;
    };
    readonly period: number;
    readonly stat: string;
  };
  readonly expression?: string;
  readonly label?: string;
  readonly returnData?: boolean;
}

export interface AlarmState {
  readonly value: AlarmStateValue;
  readonly reason: string;
  readonly timestamp: string;
  /** A composite alarm whose actions are suppressed in this state, and why. */
  readonly actionsSuppressedBy?: ActionsSuppressedBy;
  readonly actionsSuppressedReason?: string;
}

/** `detail.muteDetail`: the alarm mute rule that mutes the alarm's actions, and its window. */
export interface AlarmMute {
  readonly mutedByArn: string;
  /** CloudWatch's timestamps, as written (e.g. `2026-01-01T10:00:00.000+0000`). */
  readonly muteWindowStart: string;
  readonly muteWindowEnd: string;
}

/** A parsed alarm state change, flattened to what the engine uses. */
export interface AlarmStateChange {
  readonly kind: 'alarmStateChange';
  /** EventBridge event id: the idempotency key of the alarm side. */
  readonly eventId: string;
  readonly account: string;
  readonly region: string;
  /** Event time, ISO 8601 UTC. */
  readonly time: string;
  readonly alarmName: string;
  /** The alarm's ARN (`resources[0]`), when EventBridge gave one. */
  readonly alarmArn?: string;
  /** `composite` alarms have an `alarmRule` and no metrics. */
  readonly alarmType: 'metric' | 'composite';
  readonly state: AlarmState;
  readonly previousState: AlarmState;
  readonly metrics: readonly AlarmMetric[];
  readonly alarmRule?: string;
  /** The suppressor alarm of a composite alarm (`configuration.actionsSuppressor`). */
  readonly actionsSuppressor?: string;
  readonly muteDetail?: AlarmMute;
  readonly description?: string;
}

/** Maps a schema-valid event to {@link AlarmStateChange}. */
export function toAlarmStateChange(e: z.output<typeof alarmEventSchema>): AlarmStateChange {
  const { detail } = e;
  const pick = (s: z.output<typeof stateSchema>): AlarmState => ({
    value: s.value,
    reason: s.reason,
    timestamp: s.timestamp,
    ...(s.actionsSuppressedBy === undefined ? {} : { actionsSuppressedBy: s.actionsSuppressedBy }),
    ...(s.actionsSuppressedReason === undefined
      ? {}
      : { actionsSuppressedReason: s.actionsSuppressedReason }),
  });
  return {
    kind: 'alarmStateChange',
    eventId: e.id,
    account: e.account,
    region: e.region,
    time: e.time,
    alarmName: detail.alarmName,
    ...(e.resources[0] === undefined ? {} : { alarmArn: e.resources[0] }),
    alarmType: detail.configuration.alarmRule === undefined ? 'metric' : 'composite',
    state: pick(detail.state),
    previousState: pick(detail.previousState),
    metrics: detail.configuration.metrics ?? [],
    ...(detail.configuration.alarmRule === undefined ? {} : { alarmRule: detail.configuration.alarmRule }),
    ...(detail.configuration.actionsSuppressor === undefined
      ? {}
      : { actionsSuppressor: detail.configuration.actionsSuppressor }),
    ...(detail.muteDetail === undefined ? {} : { muteDetail: detail.muteDetail }),
    ...(detail.configuration.description === undefined
      ? {}
      : { description: detail.configuration.description }),
  };
}
