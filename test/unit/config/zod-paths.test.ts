import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { describeIssue } from '../../../lib/config/zod-paths';

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
});
