/**
 * EventBridge event patterns of the remediation engine, derived from the rules at synth time.
 * Pure: the patterns are a coarse pre-filter (fewer invocations); the handlers still match
 * every rule exactly (`?` globs, dimensions, composite alarms).
 */
import type { aws_events as events } from 'aws-cdk-lib';
import {
  AUTOMATION_STATUSES,
  type AutomationStatus,
  automationOutcome,
} from '../../lambdas/core/remediation/automation-event';
import type { AlarmMatch } from '../config/remediation-schema';

/**
 * Automation statuses after which an execution changes no more (the verification handler's input):
 * every status the verification core settles as ended (`automationOutcome`), so the rule never
 * filters out one the handler would act on.
 */
export const TERMINAL_AUTOMATION_STATUSES: readonly AutomationStatus[] = AUTOMATION_STATUSES.filter(
  (status) => automationOutcome(status) !== 'running',
);

/**
 * EventBridge's default "Event pattern size" quota, in characters of the pattern's JSON
 * (adjustable to {@link EVENT_PATTERN_HARD_MAX_CHARS} through Service Quotas).
 */
export const EVENT_PATTERN_DEFAULT_MAX_CHARS = 2048;
/** The largest event pattern EventBridge accepts even with a raised quota. */
export const EVENT_PATTERN_HARD_MAX_CHARS = 4096;

/** Length of the pattern as EventBridge receives it: compact JSON with its own key names. */
export function eventPatternChars(pattern: events.EventPattern): number {
  const { detailType, ...rest } = pattern;
  return JSON.stringify({ ...rest, ...(detailType === undefined ? {} : { 'detail-type': detailType }) })
    .length;
}

/**
 * The longest event pattern allowed: `value` (the `eventPatternMaxChars` prop of the construct at
 * `path`), or the default quota when it is left out; anything but an integer from 1 to
 * {@link EVENT_PATTERN_HARD_MAX_CHARS} fails synth.
 */
export function eventPatternMaxChars(path: string, value: number | undefined): number {
  const max = value ?? EVENT_PATTERN_DEFAULT_MAX_CHARS;
  if (!Number.isInteger(max) || max < 1 || max > EVENT_PATTERN_HARD_MAX_CHARS) {
    throw new Error(
      `${path}: eventPatternMaxChars ${max} is not allowed; use an integer from 1 to ${EVENT_PATTERN_HARD_MAX_CHARS} (EventBridge's largest event pattern), or leave it out for ${EVENT_PATTERN_DEFAULT_MAX_CHARS}`,
    );
  }
  return max;
}

/**
 * Fails synth when the pattern of the rule at `rulePath` is longer than `maxChars`: EventBridge
 * rejects it only at deploy time, after the stack began to change.
 */
export function assertPatternFits(rulePath: string, pattern: events.EventPattern, maxChars: number): void {
  const chars = eventPatternChars(pattern);
  if (chars > maxChars) {
    throw new Error(
      `${rulePath}: its event pattern is ${chars} characters, over the ${maxChars} EventBridge accepts (its "Event pattern size" quota, default ${EVENT_PATTERN_DEFAULT_MAX_CHARS}); give the remediation rules alarmNamePattern values that share prefixes (each distinct pattern, and each rule without one, by its namespace, metricName and dimensions, adds to it), or raise the quota and set eventPatternMaxChars (at most ${EVENT_PATTERN_HARD_MAX_CHARS})`,
    );
  }
}

/** One EventBridge string matcher: exact, prefix or wildcard. */
export type NameMatcher = string | { readonly prefix: string } | { readonly wildcard: string };

/**
 * EventBridge matcher for an alarm-name glob (`*` any run, `?` one character): exact without
 * wildcards, `prefix` for `abc*`, otherwise `wildcard` (EventBridge has no one-character
 * wildcard, so `?` widens to `*`; backslashes are escaped).
 */
export function alarmNameMatcher(glob: string): NameMatcher {
  const collapsed = glob.replace(/\?/g, '*').replace(/\*{2,}/g, '*');
  const firstStar = collapsed.indexOf('*');
  if (firstStar === -1) return glob;
  if (firstStar === collapsed.length - 1) return { prefix: collapsed.slice(0, -1) };
  return { wildcard: collapsed.replace(/\\/g, '\\\\') };
}

/**
 * Pattern for "CloudWatch Alarm State Change" events to `state` from alarms any rule may match
 * (CloudWatch sends one for every state change, INSUFFICIENT_DATA included).
 * Rules with an alarm-name pattern match on `detail.alarmName`; rules without one match on the
 * metric's namespace, name and dimensions (`configuration.metrics[].metricStat.metric`, a
 * dimension by its exact value, or by `{"exists": true}` for `*`), so a rule that gives only
 * dimensions filters on them rather than taking every alarm of the account. Each branch is a
 * superset of what the handlers' matcher accepts: EventBridge may satisfy a branch's fields from
 * different metrics of one alarm, the matcher wants them on one metric.
 *
 * Only alarms of `home` (the stack's account and Region) match: alarm names are unique only
 * within one account and Region, and a default event bus that receives other accounts' events
 * passes them to a rule that matches them
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/events/CloudWatchEvents-CrossAccountEventDelivery.html),
 * so a same-named alarm elsewhere would otherwise reach the handlers (which refuse it too).
 */
export function alarmStatePattern(
  matches: readonly AlarmMatch[],
  state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA',
  home: { readonly account: string; readonly region: string },
): events.EventPattern {
  if (matches.length === 0) throw new Error('alarmStatePattern: no rules; give at least one alarm match');
  const names: NameMatcher[] = [];
  const metricBranches: Record<string, unknown>[] = [];
  let everyAlarm = false;
  for (const m of matches) {
    if (m.alarmNamePattern !== undefined) names.push(alarmNameMatcher(m.alarmNamePattern));
    else if (m.namespace !== undefined || m.metricName !== undefined || m.dimensions !== undefined)
      metricBranches.push(metricBranch(m));
    // The config schema refuses an empty match; were one here, it would match every alarm.
    else everyAlarm = true;
  }
  const branches = [
    ...(names.length > 0 ? [{ alarmName: dedupe(names) }] : []),
    ...dedupeBranches(metricBranches),
  ];
  const filter = everyAlarm ? {} : branches.length === 1 ? branches[0] : { $or: branches };
  return {
    source: ['aws.cloudwatch'],
    detailType: ['CloudWatch Alarm State Change'],
    account: [home.account],
    region: [home.region],
    detail: { ...filter, state: { value: [state] } },
  };
}

/** Pattern for terminal "EC2 Automation Execution Status-change Notification" events of the given documents. */
export function automationStatusPattern(documentNames: readonly string[]): events.EventPattern {
  if (documentNames.length === 0) throw new Error('automationStatusPattern: no documents given');
  return {
    source: ['aws.ssm'],
    detailType: ['EC2 Automation Execution Status-change Notification'],
    detail: { Definition: [...new Set(documentNames)], Status: [...TERMINAL_AUTOMATION_STATUSES] },
  };
}

function metricBranch(m: AlarmMatch): Record<string, unknown> {
  const metric: Record<string, unknown> = {};
  if (m.namespace !== undefined) metric.namespace = [m.namespace];
  if (m.metricName !== undefined) metric.name = [m.metricName];
  const dimensions = Object.entries(m.dimensions ?? {});
  if (dimensions.length > 0) {
    metric.dimensions = Object.fromEntries(
      dimensions.map(([name, value]) => [name, value === '*' ? [{ exists: true }] : [value]]),
    );
  }
  return { configuration: { metrics: { metricStat: { metric } } } };
}

function dedupe(matchers: readonly NameMatcher[]): NameMatcher[] {
  const seen = new Map(matchers.map((m) => [JSON.stringify(m), m]));
  return [...seen.values()];
}

function dedupeBranches(branches: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return [...new Map(branches.map((b) => [JSON.stringify(b), b])).values()];
}
