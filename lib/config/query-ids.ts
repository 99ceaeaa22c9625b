/**
 * The query ids of a custom load metric as GetMetricData receives them. The forecaster reads many
 * targets in one call, so it prefixes each target's ids (and rewrites its expressions to match);
 * the config schema checks that what it will send still fits the API's limits, and the dashboard
 * finds the ids an expression uses. Pure: no SDK, no CDK.
 */

/** Most targets a configuration may list (`predictiveScaling.targets`). */
export const MAX_TARGETS = 5000;

/**
 * The prefix that keeps the ids of the target at `index` (its place in the configuration) apart
 * from those of other targets sharing its GetMetricData call.
 */
export function sharedCallPrefix(index: number): string {
  return `t${index}_`;
}

/** The longest prefix an id can get: that of the last target the configuration may list. */
export const LONGEST_SHARED_CALL_PREFIX = sharedCallPrefix(MAX_TARGETS - 1);

/** A single- or double-quoted string literal of metric math, captured so `split` keeps it. */
const QUOTED = /('[^']*'|"[^"]*")/;

/**
 * `expression` with every whole-word use of a query id in `ids` replaced by `rename(id)`, in one
 * pass: a renamed id is not read again, so `m1` renamed `t3_m1` is never taken for an id
 * `t3_m1` of the same metric. Quoted text (a SEARCH string, a dimension value) names metrics, not
 * queries: it is left as written.
 */
export function renameQueryIds(
  expression: string,
  ids: readonly string[],
  rename: (id: string) => string,
): string {
  if (ids.length === 0) return expression;
  // Ids are letters, digits and _ (the config schema), so they need no escaping.
  const anyId = new RegExp(`\\b(?:${ids.join('|')})\\b`, 'g');
  return expression
    .split(QUOTED)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(anyId, (id) => rename(id))))
    .join('');
}

/** The ids of `ids` that `expression` uses outside quoted text, in the order of `ids`. */
export function queryIdsUsed(expression: string, ids: readonly string[]): string[] {
  const used = new Set<string>();
  renameQueryIds(expression, ids, (id) => {
    used.add(id);
    return id;
  });
  return ids.filter((id) => used.has(id));
}
