/**
 * The stored shape of a remediation record, checked where records come back from the ledger table:
 * a DynamoDB item is an API response (an older release, a hand edit or another writer may have
 * left it in any shape), so readers validate it rather than cast it.
 */
import * as z from 'zod';
import { RECOVERED_STATES } from '../../../lib/config/remediation-schema';
import { describeIssue } from '../../../lib/config/zod-paths';
import { ESCALATION_KINDS } from './escalation';
import type { RemediationRecord, RemediationState } from './ledger-records';
import { TRANSITIONS } from './ledger-records';

const STATES = Object.keys(TRANSITIONS) as [RemediationState, ...RemediationState[]];
const state = z.enum(STATES, { error: `expected ${STATES.join(' | ')}` });
const epochSec = z.number();

const verdict = z.looseObject({ guardrail: z.string(), outcome: z.string(), reason: z.string() });

const escalation = z.looseObject({
  reason: z.string(),
  atSec: epochSec,
  snsMessageId: z.string().optional(),
  snsError: z.string().optional(),
  opsItemId: z.string().optional(),
  opsItemError: z.string().optional(),
  // Absent on escalations recorded before failed CreateOpsItem calls were counted.
  opsItemFailures: z.number().int().min(1).optional(),
  opsItemDeduplicated: z.literal(true).optional(),
  opsItemUpdated: z.literal(true).optional(),
  opsItemUpdateError: z.string().optional(),
  opsItemUpdateFailures: z.number().int().min(1).optional(),
  byEventId: z.string().optional(),
  // Absent on escalations recorded before the kind was kept; a re-send then infers it.
  kind: z.enum(ESCALATION_KINDS, { error: `expected ${ESCALATION_KINDS.join(' | ')}` }).optional(),
});

// The alarm metric shape of ./alarm-event (`AlarmMetric`), as the engine stored it.
const alarmMetric = z.looseObject({
  id: z.string(),
  metricStat: z
    .looseObject({
      metric: z.looseObject({
        namespace: z.string(),
        name: z.string(),
        dimensions: z.record(z.string(), z.string()).optional(),
      }),
      period: z.number(),
      stat: z.string(),
    })
    .optional(),
  expression: z.string().optional(),
  label: z.string().optional(),
  returnData: z.boolean().optional(),
});

const stateEntry = z.looseObject({ state, atSec: epochSec });
const nonNegativeInt = z.number().int().nonnegative();

// Loose: `--json` prints records as stored, so attributes a later release adds are kept.
const recordSchema = z.looseObject({
  id: z.string().min(1),
  ruleId: z.string(),
  resourceId: z.string(),
  alarmName: z.string(),
  // Absent on records written before the alarm's ARN was kept.
  alarmArn: z.string().optional(),
  // Only on escalations of an alarm whose resource could not be resolved.
  alarmMetrics: z.array(alarmMetric).optional(),
  eventId: z.string(),
  // Absent on records written before the triggering state change's timestamp was kept.
  alarmStateAtMs: z.number().optional(),
  mode: z.enum(['observe', 'dryRun', 'enforce'], { error: 'expected observe | dryRun | enforce' }),
  state,
  verdicts: z.array(verdict),
  autoScalingGroupName: z.string().optional(),
  documentName: z.string().optional(),
  parameters: z.record(z.string(), z.array(z.string())).optional(),
  executionId: z.string().optional(),
  clientToken: z.string().optional(),
  deadlineSec: epochSec.optional(),
  reason: z.string().optional(),
  escalation: escalation.optional(),
  blockedBy: z.string().optional(),
  stateTimes: z.partialRecord(state, epochSec),
  // Absent on records written before the log was kept; their stateTimes stand in.
  stateLog: z.array(stateEntry).optional(),
  stateLogGap: z.looseObject({ after: nonNegativeInt, count: nonNegativeInt }).optional(),
  createdAtSec: epochSec,
  updatedAtSec: epochSec,
  timeToRecoverSec: z.number().optional(),
  automationSucceededAtSec: epochSec.optional(),
  recoveredState: z.enum(RECOVERED_STATES, { error: `expected ${RECOVERED_STATES.join(' | ')}` }).optional(),
  expiresAt: epochSec,
});

/** A record read back from the ledger, or the first problem with it as one line. */
export type DecodedRecord =
  | { readonly ok: true; readonly record: RemediationRecord }
  | { readonly ok: false; readonly problem: string };

/**
 * Checks one stored item (key attributes already stripped) against the record shape and, given
 * `keyId` (the id its key names), that it is that record. The problem names the field and the
 * value received (`createdAtSec: missing; required (number)`), in the wording the configuration
 * and event checks use, plus how many other fields are wrong.
 */
export function decodeRemediationRecord(raw: unknown, keyId?: string): DecodedRecord {
  const parsed = recordSchema.safeParse(raw);
  if (parsed.success) {
    const record = parsed.data satisfies RemediationRecord;
    if (keyId === undefined || keyId === record.id) return { ok: true, record };
    return {
      ok: false,
      problem: `id: received ${JSON.stringify(record.id)}; expected "${keyId}" (the id its key names)`,
    };
  }
  const [first, ...rest] = parsed.error.issues;
  const problem = first === undefined ? 'invalid record' : describeIssue(first, raw, { root: '(record)' });
  return { ok: false, problem: rest.length === 0 ? problem : `${problem} (and ${rest.length} more)` };
}
