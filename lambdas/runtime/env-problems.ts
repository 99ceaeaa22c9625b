import type * as z from 'zod';

/**
 * One line per problem in a Lambda's environment: the variable, the value it had (or "not set")
 * and what is allowed, e.g. `SELFHEAL_SDK_MAX_ATTEMPTS: received "zero"; expected number`.
 * Shared by every handler's cold-start check so they all fail the same readable way.
 */
export function envProblems(
  issues: readonly z.core.$ZodIssue[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return issues.map((issue) => {
    const name = String(issue.path[0] ?? '(environment)');
    const value = env[name];
    return `${name}: ${value === undefined ? 'not set' : `received ${JSON.stringify(value)}`}; ${issue.message}`;
  });
}
