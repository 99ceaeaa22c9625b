/**
 * What an escalation says about the automation it concerns: one that ended without success
 * (`automationFailed`), or one whose fix did not bring the alarm back (`verificationFailed`: its
 * outputs, e.g. cleanup-directory's deletedFiles and freedBytes, say what it did). The engine reads
 * the execution once (`AutomationRunner.readExecution`, bounded in time by the adapter, or the
 * answer of the status read that found it ended, passed on) and the
 * evidence carries a summary of it, in GetAutomationExecution's own field names, fitted to
 * {@link AUTOMATION_SUMMARY_MAX_BYTES}, with a link to the execution in the Systems Manager console.
 * A read that fails never holds the escalation back: the summary then says why it has nothing.
 */
import {
  type AutomationExecutionDetails,
  type AutomationRunner,
  type AutomationStepDetails,
  describeError,
  type StringListMap,
} from './engine-ports';
import type { EscalationKind } from './escalation';
import type { NewRemediation } from './ledger-records';

/**
 * Bytes (UTF-8, as JSON) the summary takes at most: it always fits its OpsItem value
 * (./escalation-operational-data) whole, and keeps the SNS message small.
 */
export const AUTOMATION_SUMMARY_MAX_BYTES = 3_000;

/** The automation in an escalation's evidence. */
export interface AutomationEvidence {
  readonly executionId: string;
  /**
   * The execution in the Systems Manager console, in the region of the remediation's alarm (its
   * ARN on the record); absent when the record names no alarm ARN of the `aws` partition.
   */
  readonly consoleUrl?: string;
  /** Why the execution could not be read; the summary then has nothing from SSM. */
  readonly notRead?: string;
  readonly AutomationExecutionStatus?: string;
  readonly FailureMessage?: string;
  readonly Outputs?: StringListMap;
  readonly StepExecutions?: readonly AutomationStepDetails[];
  /** SSM's answer did not list every step. */
  readonly StepExecutionsTruncated?: true;
  /** What the summary left out to fit (texts it shortened end with "… [N more characters]"). */
  readonly leftOut?: readonly string[];
}

/** The kinds whose evidence summarises the remediation's execution, when it has one. */
const ABOUT_AUTOMATION: ReadonlySet<EscalationKind> = new Set<EscalationKind>([
  'automationFailed',
  'verificationFailed',
  'automationOverran',
]);

/**
 * `{ automation }` for an escalation of `kind` about `record`'s execution; `{}` when the kind is
 * not about the automation or the record has no execution. The execution is read now, unless the
 * caller passes GetAutomationExecution's answer it already has (`read`: the status read that found
 * the automation ended), so one call serves both. Never throws.
 */
export async function automationEvidenceFor(
  kind: EscalationKind,
  record: Pick<NewRemediation, 'executionId' | 'alarmArn'>,
  runner: AutomationRunner,
  read?: AutomationExecutionDetails,
): Promise<{ automation?: AutomationEvidence }> {
  const { executionId } = record;
  if (!ABOUT_AUTOMATION.has(kind) || executionId === undefined) return {};
  const consoleUrl = executionConsoleUrl(executionId, record.alarmArn);
  const base = { executionId, ...(consoleUrl === undefined ? {} : { consoleUrl }) };
  if (read !== undefined) return { automation: summariseExecution(base, read) };
  let details: AutomationExecutionDetails | undefined;
  try {
    details = await runner.readExecution(executionId);
  } catch (error) {
    return {
      automation: {
        ...base,
        notRead: `GetAutomationExecution failed: ${cutText(describeError(error), 500)}`,
      },
    };
  }
  if (details === undefined)
    return { automation: { ...base, notRead: `SSM knows no execution ${executionId}` } };
  return { automation: summariseExecution(base, details) };
}

/** An ARN of the `aws` partition, capturing its region. */
const AWS_ARN_REGION = /^arn:aws:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d+):/;

/**
 * `https://<region>.console.aws.amazon.com/systems-manager/automation/execution/<id>?region=<region>`,
 * the region taken from `alarmArn`; undefined without an ARN of the `aws` partition.
 */
export function executionConsoleUrl(executionId: string, alarmArn: string | undefined): string | undefined {
  const region = alarmArn === undefined ? undefined : AWS_ARN_REGION.exec(alarmArn)?.[1];
  if (region === undefined) return undefined;
  return `https://${region}.console.aws.amazon.com/systems-manager/automation/execution/${encodeURIComponent(executionId)}?region=${region}`;
}

/** How much of the execution one attempt at the summary keeps. */
interface Caps {
  /** FailureMessage characters. */
  readonly text: number;
  /** Characters of each map value, and of names (StepName, Action, …). */
  readonly value: number;
  /** Keys per map, values per key. */
  readonly keys: number;
  readonly values: number;
  readonly steps: number;
  /** Whose Outputs the steps keep. */
  readonly stepOutputs: 'all' | 'unsuccessful' | 'none';
  /** Whether steps keep FailureDetails.Details. */
  readonly details: boolean;
  /** Whether the execution keeps its Outputs. */
  readonly outputs: boolean;
  /** What this attempt leaves out, on top of the earlier attempts'. */
  readonly leaves?: string;
}

/** Ever smaller summaries: the first that fits is kept; the last always fits. */
const ATTEMPTS: readonly Caps[] = [
  { text: 1000, value: 500, keys: 8, values: 4, steps: 10, stepOutputs: 'all', details: true, outputs: true },
  {
    text: 1000,
    value: 500,
    keys: 8,
    values: 4,
    steps: 10,
    stepOutputs: 'unsuccessful',
    details: true,
    outputs: true,
    leaves: 'the Outputs of the steps that succeeded',
  },
  {
    text: 500,
    value: 200,
    keys: 4,
    values: 2,
    steps: 10,
    stepOutputs: 'none',
    details: false,
    outputs: true,
    leaves: "every step's Outputs and FailureDetails.Details",
  },
  {
    text: 300,
    value: 100,
    keys: 0,
    values: 0,
    steps: 5,
    stepOutputs: 'none',
    details: false,
    outputs: false,
    leaves: "the execution's Outputs",
  },
  {
    text: 0,
    value: 50,
    keys: 0,
    values: 0,
    steps: 0,
    stepOutputs: 'none',
    details: false,
    outputs: false,
    leaves: 'the FailureMessage and every step',
  },
];

const encoder = new TextEncoder();
/** UTF-8 bytes of `text`, as SSM and SNS count their limits. */
export const utf8Bytes = (text: string) => encoder.encode(text).length;

/** The summary of `details` on top of `base`, within {@link AUTOMATION_SUMMARY_MAX_BYTES}. */
export function summariseExecution(
  base: Pick<AutomationEvidence, 'executionId' | 'consoleUrl'>,
  details: AutomationExecutionDetails,
): AutomationEvidence {
  const leaves: string[] = [];
  let last: AutomationEvidence = base;
  for (const caps of ATTEMPTS) {
    if (caps.leaves !== undefined) leaves.push(caps.leaves);
    last = summaryWith(base, details, caps, [...leaves]);
    if (utf8Bytes(JSON.stringify(last)) <= AUTOMATION_SUMMARY_MAX_BYTES) return last;
  }
  return last;
}

function summaryWith(
  base: Pick<AutomationEvidence, 'executionId' | 'consoleUrl'>,
  d: AutomationExecutionDetails,
  caps: Caps,
  leaves: string[],
): AutomationEvidence {
  const leftOut = [...leaves];
  const steps = pickSteps(d.StepExecutions ?? [], caps.steps);
  const total = d.StepExecutions?.length ?? 0;
  if (steps.length < total && caps.steps > 0)
    leftOut.push(`${total - steps.length} of the ${total} steps (succeeded ones first)`);
  const cut = { maps: false };
  const map = (m: StringListMap | undefined) => (m === undefined ? undefined : cutMap(m, caps, cut));
  const stepSummaries = steps.map((s) => stepSummary(s, caps, map));
  const outputs = caps.outputs ? map(d.Outputs) : undefined;
  if (cut.maps) leftOut.push(`map values beyond the first ${caps.values} of the first ${caps.keys} keys`);
  const text = (t: string | undefined) =>
    t === undefined || caps.text === 0 ? undefined : cutText(t, caps.text);
  const status = d.AutomationExecutionStatus;
  return {
    ...base,
    ...(status === undefined ? {} : { AutomationExecutionStatus: cutText(status, caps.value) }),
    ...optional('FailureMessage', text(d.FailureMessage)),
    ...(outputs === undefined || Object.keys(outputs).length === 0 ? {} : { Outputs: outputs }),
    ...(caps.steps === 0 || stepSummaries.length === 0 ? {} : { StepExecutions: stepSummaries }),
    ...(d.StepExecutionsTruncated === true ? { StepExecutionsTruncated: true as const } : {}),
    ...(leftOut.length === 0 ? {} : { leftOut }),
  };
}

function stepSummary(
  s: AutomationStepDetails,
  caps: Caps,
  map: (m: StringListMap | undefined) => StringListMap | undefined,
): AutomationStepDetails {
  const name = (t: string | undefined) => (t === undefined ? undefined : cutText(t, caps.value));
  const f = s.FailureDetails;
  const details = caps.details ? map(f?.Details) : undefined;
  const failure =
    f === undefined
      ? undefined
      : {
          ...optional('FailureStage', name(f.FailureStage)),
          ...optional('FailureType', name(f.FailureType)),
          ...(details === undefined ? {} : { Details: details }),
        };
  const keepOutputs = caps.stepOutputs === 'all' || (caps.stepOutputs === 'unsuccessful' && !succeeded(s));
  const outputs = keepOutputs ? map(s.Outputs) : undefined;
  return {
    ...optional('StepName', name(s.StepName)),
    ...optional('Action', name(s.Action)),
    ...optional('StepStatus', name(s.StepStatus)),
    ...optional(
      'FailureMessage',
      s.FailureMessage === undefined ? undefined : cutText(s.FailureMessage, caps.text),
    ),
    ...(failure === undefined ? {} : { FailureDetails: failure }),
    ...(outputs === undefined ? {} : { Outputs: outputs }),
  };
}

const succeeded = (s: AutomationStepDetails) => s.StepStatus === 'Success';

/** At most `max` steps in their order: those that did not succeed first, then the latest others. */
function pickSteps(steps: readonly AutomationStepDetails[], max: number): AutomationStepDetails[] {
  if (steps.length <= max) return [...steps];
  const indexed = steps.map((step, i) => ({ step, i }));
  const chosen = [
    ...indexed.filter(({ step }) => !succeeded(step)),
    ...indexed.filter(({ step }) => succeeded(step)).reverse(),
  ].slice(0, max);
  return chosen.sort((a, b) => a.i - b.i).map(({ step }) => step);
}

/** The first `caps.keys` keys, each with its first `caps.values` values cut to `caps.value`. */
function cutMap(m: StringListMap, caps: Caps, cut: { maps: boolean }): StringListMap {
  const entries = Object.entries(m);
  if (entries.length > caps.keys || entries.some(([, v]) => v.length > caps.values)) cut.maps = true;
  return Object.fromEntries(
    entries
      .slice(0, caps.keys)
      .map(([k, v]) => [cutText(k, caps.value), v.slice(0, caps.values).map((x) => cutText(x, caps.value))]),
  );
}

/** `text` when at most `max` characters, else its start and "… [N more characters]". */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = text.slice(0, max);
  // Never half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}… [${text.length - kept.length} more characters]`;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
