import type * as z from 'zod';
import { describeIssues } from '../../lib/config/zod-paths';

/**
 * One line per problem in a Lambda's environment: the variable, the value it had (or "not set")
 * and what is allowed, e.g. `SELFHEAL_SDK_MAX_ATTEMPTS: received "zero"; expected number`.
 * Shared by every handler's cold-start check so they all fail the same readable way. The wording
 * is the config's and the events' (`describeIssues`), except that an absent variable is "not set".
 */
export function envProblems(
  issues: readonly z.core.$ZodIssue[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return describeIssues(issues, env, { root: '(environment)', absent: 'not set' });
}
