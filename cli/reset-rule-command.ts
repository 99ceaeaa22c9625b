import type { Ledger } from '../lambdas/core/remediation/ledger';
import { RULE_ID } from '../lib/config/remediation-schema';
import { parseFlags } from './args';
import type { LedgerAccess } from './aws-errors';
import { CliUsageError } from './errors';
import { RESET_RULE_HELP } from './help';
import type { CliIo } from './io';
import {
  type LedgerConnection,
  type LedgerLocation,
  ledgerLocation,
  nonEmpty,
  withLedger,
} from './ledger-session';
import { checkedFreeze, formatResetRule, type ResetRuleResult } from './reset-rule-report';

/**
 * What `reset-rule` does with the ledger: read the rule's freeze, count the failed verifications
 * recorded since its last reset, and reset it through the adapter's one write.
 */
export type RuleLedger = Pick<Ledger, 'getRuleFreeze' | 'countFailedVerifications' | 'resetRule'> &
  LedgerConnection;

/** Opens the ledger table for `reset-rule`: the DynamoDB adapter, or an in-memory ledger in tests. */
export type OpenRuleLedger = (location: LedgerLocation) => RuleLedger;

/** Longest `--by`: a name and host, not a story. */
const MAX_BY_CHARS = 256;

const resetAccess = (ruleId: string): LedgerAccess => ({
  doing: `reset rule ${ruleId}`,
  verb: 'read and update',
  actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
});

/**
 * Runs `selfheal reset-rule`: lifts the error-budget freeze of one rule. Reads the freeze first
 * and reports what it lifts (since when, why, the failed verifications it stops counting); a rule
 * that is not frozen is reported as such and nothing is written (exit 0). The reset itself is the
 * ledger's `resetRule`: `frozen` false, who and when, so the engine counts failures from now on.
 */
export async function resetRuleCommand(
  args: readonly string[],
  io: CliIo,
  openLedger: OpenRuleLedger,
): Promise<number> {
  const flags = parseFlags('reset-rule', args, {
    table: { type: 'string' },
    rule: { type: 'string' },
    region: { type: 'string' },
    by: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help === true) {
    io.stdout(RESET_RULE_HELP);
    return 0;
  }
  const location = ledgerLocation(flags, 'reset-rule');
  const ruleId = nonEmpty(flags, 'rule');
  if (ruleId === undefined) {
    throw new CliUsageError('reset-rule needs --rule ID (the rule id, remediation.rules[].id of the config)');
  }
  if (!RULE_ID.test(ruleId)) {
    throw new CliUsageError(
      `--rule must be a rule id (letters, digits, - and _, at most 64 characters, as remediation.rules[].id), got "${ruleId}"`,
    );
  }
  const by = operatorName(nonEmpty(flags, 'by'), io.operator);

  const result = await withLedger(location, openLedger, resetAccess(ruleId), async (ledger) => {
    const before = checkedFreeze(await ledger.getRuleFreeze(ruleId), ruleId, location.table);
    const sinceSec = before?.resetAtSec ?? 0;
    const failed = await ledger.countFailedVerifications(ruleId, sinceSec);
    const base = { table: location.table, ruleId, before, failedSinceLastReset: failed, sinceSec };
    if (before?.frozen !== true) return { ...base, outcome: 'notFrozen' } satisfies ResetRuleResult;
    const lifted = await ledger.resetRule(ruleId, by, { frozenAtSec: before.frozenAtSec });
    if (!lifted) {
      throw new CliUsageError(
        `the freeze of rule ${ruleId} changed while it was being reset (another reset, or a new freeze, since it was read): nothing was written; run reset-rule again to see it as it is now`,
      );
    }
    // Read back what was stored (the time is the one the adapter wrote); the reset stands if this fails.
    const after = await ledger.getRuleFreeze(ruleId).then(
      (freeze) => ({ freeze: checkedFreeze(freeze, ruleId, location.table) }),
      (err: unknown) => ({ error: (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '' }),
    );
    return { ...base, outcome: 'reset', by, after } satisfies ResetRuleResult;
  });
  io.stdout(flags.json === true ? `${JSON.stringify(result, null, 2)}\n` : formatResetRule(result));
  return 0;
}

/** `--by`, else who runs the CLI; refused when neither names anyone. */
function operatorName(by: string | undefined, operator: string | undefined): string {
  const name = by ?? operator;
  if (name === undefined) {
    throw new CliUsageError('reset-rule records who reset the rule: pass --by NAME ($USER is not set)');
  }
  if (name.length > MAX_BY_CHARS) {
    throw new CliUsageError(`--by must be at most ${MAX_BY_CHARS} characters, got ${name.length}`);
  }
  return name;
}
