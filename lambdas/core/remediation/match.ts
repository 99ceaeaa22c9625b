/**
 * Which rule applies to an alarm and which resource it acts on.
 *
 * Matching: every field a rule's `match` gives must hold (AND). The name is a glob (`*` any run,
 * `?` one Unicode character, case-sensitive like alarm names). Namespace, metric name and dimensions must
 * all hold for one and the same metric of `configuration.metrics` (for metric math, any metric
 * feeding the expression; expressions themselves have none). Composite alarms have no metrics,
 * so they match only rules that give nothing but `alarmNamePattern`.
 * Rules are tried in configuration order and the first match wins, so list specific rules first.
 */
import type { RemediationRule } from '../../../lib/config/remediation-schema';
import type { AlarmMetric, AlarmStateChange } from './alarm-event';

/** Why each rule did or did not match, in configuration order (for records and `explain`). */
export interface RuleEvaluation {
  readonly ruleId: string;
  readonly matched: boolean;
  readonly reason: string;
}

/** The winning rule, every metric of the alarm it matched (none for name-only rules) and every evaluation. */
export interface RuleMatch {
  readonly rule?: RemediationRule;
  readonly metrics?: readonly AlarmMetric[];
  readonly evaluations: readonly RuleEvaluation[];
}

/** Finds the first rule matching `alarm`; evaluations stop at the winner. */
export function matchRule(alarm: AlarmStateChange, rules: readonly RemediationRule[]): RuleMatch {
  const evaluations: RuleEvaluation[] = [];
  for (const rule of rules) {
    const result = matchOne(alarm, rule);
    evaluations.push({ ruleId: rule.id, matched: result.matched, reason: result.reason });
    if (result.matched) {
      return { rule, ...(result.metrics === undefined ? {} : { metrics: result.metrics }), evaluations };
    }
  }
  return { evaluations };
}

interface OneMatch {
  readonly matched: boolean;
  readonly reason: string;
  readonly metrics?: readonly AlarmMetric[];
}

function matchOne(alarm: AlarmStateChange, rule: RemediationRule): OneMatch {
  const { alarmNamePattern, namespace, metricName, dimensions } = rule.match;
  if (alarmNamePattern !== undefined && !globToRegExp(alarmNamePattern).test(alarm.alarmName)) {
    return { matched: false, reason: `alarm name "${alarm.alarmName}" does not match "${alarmNamePattern}"` };
  }
  const wantsMetric = namespace !== undefined || metricName !== undefined || dimensions !== undefined;
  if (!wantsMetric) return { matched: true, reason: `alarm name matches "${alarmNamePattern}"` };
  if (alarm.alarmType === 'composite') {
    return { matched: false, reason: 'composite alarm has no metrics; only name-only rules match it' };
  }
  // Every matching metric, not the first: metric math over several resources must not be
  // resolved to whichever of them comes first (see resolveResource).
  const metrics = alarm.metrics.filter((m) => metricMatches(m, rule));
  const [metric] = metrics;
  if (metric === undefined) {
    const wanted = [namespace, metricName].filter((x) => x !== undefined).join('/');
    const dims = dimensions === undefined ? '' : ` with dimensions ${JSON.stringify(dimensions)}`;
    return { matched: false, reason: `no metric of the alarm is ${wanted || 'a metric'}${dims}` };
  }
  const stat = metric.metricStat?.metric;
  return {
    matched: true,
    reason: `metric ${stat?.namespace}/${stat?.name} (id ${metric.id}) matches${metrics.length > 1 ? ` (and ${metrics.length - 1} more)` : ''}`,
    metrics,
  };
}

function metricMatches(m: AlarmMetric, rule: RemediationRule): boolean {
  const metric = m.metricStat?.metric;
  if (metric === undefined) return false;
  const { namespace, metricName, dimensions } = rule.match;
  if (namespace !== undefined && metric.namespace !== namespace) return false;
  if (metricName !== undefined && metric.name !== metricName) return false;
  return Object.entries(dimensions ?? {}).every(([name, want]) => {
    const have = metric.dimensions?.[name];
    return have !== undefined && (want === '*' || have === want);
  });
}

/**
 * Compiles a glob (`*`, `?`) to an anchored RegExp; every other character is literal. Compiled
 * with the `u` flag, so `?` is one code point: an alarm name may hold characters outside the
 * Basic Multilingual Plane (an emoji is two UTF-16 code units), and EventBridge's `*` (what `?`
 * widens to in the event pattern) delivers them. `u` refuses needless escapes, so only syntax
 * characters are escaped.
 */
export function globToRegExp(glob: string): RegExp {
  const body = Array.from(glob, (c) => {
    if (c === '*') return '.*';
    if (c === '?') return '.';
    return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }).join('');
  return new RegExp(`^${body}$`, 'su');
}

/**
 * The resource a remediation acts on. Type `unresolved` is no resource: it stands in, in the
 * ledger and the escalation, for the one a matched alarm did not name (./unresolved-resource).
 */
export interface ResolvedResource {
  readonly type: 'instance' | 'autoScalingGroup' | 'other' | 'unresolved';
  readonly id: string;
  /** Dimensions of the matched metric (empty for fixed resources and composite alarms). */
  readonly dimensions: Readonly<Record<string, string>>;
}

/**
 * A resolved resource, or why none could be found: the dimension the rule takes it from and the
 * values the alarm's metrics gave it (none, or several); the alarm then causes no action.
 */
export type ResourceResolution =
  | { readonly ok: true; readonly resource: ResolvedResource }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly dimension: string;
      /** The distinct non-empty values found (several), or none (the dimension missing or empty). */
      readonly values: readonly string[];
    };

/**
 * Resolves the rule's resource: a fixed one, or the value of a dimension of the metrics the rule
 * matched (for a name-only rule, of every metric of the alarm). An empty value names nothing:
 * the alarm then causes no action, and the reason says the dimension is empty. When those metrics
 * name more than one resource (metric math over several instances), the event does not say which
 * of them crossed the threshold, so none is picked: the reason names the dimension and each value.
 */
export function resolveResource(
  rule: RemediationRule,
  alarm: AlarmStateChange,
  matched?: readonly AlarmMetric[],
): ResourceResolution {
  const sel = rule.resource;
  if (sel.from === 'fixed') return { ok: true, resource: { type: sel.type, id: sel.id, dimensions: {} } };
  const candidates = matched === undefined || matched.length === 0 ? alarm.metrics : matched;
  const valueIn = (m: AlarmMetric) => m.metricStat?.metric.dimensions?.[sel.dimension];
  // A metric with the dimension empty names nothing; the others must all name the same resource.
  const named = candidates.filter((m) => (valueIn(m) ?? '') !== '');
  const ids = [...new Set(named.map((m) => valueIn(m) ?? ''))];
  if (ids.length > 1) {
    const each = named.map((m) => `${valueIn(m)} (metric ${m.id})`).join(', ');
    return {
      ok: false,
      dimension: sel.dimension,
      values: ids,
      reason: `rule ${rule.id} takes the resource from dimension ${sel.dimension}, but the metrics of alarm "${alarm.alarmName}" name ${ids.length} different values: ${each}; the alarm does not say which crossed the threshold, so nothing is acted on (pin the rule to one metric, or give a fixed resource)`,
    };
  }
  const source = named[0] ?? candidates.find((m) => valueIn(m) !== undefined);
  const dimensions = source?.metricStat?.metric.dimensions ?? {};
  const id = dimensions[sel.dimension];
  if (id === undefined || id === '') {
    const why =
      id === ''
        ? `but the dimension is empty ("") in alarm "${alarm.alarmName}"`
        : `but alarm "${alarm.alarmName}" has none (${alarm.alarmType === 'composite' ? 'composite alarm has no dimensions' : 'no such dimension'})`;
    return {
      ok: false,
      dimension: sel.dimension,
      values: [],
      reason: `rule ${rule.id} takes the resource from dimension ${sel.dimension}, ${why}; nothing to act on`,
    };
  }
  const type = sel.dimension === 'InstanceId' ? 'instance' : 'autoScalingGroup';
  return { ok: true, resource: { type, id, dimensions } };
}
