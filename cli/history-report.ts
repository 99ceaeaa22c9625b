/**
 * Renders remediation ledger records for people: the newest-first history table and one
 * remediation's timeline. Pure: records in, text out. Whoever can write the ledger table controls
 * its strings, so every line is shown {@link printable} (control characters as escapes).
 */
import type {
  EscalationRecord,
  RemediationRecord,
  StateLogGap,
} from '../lambdas/core/remediation/ledger-records';
import { STATE_ORDER, stateHistory } from '../lambdas/core/remediation/state-log';
import { printable, printableLines } from './printable';
import { type Cell, isoUtc, renderTable } from './table';

/** Shown in a cell with nothing to say (no execution, no escalation). */
const NONE = '-';

/** Header of the history table, in column order; `id` is what `--id` takes. */
export const HISTORY_HEADER = [
  'when (UTC)',
  'id',
  'rule',
  'resource',
  'alarm',
  'mode',
  'state',
  'recovered in',
  'execution',
  'escalation',
] as const;

/** Where the records came from and how many were asked for, for the title and the hint. */
export interface HistoryContext {
  readonly table: string;
  readonly limit: number;
  /**
   * Ledger items the listing read, malformed ones included: the page is full when this reaches
   * `limit`, even if skipped items leave fewer records to show.
   */
  readonly itemsRead: number;
}

/** The history table, newest first as given, or one line when the ledger holds no remediation. */
export function formatHistory(records: readonly RemediationRecord[], ctx: HistoryContext): string {
  if (records.length === 0) return printableLines([`no remediations recorded in ${ctx.table}`]);
  const rows: Cell[][] = records.map((r) => [
    isoUtc(r.createdAtSec),
    r.id,
    r.ruleId,
    r.resourceId,
    r.alarmName,
    r.mode,
    r.state,
    r.timeToRecoverSec === undefined ? NONE : recoveredIn(r.timeToRecoverSec, r.recoveredState),
    r.executionId ?? NONE,
    r.escalation === undefined ? NONE : escalationSummary(r.escalation),
  ]);
  const noun = records.length === 1 ? 'remediation' : 'remediations';
  const lines = [
    printable(`${records.length} ${noun} in ${ctx.table}, newest first`),
    // Multi-line: renderTable shows each cell printable.
    renderTable(HISTORY_HEADER, rows),
  ];
  if (ctx.itemsRead >= ctx.limit) {
    lines.push(`(the latest ${ctx.limit}; --limit N shows up to 500, --id ID one remediation's timeline)`);
  }
  return `${lines.join('\n')}\n`;
}

/** One remediation in full: what triggered it, what ran, every state with its time, every verdict. */
export function formatTimeline(r: RemediationRecord): string {
  const lines = [
    `remediation ${r.id}`,
    `rule:        ${r.ruleId} (mode ${r.mode})`,
    `resource:    ${r.resourceId}${r.autoScalingGroupName === undefined ? '' : ` (Auto Scaling group ${r.autoScalingGroupName})`}`,
    `alarm:       ${r.alarmName} (event ${r.eventId})`,
  ];
  if (r.documentName !== undefined) lines.push(`document:    ${r.documentName}${parameterText(r)}`);
  if (r.executionId !== undefined || r.clientToken !== undefined) {
    const token = r.clientToken === undefined ? '' : ` (client token ${r.clientToken})`;
    lines.push(`execution:   ${r.executionId ?? 'none'}${token}`);
  }
  lines.push(`state:       ${r.state}${recoveryText(r)}`);
  if (r.reason !== undefined) lines.push(`reason:      ${r.reason}`);
  lines.push('timeline (UTC):', ...timelineLines(r));
  lines.push('guardrails:', ...verdictLines(r));
  if (r.escalation !== undefined) lines.push('escalation:', ...escalationLines(r.escalation));
  return printableLines(lines);
}

/** Seconds as `45s`, `4m 05s` or `2h 03m`. */
export function formatDuration(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  if (s < 60) return `${s}s`;
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${two(Math.floor((s % 3600) / 60))}m`;
}

/**
 * The "recovered in" cell: the duration, marked `(no data)` when the alarm recovered by going to
 * INSUFFICIENT_DATA (a replaced resource stopped reporting) rather than back to OK. A marked cell
 * is text, so the column is left-aligned and the durations still line up.
 */
function recoveredIn(sec: number, state: RemediationRecord['recoveredState']): Cell {
  const duration = formatDuration(sec);
  return state === 'INSUFFICIENT_DATA' ? `${duration} (no data)` : { num: duration };
}

/** `, recovered in 4m 05s (alarm OK)`; records older than `recoveredState` name no alarm state. */
function recoveryText(r: RemediationRecord): string {
  const alarm = r.recoveredState === undefined ? '' : ` (alarm ${r.recoveredState})`;
  if (r.timeToRecoverSec !== undefined) return `, recovered in ${formatDuration(r.timeToRecoverSec)}${alarm}`;
  return r.recoveredState === undefined ? '' : `, recovered${alarm}`;
}

/** Where an escalation went: the SNS message id and the OpsItem id, or what failed. */
export function escalationSummary(e: EscalationRecord): string {
  const ops = opsItemText(e);
  return ops === undefined ? `SNS ${snsText(e)}` : `SNS ${snsText(e)}; OpsItem ${ops}`;
}

function snsText(e: EscalationRecord): string {
  if (e.snsMessageId !== undefined) return e.snsMessageId;
  return e.snsError === undefined ? 'not sent' : `failed: ${e.snsError}`;
}

/**
 * Undefined when no OpsItem was attempted: an observe-mode notification (SNS only), or an
 * escalation not sent yet. Every escalation, one without acting included, asks OpsCenter too.
 * An OpsItem OpsCenter kept open says whether the escalation was added to it.
 */
function opsItemText(e: EscalationRecord): string | undefined {
  if (e.opsItemId !== undefined) return `${e.opsItemId}${updateText(e)}`;
  return e.opsItemError === undefined ? undefined : `failed: ${e.opsItemError}`;
}

/** ` (updated)`, ` (update failed: …)`, or nothing for an OpsItem created for the escalation. */
function updateText(e: EscalationRecord): string {
  if (e.opsItemDeduplicated !== true) return '';
  if (e.opsItemUpdated === true) return ' (updated)';
  return e.opsItemUpdateError === undefined ? ' (already open)' : ` (update failed: ${e.opsItemUpdateError})`;
}

/**
 * Every state the remediation entered with its time, oldest first (a state entered twice shown
 * each time; a record written before the ledger kept them shows each state once, at its last
 * time), the automation's success among them, then the deadline and the escalation.
 */
function timelineLines(r: RemediationRecord): string[] {
  const { entries, gap } = stateHistory(r);
  const succeeded = r.automationSucceededAtSec;
  // Recorded only while the alarm had not recovered: at a tie, after verifying, before resolved.
  const succeededBefore =
    succeeded === undefined
      ? -1
      : entries.findIndex(
          (e) =>
            e.atSec > succeeded || (e.atSec === succeeded && STATE_ORDER[e.state] > STATE_ORDER.verifying),
        );
  const lines: string[] = [];
  for (const [i, e] of entries.entries()) {
    if (i === gap?.after) lines.push(gapLine(gap, entries.length));
    if (i === succeededBefore && succeeded !== undefined) lines.push(succeededLine(succeeded));
    lines.push(`  ${isoUtc(e.atSec)}  ${e.state}`);
  }
  if (gap !== undefined && gap.after >= entries.length) lines.push(gapLine(gap, entries.length));
  if (succeeded !== undefined && succeededBefore === -1) lines.push(succeededLine(succeeded));
  if (r.deadlineSec !== undefined) lines.push(`  ${isoUtc(r.deadlineSec)}  (verification deadline)`);
  if (r.escalation !== undefined) lines.push(`  ${isoUtc(r.escalation.atSec)}  (escalation sent)`);
  return lines.length > 0 ? lines : ['  (no state times recorded)'];
}

function succeededLine(atSec: number): string {
  return `  ${isoUtc(atSec)}  (automation succeeded)`;
}

/** Where a full state log left entries out, between the first ones it keeps and the newest. */
function gapLine(gap: StateLogGap, entryCount: number): string {
  const noun = gap.count === 1 ? 'state change' : 'state changes';
  const newest = Math.max(0, entryCount - gap.after);
  return `  (${gap.count} more ${noun} not kept: the ledger keeps the first ${gap.after} and the newest ${newest})`;
}

function verdictLines(r: RemediationRecord): string[] {
  if (r.verdicts.length === 0) return ['  (none recorded)'];
  const name = Math.max(...r.verdicts.map((v) => v.guardrail.length));
  const outcome = Math.max(...r.verdicts.map((v) => v.outcome.length));
  return r.verdicts.map(
    (v, i) => `  ${i + 1}. ${v.guardrail.padEnd(name)}  ${v.outcome.padEnd(outcome)}  ${v.reason}`,
  );
}

function escalationLines(e: EscalationRecord): string[] {
  return [
    `  at:        ${isoUtc(e.atSec)}`,
    `  reason:    ${e.reason}`,
    `  SNS:       ${e.snsMessageId === undefined ? snsText(e) : `message ${e.snsMessageId}`}`,
    `  OpsItem:   ${opsItemText(e) ?? 'none'}`,
  ];
}

function parameterText(r: RemediationRecord): string {
  const entries = Object.entries(r.parameters ?? {});
  if (entries.length === 0) return '';
  return ` (${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})`;
}
