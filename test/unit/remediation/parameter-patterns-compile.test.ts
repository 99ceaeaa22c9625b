/**
 * The engine compiles each loaded pattern set once: the handler loads the set at cold start and
 * every event after reuses its RegExps. Counted through the one function that compiles them.
 */
import { describe, expect, it, vi } from 'vitest';
import { rejectedParameter } from '../../../lambdas/core/remediation/parameter-patterns';
import { allowedPatternRegExp } from '../../../lib/config/document-patterns';
import { configWith, DISK_RULE, ENGINE } from './helpers';

vi.mock('../../../lib/config/document-patterns', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../lib/config/document-patterns')>();
  return { ...original, allowedPatternRegExp: vi.fn(original.allowedPatternRegExp) };
});

const rule = () => {
  const [first] = configWith([DISK_RULE]).rules;
  if (first === undefined) throw new Error('fixture: no rule');
  return first;
};
const params = (instanceId: string) => ({
  InstanceId: [instanceId],
  Directory: ['/var/log/app/'],
  OlderThanDays: ['7'],
});
/** A freshly loaded copy of the shipped patterns, as a cold start parses them. */
const loaded = () => structuredClone(ENGINE.documentPatterns);

describe('rejectedParameter', () => {
  it("compiles a loaded set's patterns once, whatever the number of events", () => {
    const compile = vi.mocked(allowedPatternRegExp);
    const patterns = loaded();
    const declared = Object.keys(patterns['cleanup-directory']).length;
    compile.mockClear();

    const results = ['i-0123456789abcdef0', 'i-0abc; rm -rf /', 'i-0fedcba9876543210'].map((id) =>
      rejectedParameter(rule(), params(id), patterns),
    );

    expect(compile).toHaveBeenCalledTimes(declared);
    // The shared RegExps keep no state between events: each value is judged on its own.
    expect(results).toEqual([
      undefined,
      expect.stringMatching(/^parameters\.InstanceId: resolved to "i-0abc; rm -rf \/"/),
      undefined,
    ]);
  });

  it('compiles a newly loaded set afresh, and still judges by it', () => {
    const compile = vi.mocked(allowedPatternRegExp);
    const first = loaded();
    rejectedParameter(rule(), params('i-0123456789abcdef0'), first);
    const reloaded = loaded();
    const second = {
      ...reloaded,
      'cleanup-directory': { ...reloaded['cleanup-directory'], InstanceId: '^i-0{17}$' },
    };
    compile.mockClear();

    const rejected = rejectedParameter(rule(), params('i-0123456789abcdef0'), second);

    expect(compile).toHaveBeenCalledTimes(Object.keys(second['cleanup-directory']).length);
    expect(rejected).toMatch(
      /^parameters\.InstanceId: resolved to "i-0123456789abcdef0", which the allowedPattern \^i-0\{17\}\$/,
    );
  });
});
