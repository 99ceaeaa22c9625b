import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { fakeDeps } from '../cli/fixtures/fake-deps';
import { memoryIo } from '../cli/fixtures/memory-io';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

async function help(argv: string[]): Promise<string> {
  const io = memoryIo({});
  await main(argv, io, fakeDeps);
  return io.out.join('');
}

describe('README: a rule frozen by its error budget', () => {
  it('promises that a human resets it', () => {
    // The promise an operator relies on (Configuration reference and Guardrails, in order).
    expect(README).toContain('escalates until a human resets it');
    expect(README).toContain('escalate until a human resets the rule');
  });

  it('says how a human resets it: a selfheal command, or the ledger item and fields to write', async () => {
    // The engine lifts a freeze only through Ledger.resetRule (item pk=RULE#<rule>, sk=FREEZE:
    // frozen=false AND resetAtSec=now, or the failures already in the window freeze it again at
    // the next alarm). Nothing outside the tests calls resetRule, and the README never names it.
    const helps = await Promise.all(
      [['--help'], ...['forecast', 'backtest', 'explain', 'history'].map((c) => [c, '--help'])].map(help),
    );
    const cliCanReset = helps.some((text) => /\breset\b|\bunfreeze\b|\bfrozen\b/i.test(text));
    const readmeNamesTheItem = README.includes('FREEZE') && README.includes('resetAtSec');
    expect({ cliCanReset, readmeNamesTheItem }).not.toEqual({
      cliCanReset: false,
      readmeNamesTheItem: false,
    });
  });
});
