import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { addDuplicateIssues, type UniqueEntries } from '../../../lib/config/unique-entries';
import { describeIssue } from '../../../lib/config/zod-paths';

/**
 * The problems `addDuplicateIssues` reports for `raw`, worded as the config errors word them:
 * `names` is a list of keys; `items`, checked when `where.field` is set, entries keyed by `id`.
 */
function problemsOf(raw: unknown, where: UniqueEntries) {
  const schema = z
    .object({ items: z.array(z.object({ id: z.string() })), names: z.array(z.string()) })
    .superRefine((o, ctx) =>
      addDuplicateIssues(ctx, where.field === undefined ? o.names : o.items.map((item) => item.id), where),
    );
  const result = schema.safeParse(raw);
  return (result.error?.issues ?? []).map((issue) => describeIssue(issue, raw, { root: '(top level)' }));
}

describe('addDuplicateIssues', () => {
  it('reports nothing when every key is unique', () => {
    const raw = { items: [{ id: 'a' }, { id: 'b' }], names: ['a', 'b'] };
    expect(problemsOf(raw, { list: 'items', field: 'id', what: 'duplicate id' })).toEqual([]);
    expect(problemsOf(raw, { list: 'names', what: 'listed twice' })).toEqual([]);
  });

  it('names the repeated field, its value and the first entry that has it', () => {
    const raw = { items: [{ id: 'a' }, { id: 'b' }, { id: 'a' }], names: [] };
    expect(problemsOf(raw, { list: 'items', field: 'id', what: 'duplicate id' })).toEqual([
      'items[2].id: received "a"; duplicate id (also items[0].id)',
    ]);
  });

  it('names the entry itself in a list of keys, and appends the advice', () => {
    const raw = { items: [], names: ['x', 'y', 'y'] };
    const where = { list: 'names', what: 'listed twice', advice: 'list each name once' };
    expect(problemsOf(raw, where)).toEqual([
      'names[2]: received "y"; listed twice (also names[1]); list each name once',
    ]);
  });

  it('reports every repeat against the first entry, not the previous repeat', () => {
    const raw = { items: [{ id: 'a' }, { id: 'a' }, { id: 'b' }, { id: 'a' }, { id: 'b' }], names: [] };
    expect(problemsOf(raw, { list: 'items', field: 'id', what: 'duplicate id' })).toEqual([
      'items[1].id: received "a"; duplicate id (also items[0].id)',
      'items[3].id: received "a"; duplicate id (also items[0].id)',
      'items[4].id: received "b"; duplicate id (also items[2].id)',
    ]);
  });
});
