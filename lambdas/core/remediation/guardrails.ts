/**
 * The guardrails between an alarm and an SSM start, each a pure check of the rule, the engine
 * configuration and a {@link GuardrailSnapshot} the handler reads from the ledger and Auto Scaling.
 *
 * Fixed order (see {@link GUARDRAIL_ORDER}); all of them are evaluated every time so the record
 * shows every verdict, and the first that does not pass decides ({@link decidingVerdict}), except
 * that a lock held by a remediation no longer open gives way to an escalation after it:
 *  1. duplicateEvent     – the EventBridge event id was already processed → block
 *  2. mode               – only `enforce` acts; `observe` and `dryRun` record → block
 *  3. resourceLock       – another remediation is open on the resource → block; or one closed from
 *                          `started` without an execution (or whose record cannot be read) still
 *                          holds its lock → block, which lapses by itself like the cooldown, so a
 *                          frequencyLimit or errorBudget escalation decides instead
 *  4. frequencyLimit     – `maxPerResource` already reached in the window → escalate (deeper fault)
 *  5. cooldown           – the last remediation is younger than `cooldownSec` → block
 *  6. errorBudget        – rule frozen, or its failed verifications reached the budget → escalate
 *  7. blastRadius        – one more instance under remediation (open, or closed from `started`
 *                          without an execution and still holding its slot) would exceed the
 *                          group's {@link groupSlotCap} (the share, rounded down, at least 1) → block
 *  8. globalCap          – `maxConcurrentRemediations` are in progress → block
 *  9. allowListedDocument – document deployed/AWS-owned; cleanup path within the allowed prefixes → block
 */
import type { RemediationConfig, RemediationRule } from '../../../lib/config/remediation-schema';
import { groupSlotCap } from './blast-radius';
import type { UnreadableItem } from './escalation';

/** Guardrail names in evaluation order. */
export const GUARDRAIL_ORDER = [
  'duplicateEvent',
  'mode',
  'resourceLock',
  'frequencyLimit',
  'cooldown',
  'errorBudget',
  'blastRadius',
  'globalCap',
  'allowListedDocument',
] as const;
export type GuardrailName = (typeof GUARDRAIL_ORDER)[number];

/** One guardrail's verdict; the shape the ledger records (`RecordedVerdict`). */
export interface GuardrailVerdict {
  readonly guardrail: GuardrailName;
  readonly outcome: 'pass' | 'block' | 'escalate';
  readonly reason: string;
}

/**
 * A remediation not open that still holds a resource lock or a group slot until it lapses: one
 * closed from `started` without an execution, whose start may have reached SSM
 * (./engine-closed-holds); or one whose ledger item cannot be read (`unreadable`: its key and the
 * first bad field), counted as holding rather than guessed free, as it may be such a one.
 */
export type ClosedHold =
  | {
      readonly remediationId: string;
      readonly resourceId: string;
      /** The state it was closed in. */
      readonly state: string;
      /** When the hold lapses (epoch seconds). */
      readonly untilSec: number;
    }
  | {
      readonly remediationId: string;
      readonly untilSec: number;
      readonly unreadable: UnreadableItem;
    };

/**
 * What the guardrails need to know about the world, read by the handler just before deciding.
 * Times are epoch seconds. Counts cover the windows given by {@link snapshotWindows}.
 */
export interface GuardrailSnapshot {
  /** The event id was claimed before (duplicate delivery). */
  readonly eventAlreadySeen: boolean;
  /** The open remediation holding the resource's lock, if any. */
  readonly activeRemediationOnResource?: { readonly remediationId: string; readonly startedAtSec: number };
  /** Else the remediation no longer open still holding the resource's lock, if any. */
  readonly closedHoldOnResource?: ClosedHold;
  /** Remediations of this resource by this rule since `frequencySinceSec`. */
  readonly remediationsInWindow: number;
  /** Latest remediation of this resource by this rule (for the cooldown). */
  readonly lastRemediationAtSec?: number;
  /** Failed verifications of this rule since `errorBudgetSinceSec`. */
  readonly failedVerificationsInWindow: number;
  /** The rule was frozen by its error budget and no human has reset it. */
  readonly ruleFrozen: boolean;
  /** The resource's Auto Scaling group, when it is in one. */
  readonly group?: {
    readonly name: string;
    readonly instancesInService: number;
    /** Its open remediations, and its closed ones still holding a slot (`closedHolds`). */
    readonly instancesUnderRemediation: number;
    readonly closedHolds?: readonly ClosedHold[];
  };
  /**
   * Live global slots across all rules, the deciding remediation's own left out (a start killed
   * after taking its holds leaves them to its retry, which takes them again under the same id).
   */
  readonly activeRemediationsGlobal: number;
}

/** A snapshot of a world where nothing happened yet (first occurrence; used by `explain`). */
export const EMPTY_SNAPSHOT: GuardrailSnapshot = {
  eventAlreadySeen: false,
  remediationsInWindow: 0,
  failedVerificationsInWindow: 0,
  ruleFrozen: false,
  activeRemediationsGlobal: 0,
};

/** Start of the windows the handler must count over for `rule` at `nowSec`. */
export function snapshotWindows(
  rule: RemediationRule,
  nowSec: number,
): { frequencySinceSec: number; errorBudgetSinceSec: number } {
  return {
    frequencySinceSec: nowSec - rule.limits.frequencyWindowHours * 3600,
    errorBudgetSinceSec: nowSec - rule.limits.errorBudgetWindowHours * 3600,
  };
}

/** Everything the guardrails read. */
export interface GuardrailInput {
  readonly eventId: string;
  readonly rule: RemediationRule;
  readonly config: RemediationConfig;
  readonly snapshot: GuardrailSnapshot;
  readonly nowSec: number;
  readonly resourceId: string;
  /** The rendered parameters (for the cleanup path check). */
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  /** Deployed names of the shipped documents; a shipped key missing here is not deployed. */
  readonly documentNames: Readonly<Record<string, string>>;
}

type Check = (i: GuardrailInput) => Omit<GuardrailVerdict, 'guardrail'>;
const pass = (reason: string) => ({ outcome: 'pass' as const, reason });
const block = (reason: string) => ({ outcome: 'block' as const, reason });
const escalate = (reason: string) => ({ outcome: 'escalate' as const, reason });

const CHECKS: Readonly<Record<GuardrailName, Check>> = {
  duplicateEvent: ({ snapshot, eventId }) =>
    snapshot.eventAlreadySeen ? block(`event ${eventId} was already processed`) : pass('first delivery'),
  mode: ({ rule }) => {
    if (rule.mode === 'enforce') return pass('rule is in enforce mode');
    return rule.mode === 'dryRun'
      ? block('rule is in dryRun mode: records what it would run, starts nothing')
      : block('rule is in observe mode: records and notifies, starts nothing');
  },
  resourceLock: ({ snapshot, resourceId, nowSec }) => {
    const active = snapshot.activeRemediationOnResource;
    const closed = snapshot.closedHoldOnResource;
    if (active !== undefined)
      return block(
        `remediation ${active.remediationId} is open on ${resourceId} (started ${nowSec - active.startedAtSec} s ago)`,
      );
    if (closed !== undefined) return block(stillHolds(closed, `the lock on ${resourceId}`));
    return pass(`no remediation open on ${resourceId}`);
  },
  frequencyLimit: ({ rule, snapshot, resourceId }) => {
    const { maxPerResource: max, frequencyWindowHours: h } = rule.limits;
    const n = snapshot.remediationsInWindow;
    return n >= max
      ? escalate(
          `${n} remediation(s) of ${resourceId} in the last ${h} h (limit ${max}): acting again would hide a deeper fault`,
        )
      : pass(`${n} of at most ${max} remediation(s) of ${resourceId} in the last ${h} h`);
  },
  cooldown: ({ rule, snapshot, nowSec }) => {
    const last = snapshot.lastRemediationAtSec;
    const cool = rule.limits.cooldownSec;
    if (last === undefined) return pass('no earlier remediation');
    const age = nowSec - last;
    return age < cool
      ? block(`last remediation ${age} s ago; cooldown is ${cool} s`)
      : pass(`last remediation ${age} s ago; cooldown is ${cool} s`);
  },
  errorBudget: ({ rule, snapshot }) => {
    const { errorBudgetFailures: max, errorBudgetWindowHours: h } = rule.limits;
    const n = snapshot.failedVerificationsInWindow;
    if (snapshot.ruleFrozen)
      return escalate(`rule ${rule.id} is frozen by its error budget until a human resets it`);
    return n >= max
      ? escalate(
          `${n} failed verification(s) of rule ${rule.id} in the last ${h} h (budget ${max}): freezing the rule`,
        )
      : pass(`${n} of ${max} allowed failed verification(s) in the last ${h} h`);
  },
  blastRadius: ({ rule, snapshot }) => {
    const g = snapshot.group;
    if (g === undefined) return pass('resource is not in an Auto Scaling group');
    const pct = rule.limits.blastRadiusPercent;
    const cap = groupSlotCap(pct, g.instancesInService);
    const after = g.instancesUnderRemediation + 1;
    const held = (g.closedHolds ?? []).map((h) => stillHolds(h, `a slot of ${g.name}`, true));
    const text = [
      `${after} of ${g.instancesInService} in-service instance(s) of ${g.name} under remediation (limit ${pct} %: at most ${cap} at once)`,
      ...held,
    ].join('; ');
    return after <= cap ? pass(text) : block(text);
  },
  globalCap: ({ config, snapshot }) => {
    const n = snapshot.activeRemediationsGlobal;
    const cap = config.maxConcurrentRemediations;
    return n >= cap
      ? block(`${n} remediation(s) in progress; global cap is ${cap}`)
      : pass(`${n} of ${cap} concurrent remediation(s) in progress`);
  },
  allowListedDocument: checkDocument,
};

/** Why `h` still counts: it holds `what` until it lapses (`onResource`: name the holder's resource). */
function stillHolds(h: ClosedHold, what: string, onResource = false): string {
  const until = new Date(h.untilSec * 1000).toISOString();
  const who = `remediation ${h.remediationId}`;
  if ('unreadable' in h) {
    const { key, problem } = h.unreadable;
    return `${who} holds ${what} until ${until}, but its record could not be read (ledger item ${key}: ${problem}): counted as holding, as its automation may be running`;
  }
  const on = onResource ? ` on ${h.resourceId}` : '';
  return `${who}${on} is closed (${h.state}) but holds ${what} until ${until}: its start may have reached SSM, so its automation may be running`;
}

function checkDocument({ rule, config, parameters, documentNames }: GuardrailInput) {
  const doc = rule.document;
  if ('aws' in doc) return pass(`AWS-owned document ${doc.aws}`);
  const name = documentNames[doc.shipped];
  if (name === undefined) return block(`shipped document ${doc.shipped} is not deployed by this stack`);
  if (doc.shipped !== 'cleanup-directory') return pass(`shipped document ${doc.shipped} (${name})`);
  // decide() has already refused a Directory its allowedPattern (rendered from these prefixes)
  // rejects; this stays as a second line should a bundled pattern ever be wider than the config.
  const dir = parameters.Directory?.[0];
  const prefixes = config.cleanupAllowedPathPrefixes;
  // `..` would climb out of an allowed prefix while still starting with it.
  const allowed =
    dir !== undefined && !dir.split('/').includes('..') && prefixes.some((p) => dir.startsWith(p));
  return allowed
    ? pass(`cleanup of ${dir} is within ${prefixes.join(', ')}`)
    : block(`cleanup path ${JSON.stringify(dir ?? null)} is not within ${prefixes.join(', ')}`);
}

/**
 * Evaluates every guardrail in {@link GUARDRAIL_ORDER}, or only those `only` names (in that
 * order): a resumed start re-checks the ones its own holds cannot answer for (./start-recheck).
 */
export function evaluateGuardrails(
  input: GuardrailInput,
  only: readonly GuardrailName[] = GUARDRAIL_ORDER,
): GuardrailVerdict[] {
  return only.map((guardrail) => ({ guardrail, ...CHECKS[guardrail](input) }));
}

/**
 * The lock on the resource is held only by a remediation no longer open (closed from `started`
 * without an execution, or unreadable): it lapses by itself at a known time.
 */
export function lockLapses(snapshot: GuardrailSnapshot): boolean {
  return snapshot.activeRemediationOnResource === undefined && snapshot.closedHoldOnResource !== undefined;
}

/**
 * The verdict that decides among `verdicts` (all of them, or a subset, in
 * {@link GUARDRAIL_ORDER}), or undefined when all pass: the first that does not pass. Except a
 * resourceLock block by a lock that lapses ({@link lockLapses}): like the cooldown it only makes
 * the alarm wait, and it may outlast the blocked record's deadline, so it must not hide a
 * frequencyLimit or errorBudget escalation: the first escalation among `verdicts` decides instead
 * (also past a cooldown block behind the lock), else the lock's block. A
 * lock held by an open remediation keeps its place.
 */
export function decidingVerdict(
  verdicts: readonly GuardrailVerdict[],
  snapshot: GuardrailSnapshot,
): GuardrailVerdict | undefined {
  const first = verdicts.find((v) => v.outcome !== 'pass');
  if (first?.guardrail !== 'resourceLock' || !lockLapses(snapshot)) return first;
  return verdicts.find((v) => v.outcome === 'escalate') ?? first;
}
