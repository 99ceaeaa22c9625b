/**
 * The automation's summary (./escalation-automation) as the lines an SNS message and an OpsItem
 * description show before the evidence: how it ended and why, each step that did not succeed, the
 * execution's outputs, and where to look in the console.
 */
import type { AutomationStepDetails, StringListMap } from './engine-ports';
import type { AutomationEvidence } from './escalation-automation';

/** Characters each line takes at most (the whole summary is in the evidence). */
export const MAX_AUTOMATION_LINE_CHARS = 400;

/** Steps that did not succeed shown at most, one line each. */
const MAX_STEP_LINES = 3;

/** The lines about `a`, each at most {@link MAX_AUTOMATION_LINE_CHARS}. */
export function automationLines(a: AutomationEvidence): string[] {
  const lines =
    a.notRead === undefined
      ? [
          `Automation ${a.executionId}: ${a.AutomationExecutionStatus ?? 'status not reported'}${a.FailureMessage === undefined ? '' : `: ${a.FailureMessage}`}`,
          ...unsuccessfulSteps(a.StepExecutions ?? []),
          ...(a.Outputs === undefined ? [] : [`Automation outputs: ${mapText(a.Outputs)}`]),
        ]
      : [`Automation ${a.executionId}: its execution could not be read (${a.notRead})`];
  const console =
    a.consoleUrl === undefined
      ? 'Automation console: no link (the record names no alarm ARN of the aws partition to take the region from)'
      : `Automation console: ${a.consoleUrl}`;
  return [...lines.map(oneLine), console];
}

function unsuccessfulSteps(steps: readonly AutomationStepDetails[]): string[] {
  const failed = steps.filter((s) => s.StepStatus !== 'Success');
  const shown = failed.slice(0, MAX_STEP_LINES).map((s) => {
    const f = s.FailureDetails;
    const where = [f?.FailureStage, f?.FailureType].filter((x) => x !== undefined).join('/');
    return `Step ${s.StepName ?? '?'} (${s.Action ?? '?'}) ${s.StepStatus ?? 'status not reported'}${where === '' ? '' : ` [${where}]`}${s.FailureMessage === undefined ? '' : `: ${s.FailureMessage}`}${s.Outputs === undefined ? '' : `; outputs: ${mapText(s.Outputs)}`}`;
  });
  const more = failed.length - shown.length;
  return more > 0 ? [...shown, `${more} more step(s) did not succeed: see the evidence`] : shown;
}

function mapText(m: StringListMap): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}=${v.join(', ')}`)
    .join('; ');
}

/** One line: line breaks as spaces, at most {@link MAX_AUTOMATION_LINE_CHARS}, "…" ending a cut one. */
function oneLine(text: string): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ');
  if (flat.length <= MAX_AUTOMATION_LINE_CHARS) return flat;
  let kept = flat.slice(0, MAX_AUTOMATION_LINE_CHARS - 1);
  // Never half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}…`;
}
