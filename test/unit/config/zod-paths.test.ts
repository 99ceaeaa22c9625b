import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { describeIssue, describeIssues } from '../../../lib/config/zod-paths';

const schema = z.strictObject({
  name: z.string(),
  size: z.number().int().positive(),
  mode: z.enum(['fast', 'safe']),
  metric: z.discriminatedUnion('type', [
    z.object({ type: z.literal('a') }),
    z.object({ type: z.literal('b'), label: z.string().optional() }).refine((m) => m.label !== undefined, {
      message: 'label is required for type b',
      path: ['label'],
    }),
  ]),
  tags: z.array(z.union([z.string(), z.number()])),
});

/** The first problem `describeIssue` reports for `raw`. */
function firstProblem(raw: unknown, wording: { root: string; absent?: string } = { root: '(top level)' }) {
  const result = schema.safeParse(raw);
  const issue = result.error?.issues[0];
  if (issue === undefined) throw new Error('expected a problem');
  return describeIssue(issue, raw, wording);
}

const valid = { name: 'n', size: 1, mode: 'fast', metric: { type: 'a' }, tags: ['t'] };

describe('describeIssue', () => {
  it.each([
    ['a missing string', { ...valid, name: undefined }, 'name: missing; required (string)'],
    ['a missing enum', { ...valid, mode: undefined }, 'mode: missing; required ("fast" | "safe")'],
    ['a missing union tag', { ...valid, metric: {} }, 'metric.type: missing; required ("a" | "b")'],
    [
      'a missing union member',
      { ...valid, tags: [undefined] },
      'tags[0]: missing; required (string | number)',
    ],
    [
      'a field a rule of the schema requires',
      { ...valid, metric: { type: 'b' } },
      'metric.label: missing; label is required for type b',
    ],
    ['the whole input missing', undefined, '(top level): missing; required (object)'],
  ])('names the field and says it is required for %s', (_case, raw, expected) => {
    expect(firstProblem(raw)).toBe(expected);
  });

  it.each([
    ['a wrong type', { ...valid, size: 'big' }, 'size: received "big"; expected number'],
    ['a failed check', { ...valid, size: -1 }, 'size: received -1; Too small: expected number to be >0'],
    ['an unknown field', { ...valid, colour: 'red' }, '(top level): unknown field(s) "colour"'],
  ])('names the field and the value for %s', (_case, raw, expected) => {
    expect(firstProblem(raw)).toBe(expected);
  });

  it('cuts a long value to 80 characters', () => {
    const problem = firstProblem({ ...valid, size: 'x'.repeat(200) });

    expect(problem).toBe(`size: received "${'x'.repeat(76)}...; expected number`);
  });

  it('words an absent value and the top level as the input kind says', () => {
    expect(firstProblem({ ...valid, name: undefined }, { root: '(environment)', absent: 'not set' })).toBe(
      'name: not set; required (string)',
    );
    expect(firstProblem(7, { root: '(event)' })).toBe('(event): received 7; expected object');
  });

  it('names each member a value fitting no member of a plain union could have been', () => {
    expect(firstProblem({ ...valid, tags: [true] })).toBe('tags[0]: received true; expected string | number');
  });

  it('names the discriminator values when a tag fits no member', () => {
    expect(firstProblem({ ...valid, metric: { type: 'c' } })).toBe(
      'metric.type: received "c"; expected "a" | "b"',
    );
  });
});

describe('describeIssues on a plain union of objects', () => {
  const union = z.strictObject({
    doc: z.union([
      z.strictObject({ shipped: z.enum(['x', 'y']) }),
      z.strictObject({ aws: z.enum(['AWS-A']), version: z.number().optional() }),
    ]),
  });

  function problems(raw: unknown): string[] {
    const result = union.safeParse(raw);
    return describeIssues(result.error?.issues ?? [], raw, { root: '(top level)' });
  }

  it.each([
    [
      'a value fitting no member',
      { doc: { shiped: 'x' } },
      ['doc: received {"shiped":"x"}; expected {"shipped": "x" | "y"} | {"aws": "AWS-A"}'],
    ],
    ['a value of another type', { doc: 'x' }, ['doc: received "x"; expected object']],
    ['a missing value', {}, ['doc: missing; required (object)']],
  ])('says what each member takes for %s', (_case, raw, expected) => {
    expect(problems(raw)).toEqual(expected);
  });

  it('reports a value with one member’s fields as that member’s problems, each at its own path', () => {
    const raw = { doc: { aws: 'AWS-B', version: 'latest' } };

    expect(problems(raw)).toEqual([
      'doc.aws: received "AWS-B"; Invalid input: expected "AWS-A"',
      'doc.version: received "latest"; expected number',
    ]);
    const [issue] = union.safeParse(raw).error?.issues ?? [];
    if (issue === undefined) throw new Error('expected a problem');
    expect(describeIssue(issue, raw, { root: '(top level)' })).toBe(
      'doc.aws: received "AWS-B"; Invalid input: expected "AWS-A"',
    );
  });
});
