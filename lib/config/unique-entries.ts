/**
 * The one "no duplicate entries" rule of the configuration schemas: rule ids, target ids, query
 * Ids and dashboard target ids each name one entry, so a repeated one is refused where it repeats,
 * naming the entry that had it first.
 */
import type * as z from 'zod';

/** Where a list's keys sit and how a repeated key is worded. */
export interface UniqueEntries {
  /** The list's field in the object being refined, e.g. `rules`. */
  readonly list: string;
  /** The field of each entry that is its key, e.g. `id`; absent when the entries are the keys. */
  readonly field?: string;
  /** What a repeat is called, e.g. `duplicate rule id`. */
  readonly what: string;
  /** What to do about it, appended after `; ` when given. */
  readonly advice?: string;
}

/**
 * Adds one issue for each of `keys` (the list's keys, in list order) that an earlier entry
 * already has, at the repeat's path (`rules[2].id`, or `targetIds[2]` for a list of keys) and
 * naming the first: `duplicate rule id (also rules[0].id)`. The issue's path names the field, and
 * through it the repeated value (see describeIssue in ./zod-paths).
 */
export function addDuplicateIssues(
  ctx: z.core.$RefinementCtx,
  keys: readonly string[],
  where: UniqueEntries,
): void {
  const field = where.field === undefined ? [] : [where.field];
  const fieldText = where.field === undefined ? '' : `.${where.field}`;
  const seen = new Map<string, number>();
  keys.forEach((key, i) => {
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return;
    }
    const also = `${where.list}[${first}]${fieldText}`;
    ctx.addIssue({
      code: 'custom',
      path: [where.list, i, ...field],
      message: `${where.what} (also ${also})${where.advice === undefined ? '' : `; ${where.advice}`}`,
    });
  });
}
