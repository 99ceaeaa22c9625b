/**
 * `selfheal reset-rule` in-process: an in-memory ledger (the same contract as the DynamoDB one),
 * what it prints and writes, and every error path (usage, malformed item, AWS failures).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { OpenRuleLedger, RuleLedger } from '../../cli/reset-rule-command';
import { readErrorBudget } from '../../lambdas/core/remediation/engine-snapshot';
import { InMemoryLedger } from '../../lambdas/core/remediation/ledger-memory';
import { configWith, DISK_RULE } from '../unit/remediation/helpers';
import { FakeClock, NOW, RETENTION } from '../unit/remediation/ledger-fixtures';
import { fakeDeps } from './fixtures/fake-deps';
import { memoryIo } from './fixtures/memory-io';

const HOUR = 3600;
const RULE = (() => {
  const [rule] = configWith([
    { ...DISK_RULE, limits: { errorBudgetFailures: 2, errorBudgetWindowHours: 24 } },
  ]).rules;
  if (rule === undefined) throw new Error('configWith returned no rule');
  return rule;
})();
const FREEZE_REASON = `2 failed verification(s) of rule ${DISK_RULE.id} in the last 24 h (budget 2): freezing the rule`;

/** A ledger where the disk rule failed twice in the last hours and froze, an hour ago. */
async function frozenLedger() {
  const clock = new FakeClock(NOW - 3 * HOUR);
  const ledger = new InMemoryLedger(clock, RETENTION);
  await ledger.recordFailedVerification(DISK_RULE.id, NOW - 3 * HOUR, 'rem-1');
  await ledger.recordFailedVerification(DISK_RULE.id, NOW - HOUR, 'rem-2');
  clock.set(NOW - HOUR);
  await ledger.freezeRule(DISK_RULE.id, FREEZE_REASON);
  clock.set(NOW);
  return { clock, ledger };
}

async function resetRule(args: string[], openRuleLedger: OpenRuleLedger, operator?: string) {
  const io = { ...memoryIo(), ...(operator === undefined ? {} : { operator }) };
  const code = await main(['reset-rule', ...args], io, { ...fakeDeps, openRuleLedger });
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const ARGS = ['--table', 'SelfHeal-Ledger', '--rule', DISK_RULE.id];
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('selfheal reset-rule', () => {
  it('lifts a freeze, saying what it lifts, so the next alarm is decided on the guardrails again', async () => {
    const { ledger } = await frozenLedger();
    expect(await readErrorBudget(ledger, RULE, NOW)).toEqual({
      failedVerificationsInWindow: 2,
      ruleFrozen: true,
    });

    const { code, out, err } = await resetRule(ARGS, () => ledger, 'alice@ops-1');

    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        `rule ${DISK_RULE.id} in SelfHeal-Ledger: freeze lifted`,
        '  frozen since:  2024-03-04T09:30:00Z',
        `  why:           ${FREEZE_REASON}`,
        '  failures:      2 failed verification(s) recorded in the ledger; none of them counts towards its error budget after the reset',
        '  reset by:      alice@ops-1 at 2024-03-04T10:30:00Z',
        'The engine decides its next alarm on every guardrail again and counts failed verifications from the reset.',
        '',
      ].join('\n'),
    );
    expect(await ledger.getRuleFreeze(DISK_RULE.id)).toEqual({
      ruleId: DISK_RULE.id,
      frozen: false,
      reason: FREEZE_REASON,
      frozenAtSec: NOW - HOUR,
      resetBy: 'alice@ops-1',
      resetAtSec: NOW,
    });
    // Not only frozen=false: the failures already in the window no longer meet the budget.
    expect(await readErrorBudget(ledger, RULE, NOW + 60)).toEqual({
      failedVerificationsInWindow: 0,
      ruleFrozen: false,
    });
  });

  it("shows control characters in the freeze's reason and resetBy as escapes, not sending them to the terminal", async () => {
    // Whoever writes the ledger table controls these strings.
    const clock = new FakeClock(NOW - HOUR);
    const ledger = new InMemoryLedger(clock, RETENTION);
    await ledger.freezeRule(DISK_RULE.id, 'budget spent\u001b[2J\u001b]52;c;ZXZpbA==\u0007');
    clock.set(NOW);

    const { code, out } = await resetRule([...ARGS, '--by', 'bob\u009b2J'], () => ledger);

    expect(code).toBe(0);
    for (const control of ['\u001b', '\u0007', '\u009b']) expect(out).not.toContain(control);
    expect(out).toContain('  why:           budget spent\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\n');
    expect(out).toContain('  reset by:      bob\\x9b2J at ');
  });

  it('records --by instead of who runs the CLI, and prints what it read and did with --json', async () => {
    const { ledger } = await frozenLedger();

    const { code, out } = await resetRule(
      [...ARGS, '--by', ' bob (INC-42) ', '--json'],
      () => ledger,
      'alice@ops-1',
    );

    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      table: 'SelfHeal-Ledger',
      ruleId: DISK_RULE.id,
      before: { ruleId: DISK_RULE.id, frozen: true, reason: FREEZE_REASON, frozenAtSec: NOW - HOUR },
      failedSinceLastReset: 2,
      sinceSec: 0,
      outcome: 'reset',
      by: 'bob (INC-42)',
      after: {
        freeze: {
          ruleId: DISK_RULE.id,
          frozen: false,
          reason: FREEZE_REASON,
          frozenAtSec: NOW - HOUR,
          resetBy: 'bob (INC-42)',
          resetAtSec: NOW,
        },
      },
    });
  });

  it('writes nothing for a rule that is not frozen, and says its failures still count', async () => {
    const { clock, ledger } = await frozenLedger();
    clock.set(NOW - 30 * 60);
    await ledger.resetRule(DISK_RULE.id, 'carol');
    clock.set(NOW);
    await ledger.recordFailedVerification(DISK_RULE.id, NOW - 60, 'rem-3');
    const before = await ledger.getRuleFreeze(DISK_RULE.id);

    const { code, out, err } = await resetRule(ARGS, () => ledger, 'alice@ops-1');

    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        `rule ${DISK_RULE.id} in SelfHeal-Ledger: not frozen; nothing written`,
        '  last reset:    2024-03-04T10:00:00Z by carol',
        "  failures:      1 failed verification(s) recorded since the last reset (2024-03-04T10:00:00Z by carol); the engine counts those within the rule's errorBudgetWindowHours and freezes it at limits.errorBudgetFailures",
        '',
      ].join('\n'),
    );
    expect(await ledger.getRuleFreeze(DISK_RULE.id)).toEqual(before);
  });

  it('says honestly that it cannot tell an unknown rule id from a rule never frozen', async () => {
    const ledger = new InMemoryLedger(new FakeClock(NOW), RETENTION);

    const { code, out } = await resetRule(
      ['--table', 'T', '--rule', 'disk-ful-cleanup'],
      () => ledger,
      'a@h',
    );

    expect(code).toBe(0);
    expect(out).toContain(
      'rule disk-ful-cleanup in T: not frozen (the ledger holds no freeze for it); nothing written',
    );
    expect(out).toContain(
      'Nothing in T names rule disk-ful-cleanup. The CLI does not read the deployed configuration, so it cannot tell whether disk-ful-cleanup is one of its rules: check the id against remediation.rules[].id.',
    );
    expect(await ledger.getRuleFreeze('disk-ful-cleanup')).toBeUndefined();
  });

  it('refuses a malformed freeze item, naming its key, field and value, and writes nothing', async () => {
    const { ledger } = await frozenLedger();
    const item = { ruleId: DISK_RULE.id, frozen: 'yes', reason: 'by hand', frozenAtSec: NOW };
    const rules: RuleLedger = {
      getRuleFreeze: async () => item as never,
      countFailedVerifications: (id, since) => ledger.countFailedVerifications(id, since),
      resetRule: () => Promise.reject(new Error('must not write')),
    };

    const { code, out, err } = await resetRule(ARGS, () => rules, 'a@h');

    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      `selfheal: ledger item pk=RULE#${DISK_RULE.id} sk=FREEZE in SelfHeal-Ledger is malformed: frozen: received "yes"; expected boolean; nothing was written (fix the item, or delete it to lift the freeze)\n`,
    );
  });

  it('reports the reset as done when reading it back fails', async () => {
    const { ledger } = await frozenLedger();
    let reads = 0;
    const rules: RuleLedger = {
      getRuleFreeze: (id) =>
        ++reads === 1 ? ledger.getRuleFreeze(id) : Promise.reject(new Error('socket hang up')),
      countFailedVerifications: (id, since) => ledger.countFailedVerifications(id, since),
      resetRule: (id, by) => ledger.resetRule(id, by),
    };

    const { code, out } = await resetRule(ARGS, () => rules, 'a@h');

    expect(code).toBe(0);
    expect(out).toContain(
      '  reset by:      a@h (the reset was written; reading it back failed: socket hang up)',
    );
    expect((await ledger.getRuleFreeze(DISK_RULE.id))?.frozen).toBe(false);
  });

  it.each([
    [['--rule', 'disk'], 'reset-rule needs --table NAME (the ledger table: stack output LedgerTableName)'],
    [['--table', 'T'], 'reset-rule needs --rule ID (the rule id, remediation.rules[].id of the config)'],
    [['--table', 'T', '--rule', ' '], '--rule must not be empty'],
    [
      ['--table', 'T', '--rule', 'RULE#disk'],
      '--rule must be a rule id (letters, digits, - and _, at most 64 characters, as remediation.rules[].id), got "RULE#disk"',
    ],
    [['--table', 'T', '--rule', 'disk', '--by', ''], '--by must not be empty'],
    [
      ['--table', 'T', '--rule', 'disk', '--by', 'x'.repeat(257)],
      '--by must be at most 256 characters, got 257',
    ],
    [
      ['--table', 'T', '--rule', 'disk', '--region', 'eu west'],
      '--region must be an AWS region name such as eu-west-1, got "eu west"',
    ],
    [
      ['--table', 'T', '--rule', 'disk', '--force'],
      "unknown flag --force for 'reset-rule' (see 'selfheal reset-rule --help')",
    ],
    [
      ['--table', 'T', '--rule', 'a', '--rule', 'b'],
      "--rule given twice; give it once (see 'selfheal reset-rule --help')",
    ],
  ])('fails with exit 2 and one line for %j, opening nothing', async (args, message) => {
    let opened = false;
    const open: OpenRuleLedger = () => {
      opened = true;
      throw new Error('must not open');
    };

    const { code, out, err } = await resetRule(args, open, 'a@h');

    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`selfheal: ${message}\n`);
    expect(opened).toBe(false);
  });

  it('refuses to record an anonymous reset when $USER is unset and --by is not given', async () => {
    const { ledger } = await frozenLedger();

    const { code, err } = await resetRule(ARGS, () => ledger);

    expect(code).toBe(2);
    expect(err).toBe('selfheal: reset-rule records who reset the rule: pass --by NAME ($USER is not set)\n');
    expect((await ledger.getRuleFreeze(DISK_RULE.id))?.frozen).toBe(true);
  });

  it("keeps the README's promise that a human resets a frozen rule: selfheal --help names the command", async () => {
    // The promise an operator relies on (Configuration reference and Guardrails, in order).
    expect(README).toContain('escalates until a human resets it');
    expect(README).toContain('escalate until a human resets the rule');
    const io = memoryIo();

    await main(['--help'], io, fakeDeps);

    expect(io.out.join('')).toMatch(/^ {2}reset-rule +Lift the error-budget freeze of a rule/m);
  });

  it('prints its help, also as selfheal help reset-rule', async () => {
    const direct = await resetRule(['--help'], fakeDeps.openRuleLedger);
    const io = memoryIo();
    await main(['help', 'reset-rule'], io, fakeDeps);

    expect(direct.code).toBe(0);
    expect(direct.out).toMatch(/^Usage: selfheal reset-rule --table NAME --rule ID /);
    expect(direct.out).toContain('dynamodb:GetItem, dynamodb:Query and dynamodb:UpdateItem');
    expect(io.out.join('')).toBe(direct.out);
  });
});

/** An error shaped like the SDK's: a name, a message and, from the service, `$metadata`. */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

describe('selfheal reset-rule when the freeze changes after it was read', () => {
  it('writes nothing and says so when another reset and a new freeze came in between', async () => {
    // Arrange: alice reads the freeze of 09:30; before her write, bob resets it and the engine
    // freezes the rule again at 10:15 for a new reason.
    const { clock, ledger } = await frozenLedger();
    const racing: OpenRuleLedger = () => ({
      getRuleFreeze: async (ruleId) => {
        const read = await ledger.getRuleFreeze(ruleId);
        await ledger.resetRule(ruleId, 'bob');
        clock.set(NOW - 15 * 60);
        await ledger.freezeRule(ruleId, 'a new freeze alice was not shown');
        clock.set(NOW);
        return read;
      },
      countFailedVerifications: (ruleId, sinceSec) => ledger.countFailedVerifications(ruleId, sinceSec),
      resetRule: (ruleId, by, expected) => ledger.resetRule(ruleId, by, expected),
      close: () => {},
      region: async () => undefined,
    });

    // Act
    const { code, out, err } = await resetRule(ARGS, racing, 'alice@ops-1');

    // Assert: the new freeze stands; alice is told to look again.
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(
      `the freeze of rule ${DISK_RULE.id} changed while it was being reset (another reset, or a new freeze, since it was read): nothing was written`,
    );
    expect(await ledger.getRuleFreeze(DISK_RULE.id)).toMatchObject({
      frozen: true,
      reason: 'a new freeze alice was not shown',
    });
  });
});

describe('selfheal reset-rule on AWS errors', () => {
  /** A ledger that reads fine and whose `step` fails with `err`; whether it was closed. */
  function failingAt(step: keyof Omit<RuleLedger, 'close' | 'region'>, err: Error, region?: string) {
    const state = { closed: false, written: false };
    const open: OpenRuleLedger = () => ({
      getRuleFreeze: async (ruleId) => ({ ruleId, frozen: true, reason: 'r', frozenAtSec: NOW }),
      countFailedVerifications: async () => 2,
      resetRule: async () => {
        state.written = true;
        return true;
      },
      [step]: () => Promise.reject(err),
      close: () => {
        state.closed = true;
      },
      region: async () => region,
    });
    return { state, open };
  }

  it.each([
    [
      'getRuleFreeze',
      awsError('ResourceNotFoundException', 'Requested resource not found'),
      'cannot reset rule disk-full-cleanup: ResourceNotFoundException: table SelfHeal-Ledger not found in region eu-west-1 (from AWS_REGION or the profile); check --table (the stack output LedgerTableName) and --region',
    ],
    [
      'countFailedVerifications',
      awsError('AccessDeniedException', 'not authorized to perform: dynamodb:Query'),
      'cannot reset rule disk-full-cleanup: AccessDeniedException: not allowed to read and update table SelfHeal-Ledger; check that your role may dynamodb:GetItem, dynamodb:Query and dynamodb:UpdateItem on it',
    ],
    [
      'resetRule',
      awsError('AccessDeniedException', 'not authorized to perform: dynamodb:UpdateItem'),
      'cannot reset rule disk-full-cleanup: AccessDeniedException: not allowed to read and update table SelfHeal-Ledger; check that your role may dynamodb:GetItem, dynamodb:Query and dynamodb:UpdateItem on it',
    ],
    [
      'resetRule',
      awsError('ExpiredTokenException', 'The security token included in the request is expired'),
      'cannot reset rule disk-full-cleanup: ExpiredTokenException: the AWS credentials were rejected; check they are current and for the right account',
    ],
    [
      'getRuleFreeze',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      'cannot reset rule disk-full-cleanup: ECONNREFUSED: cannot reach DynamoDB in region eu-west-1 (from AWS_REGION or the profile); check the network, --region and AWS_ENDPOINT_URL',
    ],
  ] as const)(
    '%s failing with %s is one line, exit 2, and closes the ledger',
    async (step, error, message) => {
      const { state, open } = failingAt(step, error, 'eu-west-1');

      const { code, out, err } = await resetRule(ARGS, open, 'a@h');

      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toBe(`selfheal: ${message}\n`);
      expect(state.closed).toBe(true);
    },
  );

  it('names the region given with --region', async () => {
    const { open } = failingAt('getRuleFreeze', awsError('ResourceNotFoundException', 'not found'));

    const { err } = await resetRule([...ARGS, '--region', 'ap-south-1'], open, 'a@h');

    expect(err).toContain('table SelfHeal-Ledger not found in region ap-south-1;');
  });

  it('keeps a bug an internal error (exit 1)', async () => {
    const { code, err } = await resetRule(
      ARGS,
      () => {
        throw new TypeError('boom');
      },
      'a@h',
    );

    expect(code).toBe(1);
    expect(err).toBe('selfheal: internal error: boom (set SELFHEAL_DEBUG=1 for details)\n');
  });
});
