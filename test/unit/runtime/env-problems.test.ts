import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { envProblems } from '../../../lambdas/runtime/env-problems';

const schema = z.object({ TABLE: z.string().min(1), ATTEMPTS: z.coerce.number().int().positive() });

describe('envProblems', () => {
  it('names each variable with its value, or says it is not set', () => {
    const env = { ATTEMPTS: 'lots' };
    const result = schema.safeParse(env);

    const problems = envProblems(result.error?.issues ?? [], env);

    expect(problems).toEqual([
      'TABLE: not set; required (string)',
      'ATTEMPTS: received "lots"; expected number',
    ]);
  });
});
