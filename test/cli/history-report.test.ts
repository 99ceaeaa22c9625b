import { describe, expect, it } from 'vitest';
import { escalationSummary, formatDuration, formatHistory, formatTimeline } from '../../cli/history-report';
import {
  DRY_RUN,
  ESCALATED,
  REPLACED,
  RESOLVED,
  T0,
  writtenBeforeStateLog,
} from './fixtures/history-records';

const CTX = { table: 'SelfHeal-Ledger', limit: 20, itemsRead: 4 };

describe('formatHistory', () => {
  it('prints one row per record in the given order with every column, the id --id takes included', () => {
    const out = formatHistory([DRY_RUN, ESCALATED, RESOLVED], CTX);

    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('3 remediations in SelfHeal-Ledger, newest first');
    expect(lines[1]).toMatch(
      /^when \(UTC\) +id +rule +resource +alarm +mode +state +recovered in +execution +escalation$/,
    );
    expect(lines[2]).toMatch(/^-+( +-+){9}$/);
    expect(lines[3]).toMatch(
      /^2024-03-04T12:30:00Z +rem-dry +web-unhealthy-replace +i-0web +web-status-check +dryRun +dryRun +- +- +-$/,
    );
    expect(lines[4]).toMatch(
      /^2024-03-04T11:30:00Z +rem-escalated +disk-full-cleanup +i-0def +disk-full-i-0def +enforce +escalated +- +exec-2222 +SNS sns-msg-9; OpsItem failed: AccessDeniedException: not authorized to perform ssm:CreateOpsItem$/,
    );
    expect(lines[5]).toMatch(
      /^2024-03-04T10:30:00Z +rem-resolved +disk-full-cleanup +i-0abc +disk-full-i-0abc +enforce +resolved +4m 05s +exec-1111 +-$/,
    );
    expect(lines).toHaveLength(6);
  });

  it('marks a recovery by INSUFFICIENT_DATA "(no data)" and leaves one by OK or unrecorded plain', () => {
    const out = formatHistory([REPLACED, { ...RESOLVED, recoveredState: 'OK' }, RESOLVED], CTX);

    const lines = out.trimEnd().split('\n');
    expect(lines[3]).toMatch(/ resolved +6m 10s \(no data\) +exec-3333 +-$/);
    expect(lines[4]).toMatch(/ resolved +4m 05s +exec-1111 +-$/);
    expect(lines[5]).toMatch(/ resolved +4m 05s +exec-1111 +-$/);
    // Left-aligned, so the durations line up.
    expect(lines[4]?.indexOf('4m 05s')).toBe(lines[3]?.indexOf('6m 10s'));
  });

  it('says how to see more when the page is full', () => {
    const out = formatHistory([RESOLVED], { table: 't', limit: 1, itemsRead: 1 });

    expect(out).toContain('1 remediation in t, newest first');
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      "(the latest 1; --limit N shows up to 500, --id ID one remediation's timeline)",
    );
  });

  it('says how to see more when the page is full of items read, though malformed ones were skipped', () => {
    const out = formatHistory([RESOLVED], { table: 't', limit: 2, itemsRead: 2 });

    expect(out.trimEnd().split('\n').at(-1)).toBe(
      "(the latest 2; --limit N shows up to 500, --id ID one remediation's timeline)",
    );
  });

  it('gives no hint when fewer items than the limit were read', () => {
    expect(formatHistory([RESOLVED], { table: 't', limit: 2, itemsRead: 1 })).not.toContain('(the latest');
  });

  it('prints one line for an empty ledger', () => {
    expect(formatHistory([], CTX)).toBe('no remediations recorded in SelfHeal-Ledger\n');
  });
});

describe('formatTimeline', () => {
  it('lists each state with its time, the deadline and every guardrail verdict', () => {
    expect(formatTimeline(RESOLVED)).toBe(
      [
        'remediation rem-resolved',
        'rule:        disk-full-cleanup (mode enforce)',
        'resource:    i-0abc',
        'alarm:       disk-full-i-0abc (event evt-1)',
        'document:    SelfHeal-cleanup-directory (Directory=["/var/log/app/"])',
        'execution:   exec-1111 (client token tok-1)',
        'state:       resolved, recovered in 4m 05s',
        'timeline (UTC):',
        '  2024-03-04T10:30:00Z  started',
        '  2024-03-04T10:31:00Z  verifying',
        '  2024-03-04T10:34:05Z  resolved',
        '  2024-03-04T10:40:00Z  (verification deadline)',
        'guardrails:',
        '  1. duplicateEvent  pass  first delivery of this event',
        '  2. mode            pass  rule is in enforce mode',
        '  3. frequencyLimit  pass  1 of 3 remediations in 24 h',
        '',
      ].join('\n'),
    );
  });

  it('shows the alarm state that counted as recovered and when the automation succeeded', () => {
    const out = formatTimeline(REPLACED);

    expect(out).toContain('state:       resolved, recovered in 6m 10s (alarm INSUFFICIENT_DATA)\n');
    expect(out).toContain(
      [
        'timeline (UTC):',
        '  2024-03-04T11:00:00Z  started',
        '  2024-03-04T11:01:00Z  verifying',
        '  2024-03-04T11:04:00Z  (automation succeeded)',
        '  2024-03-04T11:06:10Z  resolved',
        '  2024-03-04T11:15:00Z  (verification deadline)',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [
      { ...RESOLVED, recoveredState: 'OK' as const },
      'state:       resolved, recovered in 4m 05s (alarm OK)\n',
    ],
    [
      { ...RESOLVED, recoveredState: 'OK' as const, timeToRecoverSec: undefined },
      'state:       resolved, recovered (alarm OK)\n',
    ],
  ])('names the recovered state next to the time to recover %#', (record, line) => {
    expect(formatTimeline(record)).toContain(line);
  });

  it.each([
    ['its state log', REPLACED],
    ['stateTimes (written before the state log)', writtenBeforeStateLog(REPLACED)],
  ])(
    'puts the automation success after verifying and before resolved at the same second, from %s',
    (_, r) => {
      const out = formatTimeline({
        ...r,
        stateTimes: { started: T0, verifying: T0 + 60, resolved: T0 + 60 },
        ...(r.stateLog === undefined
          ? {}
          : {
              stateLog: [
                { state: 'started', atSec: T0 },
                { state: 'verifying', atSec: T0 + 60 },
                { state: 'resolved', atSec: T0 + 60 },
              ],
            }),
        automationSucceededAtSec: T0 + 60,
      });

      expect(out).toContain(
        '  2024-03-04T10:31:00Z  verifying\n  2024-03-04T10:31:00Z  (automation succeeded)\n  2024-03-04T10:31:00Z  resolved\n',
      );
    },
  );

  it('shows every state entered, a state entered twice each time, in the order of the state log', () => {
    const out = formatTimeline({
      ...RESOLVED,
      stateTimes: { started: T0 + 300, blocked: T0 + 120, verifying: T0 + 360, resolved: T0 + 500 },
      stateLog: [
        { state: 'started', atSec: T0 },
        { state: 'blocked', atSec: T0 + 120 },
        { state: 'started', atSec: T0 + 300 },
        { state: 'verifying', atSec: T0 + 360 },
        { state: 'resolved', atSec: T0 + 500 },
      ],
    });

    expect(out).toContain(
      [
        'timeline (UTC):',
        '  2024-03-04T10:30:00Z  started',
        '  2024-03-04T10:32:00Z  blocked',
        '  2024-03-04T10:35:00Z  started',
        '  2024-03-04T10:36:00Z  verifying',
        '  2024-03-04T10:38:20Z  resolved',
        '  2024-03-04T10:40:00Z  (verification deadline)',
        '',
      ].join('\n'),
    );
  });

  it('says where a full state log left state changes out, and how many', () => {
    const out = formatTimeline({
      ...RESOLVED,
      stateLog: [
        { state: 'started', atSec: T0 },
        { state: 'blocked', atSec: T0 + 60 },
        { state: 'started', atSec: T0 + 120 },
        { state: 'blocked', atSec: T0 + 180 },
        { state: 'started', atSec: T0 + 900 },
        { state: 'verifying', atSec: T0 + 960 },
      ],
      stateLogGap: { after: 4, count: 10 },
    });

    expect(out).toContain(
      [
        '  2024-03-04T10:33:00Z  blocked',
        '  (10 more state changes not kept: the ledger keeps the first 4 and the newest 2)',
        '  2024-03-04T10:45:00Z  started',
        '',
      ].join('\n'),
    );
  });

  it('shows when a remediation written before the state log was blocked, before it started at the same second', () => {
    const out = formatTimeline({
      ...writtenBeforeStateLog(RESOLVED),
      stateTimes: { blocked: T0, started: T0, verifying: T0 + 60, resolved: T0 + 245 },
    });

    expect(out).toContain(
      '  2024-03-04T10:30:00Z  blocked\n  2024-03-04T10:30:00Z  started\n  2024-03-04T10:31:00Z  verifying\n',
    );
  });

  it('shows where an escalation went and the OpsItem failure', () => {
    const out = formatTimeline(ESCALATED);

    expect(out).toContain(
      'state:       escalated\nreason:      deadline passed with the alarm still in ALARM',
    );
    expect(out).toContain('  2024-03-04T11:40:00Z  escalated\n');
    expect(out).toContain(
      [
        'escalation:',
        '  at:        2024-03-04T11:40:00Z',
        '  reason:    deadline passed with the alarm still in ALARM',
        '  SNS:       message sns-msg-9',
        '  OpsItem:   failed: AccessDeniedException: not authorized to perform ssm:CreateOpsItem',
      ].join('\n'),
    );
  });

  it('shows the Auto Scaling group and a blocking verdict of a dry run, without execution', () => {
    const out = formatTimeline(DRY_RUN);

    expect(out).toContain('resource:    i-0web (Auto Scaling group web-asg)');
    expect(out).not.toContain('execution:');
    expect(out).toContain('  2024-03-04T12:30:00Z  dryRun\n');
    expect(out).toContain('  1. mode  block  rule is in dryRun mode');
  });

  it('orders the states of a record written before the state log by time, not by name', () => {
    const out = formatTimeline({
      ...writtenBeforeStateLog(RESOLVED),
      stateTimes: { resolved: T0 + 30, started: T0 },
    });

    expect(out.indexOf('started')).toBeLessThan(out.indexOf('  2024-03-04T10:30:30Z  resolved'));
  });
});

describe('escalationSummary', () => {
  it.each([
    [{ snsMessageId: 'm', opsItemId: 'oi-1' }, 'SNS m; OpsItem oi-1'],
    [{ snsMessageId: 'm' }, 'SNS m'],
    [{ snsError: 'Throttling', opsItemId: 'oi-1' }, 'SNS failed: Throttling; OpsItem oi-1'],
    [{ opsItemError: 'denied' }, 'SNS not sent; OpsItem failed: denied'],
    // A later escalation OpsCenter deduplicated into the open OpsItem, added to it or not (yet).
    [
      { snsMessageId: 'm', opsItemId: 'oi-123', opsItemDeduplicated: true, opsItemUpdated: true },
      'SNS m; OpsItem oi-123 (updated)',
    ],
    [
      { snsMessageId: 'm', opsItemId: 'oi-123', opsItemDeduplicated: true, opsItemUpdateError: 'denied' },
      'SNS m; OpsItem oi-123 (update failed: denied)',
    ],
  ] as const)('summarises %o as %s', (sent, expected) => {
    expect(escalationSummary({ reason: 'r', atSec: T0, ...sent })).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [245, '4m 05s'],
    [3600, '1h 00m'],
    [7385, '2h 03m'],
  ])('formats %d s as %s', (sec, text) => {
    expect(formatDuration(sec)).toBe(text);
  });
});
