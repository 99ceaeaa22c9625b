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
 * Every problem of `issues`, one line each, as {@link describeIssue} words them; a value that fits
 * one member of a plain union in shape but not in content is reported as that member's problems,
 * each at its own path (see {@link reportedIssues}).
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  raw: unknown,
  wording: IssueWording,
): string[] {
  return issues.flatMap(reportedIssues).map((issue) => describeOne(issue, raw, wording));
}

/**
 * One problem as `path: received <value>; <what is allowed>`, or for an absent value
 * `path: missing; required (<type>)` (a rule of the schema's own keeps its message:
 * `path: missing; resourceLabel is required for …`). Values longer than 80 characters are cut.
 * A value that fits no member of a plain union reads `received <value>; expected <each member>`;
 * one that fits a member's shape reads as that member's first problem, at its own path.
 */
export function describeIssue(issue: z.core.$ZodIssue, raw: unknown, wording: IssueWording): string {
  const [first = issue] = reportedIssues(issue);
  return describeOne(first, raw, wording);
}

function describeOne(issue: z.core.$ZodIssue, raw: unknown, wording: IssueWording): string {
  const where = formatPath(issue.path) || wording.root;
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  const received = valueAt(raw, issue.path);
  if (received === undefined) {
    const why = issue.code === 'custom' ? issue.message : `required (${expectedOf(issue)})`;
    return `${where}: ${wording.absent ?? 'missing'}; ${why}`;
  }
  // zod words a value that fits no member of a union as a bare "Invalid input".
  const allowed =
    issue.code === 'invalid_type' || issue.code === 'invalid_union'
      ? `expected ${expectedOf(issue)}`
      : issue.message;
  return `${where}: received ${truncate(JSON.stringify(received))}; ${allowed}`;
}

/**
 * The issues to report for `issue`. A plain union's value that has the shape of exactly one member
 * (every problem that member found lies inside the value: right type, no unknown field) is meant
 * as that member, so its problems are the ones to fix, e.g. `document.aws: received "AWS-Foo"`
 * rather than `document: received {"aws":"AWS-Foo"}`. Any other issue is reported as itself.
 */
function reportedIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const fitting = issue.errors.filter(
    (branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0),
  );
  const [member] = fitting;
  if (fitting.length !== 1 || member === undefined) return [issue];
  return member.flatMap((inner) => reportedIssues({ ...inner, path: [...issue.path, ...inner.path] }));
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

/**
 * What a value should have been: `string`, `"a" | "b"`, `string | number`, or for a union of
 * objects each member's first field, `{"shipped": "a" | "b"} | {"aws": string}`.
 */
function expectedOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return issue.expected;
  if (issue.code === 'invalid_value') return issue.values.map(literal).join(' | ');
  if (issue.code === 'invalid_union') {
    // A discriminated union names its tags; a plain union, each branch's own expectation.
    if ('options' in issue && issue.options !== undefined) return issue.options.map(literal).join(' | ');
    const branches = issue.errors.flatMap((branch) => {
      const first = branch.find((inner) => inner.code !== 'unrecognized_keys');
      return first === undefined ? [] : [shaped(first.path, expectedOf(first))];
    });
    if (branches.length > 0) return [...new Set(branches)].join(' | ');
  }
  return issue.message;
}

/** `expected` as found at `path` inside a union member: `{"aws": string}`, `[string]`. */
function shaped(path: readonly PropertyKey[], expected: string): string {
  return path.reduceRight<string>(
    (inner, key) => (typeof key === 'number' ? `[${inner}]` : `{${JSON.stringify(String(key))}: ${inner}}`),
    expected,
  );
}

function literal(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function truncate(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 3)}...` : text;
}
