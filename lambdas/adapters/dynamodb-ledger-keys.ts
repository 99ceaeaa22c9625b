/**
 * Item keys of the single-table ledger (layout documented in ./dynamodb-ledger.ts). Rule ids
 * cannot contain `#` (config schema), so `WINDOW#rule#resource` is unambiguous; times are padded
 * to 10 digits so string order is time order.
 */

/** Partition key attribute (S). */
export const PK = 'pk';
/** Sort key attribute (S). */
export const SK = 'sk';
/** TTL attribute (N, epoch seconds). */
export const TTL = 'expiresAt';

/** A primary key. */
export interface Key {
  readonly pk: string;
  readonly sk: string;
}

/** Epoch seconds as a fixed-width string (valid until the year 2286). */
export function pad(sec: number): string {
  return String(Math.max(0, Math.floor(sec))).padStart(10, '0');
}

export const keys = {
  event: (eventId: string): Key => ({ pk: `EVENT#${eventId}`, sk: 'CLAIM' }),
  lock: (resourceId: string): Key => ({ pk: `LOCK#${resourceId}`, sk: 'LOCK' }),
  slots: (): Key => ({ pk: 'SLOTS', sk: 'SLOTS' }),
  groupSlots: (groupName: string): Key => ({ pk: `GROUP#${groupName}`, sk: 'SLOTS' }),
  window: (ruleId: string, resourceId: string) => `WINDOW#${ruleId}#${resourceId}`,
  failed: (ruleId: string) => `FAILED#${ruleId}`,
  timed: (pk: string, atSec: number, id: string): Key => ({ pk, sk: `${pad(atSec)}#${id}` }),
  freeze: (ruleId: string): Key => ({ pk: `RULE#${ruleId}`, sk: 'FREEZE' }),
  remediation: (id: string): Key => ({ pk: `${REM_PREFIX}${id}`, sk: 'REM' }),
  open: (deadlineSec: number, id: string): Key => ({ pk: OPEN, sk: `${pad(deadlineSec)}#${id}` }),
  blocked: (deadlineSec: number, id: string): Key => ({ pk: BLOCKED, sk: `${pad(deadlineSec)}#${id}` }),
  started: (startedAtSec: number, id: string): Key => ({ pk: STARTED, sk: `${pad(startedAtSec)}#${id}` }),
  execution: (executionId: string): Key => ({ pk: `EXEC#${executionId}`, sk: 'EXEC' }),
  history: (createdAtSec: number, id: string): Key => ({ pk: HISTORY, sk: `${pad(createdAtSec)}#${id}` }),
  defect: (ruleId: string, resourceId: string, createdAtSec: number, id: string): Key => ({
    pk: defectPartition(ruleId, resourceId),
    sk: `${pad(createdAtSec)}#${id}`,
  }),
  action: (ruleId: string, resourceId: string, createdAtSec: number, id: string): Key => ({
    pk: actionPartition(ruleId, resourceId),
    sk: `${pad(createdAtSec)}#${id}`,
  }),
  pendingEscalation: (sinceSec: number, id: string): Key => ({
    pk: PENDING_ESC,
    sk: `${pad(sinceSec)}#${id}`,
  }),
};

/** The remediation id a record key's `pk` names (`REM#<id>`), or undefined for any other key. */
export function remediationIdOf(pk: unknown): string | undefined {
  return typeof pk === 'string' && pk.startsWith(REM_PREFIX) ? pk.slice(REM_PREFIX.length) : undefined;
}

const REM_PREFIX = 'REM#';

/** Partition of open remediations, sorted by deadline: the sweeper's Query. */
export const OPEN = 'OPEN';
/** Partition of blocked remediations, sorted by give-up time: the sweeper's re-drive Query. */
export const BLOCKED = 'BLOCKED';
/**
 * Partition of `started` remediations (no execution recorded yet), sorted by when they entered
 * `started`: the sweeper's Query for starts whose starter died.
 */
export const STARTED = 'STARTED';
/** Partition of every remediation, sorted by creation: the CLI history's Query. */
export const HISTORY = 'HISTORY';

/**
 * Partition of escalations recorded pending and not yet taken by SNS, sorted by when they became
 * pending: the sweeper's Query for escalations whose sender died.
 */
export const PENDING_ESC = 'PENDING_ESC';

/**
 * Partition of `ruleId`'s rule-defect escalations on `resourceId`, sorted by creation: the
 * defect-repeat check's Query. Rule ids cannot contain `#`, so the pair is unambiguous.
 */
export function defectPartition(ruleId: string, resourceId: string): string {
  return `DEFECT#${ruleId}#${resourceId}`;
}

/**
 * Partition of `ruleId`'s actions (`isAction`) on `resourceId`, sorted by creation: an
 * escalation's evidence Query.
 */
export function actionPartition(ruleId: string, resourceId: string): string {
  return `ACTION#${ruleId}#${resourceId}`;
}

/**
 * The time and remediation id a timestamped sort key names (`<at:10>#<id>`: a `WINDOW` mark, an
 * index item), or undefined for any other sort key.
 */
export function parseTimedKey(sk: unknown): { readonly atSec: number; readonly id: string } | undefined {
  if (typeof sk !== 'string' || !/^\d{10}#./.test(sk)) return undefined;
  return { atSec: Number(sk.slice(0, 10)), id: sk.slice(11) };
}

/** Attribute of the slots item naming one holder (its value is the slot's expiry). */
export const SLOT_PREFIX = 'slot:';
/** Counter attribute of the slots item. */
export const SLOT_COUNT = 'active';
