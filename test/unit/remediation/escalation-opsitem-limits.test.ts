/**
 * The OpsItem of an escalation with many earlier actions stays within OpsCenter's documented
 * limits (a Description of at most 2,048 characters, OperationalData values of at most 20 KB,
 * and, our own margin, the whole map under 20,000 bytes) without losing what matters: the
 * escalated remediation's own timeline survives, every JSON value stays valid (whole entries
 * left out, counted in `selfheal:omitted`), and the description says how many actions it lists
 * of how many. The SNS message stays complete.
 */
import { describe, expect, it } from 'vitest';
import {
  type ActionTaken,
  buildEvidence,
  type EscalationInput,
} from '../../../lambdas/core/remediation/escalation';
import {
  OPERATIONAL_DATA_MAX_BYTES,
  sizeOf,
} from '../../../lambdas/core/remediation/escalation-operational-data';
import {
  MAX_DESCRIPTION_CHARS,
  MAX_TITLE_CHARS,
  notificationFor,
  opsItemFor,
} from '../../../lambdas/core/remediation/escalation-render';
import { evidenceOf } from './engine-deps';
import { NOW, newRemediation } from './ledger-fixtures';

/** A UUID-shaped id, distinct per `n` and `kind`. */
const uuid = (n: number, kind: number) =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const CURRENT = `rem-${uuid(0, 1)}`;

/** The escalated remediation's own timeline, as buildEvidence writes it. */
const OWN = ['remediation started', 'remediation verifying', 'escalated: verificationFailed'];

/** A verification failure whose evidence lists the current remediation and `earlier` earlier actions. */
function escalationWith(earlier: number): EscalationInput {
  const actions: ActionTaken[] = [
    { remediationId: CURRENT, state: 'verifying', atSec: NOW - 600, executionId: uuid(0, 2) },
    ...Array.from({ length: earlier }, (_, i) => ({
      remediationId: `rem-${uuid(i + 1, 1)}`,
      state: 'resolved' as const,
      atSec: NOW - 3600 * (i + 1),
      documentName: 'selfheal-cleanup-directory',
      executionId: uuid(i + 1, 2),
    })),
  ];
  return {
    kind: 'verificationFailed',
    reason: 'verification deadline passed 1 s ago with alarm disk-full-i-1 ALARM',
    remediation: {
      ...newRemediation(CURRENT, { executionId: uuid(0, 2) }),
      state: 'escalated',
      stateTimes: { started: NOW - 600, verifying: NOW - 599 },
    },
    alarm: { name: 'disk-full-i-1', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:disk-full-i-1' },
    actions,
    ruleFrozen: false,
    nowSec: NOW,
  };
}

const value = (ops: ReturnType<typeof opsItemFor>, key: string) => ops.OperationalData[key]?.Value ?? '';
const parsed = <T>(ops: ReturnType<typeof opsItemFor>, key: string) => JSON.parse(value(ops, key)) as T;
const bytes = (text: string) => new TextEncoder().encode(text).length;

describe('an OpsItem for an escalation with 50 actions (UUID ids)', () => {
  const evidence = buildEvidence(escalationWith(49));
  const ops = opsItemFor(evidence);
  const omitted = parsed<Record<string, number>>(ops, 'selfheal:omitted');

  it('keeps OperationalData within its limits, every JSON value valid', () => {
    expect(sizeOf(ops.OperationalData)).toBeLessThanOrEqual(OPERATIONAL_DATA_MAX_BYTES);
    for (const [key, v] of Object.entries(ops.OperationalData)) {
      expect(key.length).toBeLessThanOrEqual(128);
      expect(bytes(v.Value)).toBeLessThanOrEqual(20 * 1024);
      if (!['selfheal:rule', 'selfheal:resource', 'selfheal:kind'].includes(key)) {
        expect(() => JSON.parse(v.Value), key).not.toThrow();
      }
    }
  });

  it("keeps the remediation's own timeline, leaving out the oldest earlier-action entries and counting them", () => {
    const timeline = parsed<{ at: string; what: string }[]>(ops, 'selfheal:timeline');
    const whats = timeline.map((t) => t.what);

    for (const own of OWN) expect(whats).toContain(own);
    const kept = whats.filter((w) => w.startsWith('earlier remediation '));
    const all = evidence.timeline.map((t) => t.what).filter((w) => w.startsWith('earlier remediation '));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(all.length);
    expect(kept).toEqual(all.slice(all.length - kept.length));
    expect(omitted['selfheal:timeline']).toBe(all.length - kept.length);
    expect(timeline).toEqual(evidence.timeline.filter((t) => whats.includes(t.what)));
  });

  it('lists the actions as whole entries, newest first, counting any left out', () => {
    const actions = parsed<unknown[]>(ops, 'selfheal:actions');

    expect(actions).toEqual(evidence.actions.slice(0, actions.length));
    expect(actions.length + (omitted['selfheal:actions'] ?? 0)).toBe(50);
  });

  it('says in the description how many actions its Actions line lists of how many', () => {
    const lines = ops.Description.split('\n');
    const actionsLine = lines.find((l) => l.startsWith('Actions: ')) ?? '';
    const shown = actionsLine.split('; ').length;

    expect(ops.Description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
    expect(actionsLine.startsWith(`Actions: ${CURRENT} verifying (${uuid(0, 2)}); `)).toBe(true);
    expect(actionsLine.endsWith(').')).toBe(true);
    expect(shown).toBeLessThan(50);
    expect(lines).toContain(
      `The Actions line lists the newest ${shown} of the 50 earlier actions; the operational data (selfheal:actions) and the SNS message list all 50.`,
    );
  });

  it('sends the SNS message complete', () => {
    expect(evidenceOf(notificationFor(evidence))).toEqual(evidence);
    expect(evidence.timeline).toHaveLength(49 + OWN.length);
  });
});

describe('an OpsItem for an escalation whose actions outgrow their share', () => {
  it('lists the newest actions that fit, whole, and counts the rest', () => {
    const ops = opsItemFor(buildEvidence(escalationWith(499)));
    const actions = parsed<{ remediationId: string }[]>(ops, 'selfheal:actions');
    const omitted = parsed<Record<string, number>>(ops, 'selfheal:omitted');

    expect(sizeOf(ops.OperationalData)).toBeLessThanOrEqual(OPERATIONAL_DATA_MAX_BYTES);
    expect(actions[0]?.remediationId).toBe(CURRENT);
    expect(actions.length + (omitted['selfheal:actions'] ?? 0)).toBe(500);
    expect(omitted['selfheal:actions']).toBeGreaterThan(0);
    const whats = parsed<{ what: string }[]>(ops, 'selfheal:timeline').map((t) => t.what);
    for (const own of OWN) expect(whats).toContain(own);
    expect(ops.Description).toContain(
      `the operational data (selfheal:actions) lists the newest ${actions.length}, the SNS message all 500.`,
    );
  });
});

describe('an OpsItem whose description would outgrow its limit before the actions', () => {
  const reason = `verification failed: ${'the automation said: disk still full. '.repeat(80)}`;
  const ops = opsItemFor(buildEvidence({ ...escalationWith(3), reason }));
  const firstLine = `alarm still in ALARM after the fix: ${reason}`;

  it('cuts it to the limit, its last line saying how many characters it left out and where they are', () => {
    const lines = ops.Description.split('\n');
    const last = lines.at(-1) ?? '';
    const match =
      /^\[cut: the last (\d+) characters of this description are left out; the SNS message has the whole evidence\]$/.exec(
        last,
      );
    const kept = ops.Description.slice(0, -(last.length + 1));

    expect(match).not.toBeNull();
    // Cut to what CreateOpsItem is sent: the limit less the room kept for a later escalation's line.
    expect(ops.Description.length).toBeLessThanOrEqual(2048 - 300);
    expect(ops.Description.length).toBeGreaterThanOrEqual(2040 - 300);
    expect(firstLine.startsWith(kept)).toBe(true);
    // The count covers at least the rest of the first line: nothing is cut without being counted.
    expect(kept.length + Number(match?.[1])).toBeGreaterThan(firstLine.length);
    expect(notificationFor(buildEvidence({ ...escalationWith(3), reason })).message).toContain(reason);
  });
});

describe("OpsCenter's documented limits, checked without the code's own constants", () => {
  it('pins the limits the code enforces', () => {
    expect(MAX_TITLE_CHARS).toBe(1024);
    expect(MAX_DESCRIPTION_CHARS).toBe(2048);
    expect(OPERATIONAL_DATA_MAX_BYTES).toBe(20_000);
  });

  it.each([49, 499])(
    'keeps the Description within 2,048 characters and OperationalData within 20,000 bytes with %i earlier actions',
    (earlier) => {
      const ops = opsItemFor(buildEvidence(escalationWith(earlier)));
      const total = Object.entries(ops.OperationalData).reduce(
        (n, [key, v]) => n + bytes(key) + bytes(v.Value),
        0,
      );

      expect(ops.Description.length).toBeLessThanOrEqual(2048);
      expect(total).toBeLessThanOrEqual(20_000);
    },
  );
});
