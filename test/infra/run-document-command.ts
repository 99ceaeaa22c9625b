import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import type { ShippedDocument } from '../../lib/config/remediation-schema';
import { renderShippedDocument } from '../../lib/ssm-documents/shipped-documents';

/** How to run a command: the allowed cleanup prefixes it is rendered with, and the process to run it in. */
export interface RunOptions {
  /** `cleanupAllowedPathPrefixes` to render the document with. */
  readonly prefixes: readonly string[];
  /** Directories put first on PATH (e.g. one holding a stand-in `systemctl` or a chosen `awk`). */
  readonly pathFirst?: readonly string[];
  /** Run as this user and group id (root may drop to an unprivileged user). */
  readonly uid?: number;
  readonly gid?: number;
}

interface RunCommandStep {
  readonly name: string;
  readonly inputs: { readonly Parameters: { readonly commands: readonly string[] } };
}

/**
 * Runs one `aws:runCommand` step of a shipped document as Run Command's AWS-RunShellScript does:
 * the step's commands as one script run by `sh`, each `{{ Name }}` replaced by the parameter's
 * value as Automation substitutes it.
 */
export function runDocumentCommand(
  key: ShippedDocument,
  stepName: string,
  parameters: Readonly<Record<string, string>>,
  options: RunOptions,
): SpawnSyncReturns<string> {
  const { content } = renderShippedDocument(key, { cleanupAllowedPathPrefixes: options.prefixes });
  const steps = content.mainSteps as readonly RunCommandStep[];
  const step = steps.find((s) => s.name === stepName);
  if (step === undefined) throw new Error(`shipped document ${key} has no step ${stepName}`);
  const script = step.inputs.Parameters.commands
    .join('\n')
    .replace(/\{\{ ([A-Za-z]+) \}\}/g, (whole, name: string) => {
      const value = parameters[name];
      if (value === undefined) throw new Error(`${key}.${stepName} needs parameter ${name} (${whole})`);
      return value;
    });
  const path = [...(options.pathFirst ?? []), process.env.PATH ?? '/usr/bin:/bin'].join(':');
  return spawnSync('sh', ['-c', script], {
    encoding: 'utf8',
    env: { ...process.env, PATH: path },
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
}
