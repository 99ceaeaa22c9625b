/**
 * What `reset-rule` found and did, checked and rendered: the rule's freeze item as read before
 * any write, and the outcome (reset, or nothing to reset).
 */
import type { RuleFreeze } from '../lambdas/core/remediation/ledger';
import { CliUsageError } from './errors';
import { printableLines } from './printable';
import { isoUtc } from './table';

/** What `reset-rule` reports (`--json` prints it as is). */
export type ResetRuleResult = {
  readonly table: string;
  readonly ruleId: string;
  /** The freeze item before the command; absent when the ledger holds none for the rule. */
  readonly before: RuleFreeze | undefined;
  /** Failed verifications recorded since `sinceSec`: the last reset, or 0 (all the ledger keeps). */
  readonly failedSinceLastReset: number;
  readonly sinceSec: number;
} & (
  | { readonly outcome: 'notFrozen' }
  | {
      readonly outcome: 'reset';
      readonly by: string;
      /** The item read back after the reset, or why it could not be (the reset was written). */
      readonly after: { readonly freeze: RuleFreeze | undefined } | { readonly error: string };
    }
);

/**
 * The freeze item as the engine reads it, its fields checked: the engine acts on `frozen === true`
 * and counts failures from `resetAtSec`, so a value of another type would be misread. A
 * malformed item is a usage error naming the key, the field and the value; nothing is written.
 */
export function checkedFreeze(
  freeze: RuleFreeze | undefined,
  ruleId: string,
  table: string,
): RuleFreeze | undefined {
  if (freeze === undefined) return undefined;
  const item: Record<string, unknown> = { ...freeze };
  const problem =
    wrongType(item, 'frozen', 'boolean', true) ??
    wrongType(item, 'reason', 'string', true) ??
    wrongType(item, 'frozenAtSec', 'number', true) ??
    wrongType(item, 'resetBy', 'string', false) ??
    wrongType(item, 'resetAtSec', 'number', false);
  if (problem !== undefined) {
    throw new CliUsageError(
      `ledger item pk=RULE#${ruleId} sk=FREEZE in ${table} is malformed: ${problem}; nothing was written (fix the item, or delete it to lift the freeze)`,
    );
  }
  return freeze;
}

function wrongType(
  item: Record<string, unknown>,
  field: string,
  type: 'boolean' | 'string' | 'number',
  required: boolean,
): string | undefined {
  const value = item[field];
  if (value === undefined) return required ? `${field}: missing; required (${type})` : undefined;
  if (typeof value === type && (type !== 'number' || Number.isFinite(value))) return undefined;
  return `${field}: received ${JSON.stringify(value) ?? String(value)}; expected ${type}`;
}

/** The text `reset-rule` prints. */
export function formatResetRule(r: ResetRuleResult): string {
  const since =
    r.before?.resetAtSec === undefined
      ? 'recorded in the ledger'
      : `recorded since the last reset (${isoUtc(r.before.resetAtSec)}${r.before.resetBy === undefined ? '' : ` by ${r.before.resetBy}`})`;
  const failed = `${r.failedSinceLastReset} failed verification(s) ${since}`;
  if (r.outcome === 'notFrozen') return notFrozen(r, failed);
  const { before } = r;
  const lines = [
    `rule ${r.ruleId} in ${r.table}: freeze lifted`,
    `  frozen since:  ${before === undefined ? '-' : isoUtc(before.frozenAtSec)}`,
    `  why:           ${before?.reason || '-'}`,
    `  failures:      ${failed}; none of them counts towards its error budget after the reset`,
  ];
  if ('error' in r.after) {
    lines.push(`  reset by:      ${r.by} (the reset was written; reading it back failed: ${r.after.error})`);
  } else {
    const at = r.after.freeze?.resetAtSec;
    lines.push(
      `  reset by:      ${r.after.freeze?.resetBy ?? r.by}${at === undefined ? '' : ` at ${isoUtc(at)}`}`,
    );
  }
  lines.push(
    'The engine decides its next alarm on every guardrail again and counts failed verifications from the reset.',
  );
  // The freeze's reason and who reset it are ledger strings, which whoever writes the table controls.
  return printableLines(lines);
}

function notFrozen(r: ResetRuleResult, failed: string): string {
  const head =
    r.before === undefined
      ? `rule ${r.ruleId} in ${r.table}: not frozen (the ledger holds no freeze for it); nothing written`
      : `rule ${r.ruleId} in ${r.table}: not frozen; nothing written`;
  const lines = [head];
  if (r.before?.resetAtSec !== undefined) {
    lines.push(`  last reset:    ${isoUtc(r.before.resetAtSec)} by ${r.before.resetBy ?? '-'}`);
  }
  lines.push(
    `  failures:      ${failed}; the engine counts those within the rule's errorBudgetWindowHours and freezes it at limits.errorBudgetFailures`,
  );
  if (r.before === undefined && r.failedSinceLastReset === 0) {
    lines.push(
      `Nothing in ${r.table} names rule ${r.ruleId}. The CLI does not read the deployed configuration, so it cannot tell whether ${r.ruleId} is one of its rules: check the id against remediation.rules[].id.`,
    );
  }
  return printableLines(lines);
}
