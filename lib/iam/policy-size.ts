/**
 * IAM's size quotas for policies, and the count IAM makes against them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). Pure: no CDK.
 */

/** Most characters in one customer-managed policy document (white space not counted). */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/**
 * Managed policies attached to one role: IAM's default quota (it can be raised to 20 through
 * Service Quotas, which a synth cannot see).
 */
export const DEFAULT_MANAGED_POLICIES_PER_ROLE = 10;

/**
 * Characters IAM counts for a policy document: its JSON without white space. A character above
 * U+007F is counted as its 6-character `\uXXXX` escape, in case CloudFormation sends it escaped,
 * so the count never falls short.
 */
export function policyChars(document: unknown): number {
  const json = JSON.stringify(document);
  let chars = json.length;
  for (const c of json) if (c > '\u007f') chars += 5;
  return chars;
}

/**
 * `items` split, in order, into as few consecutive parts as keep each part's size at or under
 * `max`, where a part's size is `base` plus its items' sizes plus `separator` between two items
 * (a JSON array: `base` holds the empty array, each item its quoted JSON, `separator` the comma).
 * Throws when one item alone does not fit.
 */
export function packInOrder<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  sizes: { readonly base: number; readonly separator: number; readonly max: number },
): T[][] {
  const parts: T[][] = [];
  let current: T[] = [];
  let used = sizes.base;
  for (const item of items) {
    const size = sizeOf(item);
    if (sizes.base + size > sizes.max) {
      throw new Error(`an item of ${size} characters does not fit in ${sizes.max - sizes.base}`);
    }
    if (current.length > 0 && used + sizes.separator + size > sizes.max) {
      parts.push(current);
      current = [];
      used = sizes.base;
    }
    used += (current.length === 0 ? 0 : sizes.separator) + size;
    current.push(item);
  }
  if (current.length > 0) parts.push(current);
  return parts;
}
