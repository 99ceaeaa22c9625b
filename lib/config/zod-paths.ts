/**
 * Turning a zod issue into one line that names the field and the value: the one wording shared by
 * the app config, the alarm and automation events and the Lambda environment check, so that a
 * missing required field reads the same everywhere.
 */
import type * as z from 'zod';

/** Longest value quoted in a problem line, so one bad field cannot flood a log line. */
const MAX_VALUE_CHARS = 80;

/** How one kind of input names its top level and an absent value. */
export interface IssueWording {
  /** Stands for the path when the issue is about the whole input, e.g. `(top level)`. */
  readonly root: string;
  /** Says that the value is absent; default `missing` (environment variables are `not set`). */
  readonly absent?: string;
}

/**
 * One problem as `path: received <value>; <what is allowed>`, or for an absent value
 * `path: missing; required (<type>)` (a rule of the schema's own keeps its message:
 * `path: missing; resourceLabel is required for …`). Values longer than 80 characters are cut.
 */
export function describeIssue(issue: z.core.$ZodIssue, raw: unknown, wording: IssueWording): string {
  const where = formatPath(issue.path) || wording.root;
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  const received = valueAt(raw, issue.path);
  if (received === undefined) {
    const why = issue.code === 'custom' ? issue.message : `required (${expectedOf(issue)})`;
    return `${where}: ${wording.absent ?? 'missing'}; ${why}`;
  }
  const allowed = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
  return `${where}: received ${truncate(JSON.stringify(received))}; ${allowed}`;
}

/** `a.b[2].c` from a zod issue path. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc === '' ? String(key) : `${acc}.${String(key)}`;
  }, '');
}

/** The value at `path` in `raw`, or undefined where the path leaves the input. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = raw;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** What an absent value should have been: `string`, `"a" | "b"`, `string | number`. */
function expectedOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return issue.expected;
  if (issue.code === 'invalid_value') return issue.values.map(literal).join(' | ');
  if (issue.code === 'invalid_union') {
    // A discriminated union names its tags; a plain union, each branch's own expectation.
    if ('options' in issue && issue.options !== undefined) return issue.options.map(literal).join(' | ');
    const branches = issue.errors.flatMap((branch) =>
      branch[0] === undefined ? [] : [expectedOf(branch[0])],
    );
    if (branches.length > 0) return [...new Set(branches)].join(' | ');
  }
  return issue.message;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function truncate(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 3)}...` : text;
}
