/**
 * A later escalation OpsCenter deduplicated into an open OpsItem is added to it under its own
 * key, within OpsCenter's documented limits: an OperationalData key of at most 128 characters, a
 * value of at most 20 KB, a Description of at most 2,048 characters (the UpdateOpsItem and
 * CreateOpsItem API references,
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_UpdateOpsItem.html and
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateOpsItem.html), and our
 * own margin of 20,000 bytes for the whole map.
 */
import { describe, expect, it } from 'vitest';
import type { OpsItemContent, OpsItemDataValue } from '../../../lambdas/core/remediation/engine-ports';
import { buildEvidence, type EscalationInput } from '../../../lambdas/core/remediation/escalation';
import { sizeOf } from '../../../lambdas/core/remediation/escalation-operational-data';
import { laterKeyFor } from '../../../lambdas/core/remediation/escalation-opsitem-identity';
import {
  LATER_COUNT_KEY,
  LATER_ENTRY_MAX_BYTES,
  opsItemUpdateFor,
} from '../../../lambdas/core/remediation/escalation-opsitem-update';
import { opsItemFor } from '../../../lambdas/core/remediation/escalation-render';
import { NOW, newRemediation } from './ledger-fixtures';

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A verification failure of remediation `rem-<uuid(n)>` with `earlier` earlier actions. */
function escalation(n: number, earlier = 0, reason = `verification failed, attempt ${n}`): EscalationInput {
  const id = `rem-${uuid(n)}`;
  return {
    kind: 'verificationFailed',
    reason,
    remediation: {
      ...newRemediation(id, { executionId: uuid(1000 + n) }),
      state: 'escalated',
      stateTimes: { started: NOW - 600, verifying: NOW - 599 },
    },
    alarm: { name: 'disk-full-i-1', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:disk-full-i-1' },
    actions: Array.from({ length: earlier }, (_, i) => ({
      remediationId: `rem-${uuid(5000 + i)}`,
      state: 'resolved' as const,
      atSec: NOW - 3600 * (i + 1),
      documentName: 'selfheal-cleanup-directory',
      executionId: uuid(9000 + i),
    })),
    ruleFrozen: false,
    nowSec: NOW,
  };
}

/** The OpsItem CreateOpsItem made of escalation `input`, as GetOpsItem would return it. */
function created(input: EscalationInput): OpsItemContent {
  const ops = opsItemFor(buildEvidence(input));
  return { Description: ops.Description, OperationalData: ops.OperationalData };
}

/** `current` after `update`, as UpdateOpsItem leaves it. */
function applied(current: OpsItemContent, update: ReturnType<typeof opsItemUpdateFor>): OpsItemContent {
  if (update === undefined) return current;
  const data: Record<string, OpsItemDataValue> = { ...current.OperationalData, ...update.OperationalData };
  for (const key of update.OperationalDataToDelete ?? []) delete data[key];
  return { Description: update.Description, OperationalData: data };
}

const laterOf = (n: number, atSec = NOW + n * 600) => ({
  evidence: buildEvidence({ ...escalation(n), nowSec: atSec }),
  atSec,
});

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe('adding a later escalation to an open OpsItem', () => {
  const first = created(escalation(1, 3));
  const { evidence, atSec } = laterOf(2);
  const update = opsItemUpdateFor(first, evidence, atSec);
  const after = applied(first, update);

  it("adds its evidence under its own key and the count, leaving the first escalation's keys as they were", () => {
    expect(Object.keys(update?.OperationalData ?? {}).sort()).toEqual(
      [LATER_COUNT_KEY, `selfheal:later:verificationFailed:rem-${uuid(2)}`].sort(),
    );
    expect(update?.OperationalDataToDelete).toBeUndefined();
    for (const [key, v] of Object.entries(first.OperationalData))
      expect(after.OperationalData[key]).toEqual(v);
    expect(after.OperationalData[LATER_COUNT_KEY]).toEqual({ Value: '1', Type: 'String' });
    expect(
      JSON.parse(after.OperationalData[`selfheal:later:verificationFailed:rem-${uuid(2)}`]?.Value ?? ''),
    ).toMatchObject({
      at: new Date(atSec * 1000).toISOString(),
      kind: 'verificationFailed',
      reason: 'verification failed, attempt 2',
      remediation: { id: `rem-${uuid(2)}`, state: 'escalated', executionId: uuid(1002) },
    });
  });

  it('says in the last line of the Description how many later escalations there were, keeping the rest', () => {
    const lines = after.Description.split('\n');
    expect(lines.slice(0, -1).join('\n')).toBe(first.Description);
    expect(lines.at(-1)).toBe(
      `Later escalations deduplicated into this OpsItem: 1 (newest ${new Date(atSec * 1000).toISOString()}, verificationFailed, rem-${uuid(2)}); the newest 1 under selfheal:later:<kind>:<remediation id> in the operational data; each SNS message has its whole evidence.`,
    );
  });

  it('replaces that line at the next one, counting both and keeping both entries', () => {
    const third = laterOf(3);
    const next = applied(after, opsItemUpdateFor(after, third.evidence, third.atSec));
    const lines = next.Description.split('\n');
    expect(lines.slice(0, -1).join('\n')).toBe(first.Description);
    expect(lines.at(-1)).toMatch(
      /^Later escalations deduplicated into this OpsItem: 2 \(newest .*rem-.*3\); the newest 2 under/,
    );
    expect(next.OperationalData[LATER_COUNT_KEY]?.Value).toBe('2');
    expect(next.OperationalData[`selfheal:later:verificationFailed:rem-${uuid(2)}`]).toBeDefined();
    expect(next.OperationalData[`selfheal:later:verificationFailed:rem-${uuid(3)}`]).toBeDefined();
  });

  it('changes nothing for an escalation already added (a re-send)', () => {
    const resent = laterOf(2, atSec + 120);
    expect(opsItemUpdateFor(after, resent.evidence, resent.atSec)).toBeUndefined();
  });
});

describe('an OpsItem whose operational data is full', () => {
  // The first escalation lists 499 earlier actions: its map takes all the create path allows.
  const first = created(escalation(1, 499));

  it('takes one later escalation without deleting anything (the create path left room for it)', () => {
    const { evidence, atSec } = laterOf(2);
    const update = opsItemUpdateFor(first, evidence, atSec);
    const after = applied(first, update);
    expect(update?.OperationalDataToDelete).toBeUndefined();
    expect(after.OperationalData[`selfheal:later:verificationFailed:rem-${uuid(2)}`]).toBeDefined();
    expect(sizeOf(after.OperationalData)).toBeLessThanOrEqual(20_000);
  });

  it("deletes the oldest later escalations to make room, never the first escalation's keys", () => {
    let item = first;
    for (let n = 2; n <= 12; n += 1) {
      const { evidence, atSec } = laterOf(n);
      const update = opsItemUpdateFor(item, evidence, atSec);
      for (const key of update?.OperationalDataToDelete ?? []) expect(key).toMatch(/^selfheal:later:/);
      item = applied(item, update);
      expect(sizeOf(item.OperationalData)).toBeLessThanOrEqual(20_000);
      expect(item.OperationalData[`selfheal:later:verificationFailed:rem-${uuid(n)}`]).toBeDefined();
    }
    for (const [key, v] of Object.entries(first.OperationalData))
      expect(item.OperationalData[key]).toEqual(v);
    expect(item.OperationalData[LATER_COUNT_KEY]?.Value).toBe('11');
    expect(item.OperationalData[`selfheal:later:verificationFailed:rem-${uuid(2)}`]).toBeUndefined();
    const kept = Object.keys(item.OperationalData).filter((k) => k.startsWith('selfheal:later:'));
    expect(item.Description.split('\n').at(-1)).toContain(`: 11 (newest `);
    expect(item.Description.split('\n').at(-1)).toContain(`the newest ${kept.length} under`);
  });
});

describe("OpsCenter's documented limits on a later escalation", () => {
  it('keeps the key within 128 characters, whatever the remediation id, naming the kind', () => {
    const long = laterKeyFor({ kind: 'untrackedExecution', remediationId: `rem-${'x'.repeat(300)}` });
    expect(long.length).toBe(128);
    expect(long.startsWith('selfheal:later:untrackedExecution:')).toBe(true);
    expect(laterKeyFor({ kind: 'verificationFailed', remediationId: `rem-${uuid(7)}` })).toBe(
      `selfheal:later:verificationFailed:rem-${uuid(7)}`,
    );
  });

  it('keeps the value within its share, the reason cut, and valid JSON', () => {
    const input = escalation(2, 0, `verification failed: ${'disk still full. '.repeat(2000)}`);
    const update = opsItemUpdateFor(created(escalation(1)), buildEvidence(input), NOW);
    const value = update?.OperationalData[`selfheal:later:verificationFailed:rem-${uuid(2)}`]?.Value ?? '';
    expect(bytes(value)).toBeLessThanOrEqual(LATER_ENTRY_MAX_BYTES);
    expect(JSON.parse(value).reason).toMatch(/^verification failed: disk still full\..*…$/);
  });

  it('keeps the Description within 2,048 characters when the first one was cut to its limit', () => {
    const long = escalation(
      1,
      3,
      `verification failed: ${'the automation said: disk still full. '.repeat(80)}`,
    );
    const first = created(long);
    const { evidence, atSec } = laterOf(2);
    const update = opsItemUpdateFor(first, evidence, atSec);
    expect(update?.Description.length).toBeLessThanOrEqual(2048);
    // The first escalation's description is kept whole: the create path left room for the line.
    expect(update?.Description.startsWith(`${first.Description}\n`)).toBe(true);
  });
});
