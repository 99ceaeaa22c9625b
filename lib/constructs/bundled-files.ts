import { mkdtempSync, writeFileSync } from 'node:fs';
import { platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type aws_lambda_nodejs as nodejs, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Bundling environment variable naming the synth-time directory the files are copied from. */
const SOURCE_DIR_ENV = 'SELFHEAL_BUNDLED_FILES_DIR';
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** What {@link bundledFiles} adds to a NodejsFunction's `bundling` options. */
export interface BundledFilesOptions {
  readonly commandHooks: nodejs.ICommandHooks;
  readonly environment: Record<string, string>;
}

/**
 * Ships extra files (such as the validated configuration) next to the bundled handler.
 *
 * Why this way: the files are written at synth time to a fresh temporary directory, and an
 * `afterBundling` command hook copies them into the bundle's output directory. Local bundling
 * runs the hooks as shell commands in the synth process right after esbuild, so the files are
 * part of the asset output and its hash (a config change redeploys the function), and the
 * handler reads them with a plain file read at cold start: no SSM call, no size limit of
 * environment variables (4 KiB in Lambda), nothing inlined into the JavaScript. The source
 * directory travels in the bundling environment, which also keys CDK's bundling cache, so two
 * functions with different files never share a cached bundle.
 *
 * When bundling is skipped (`aws:cdk:bundling-stacks`, as in tests) nothing is written.
 *
 * @param files file name (no directories) → content
 */
export function bundledFiles(scope: Construct, files: Readonly<Record<string, string>>): BundledFilesOptions {
  const names = Object.keys(files);
  for (const name of names) {
    if (!FILE_NAME.test(name)) {
      throw new Error(
        `${scope.node.path}: bundled file name "${name}" is not allowed; use letters, digits, '.', '_' and '-' only (no directories)`,
      );
    }
  }
  if (names.length === 0 || !Stack.of(scope).bundlingRequired) {
    return { commandHooks: copyHooks([]), environment: {} };
  }
  const sourceDir = mkdtempSync(join(tmpdir(), 'selfheal-bundle-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(sourceDir, name), content);
  return { commandHooks: copyHooks(names), environment: { [SOURCE_DIR_ENV]: sourceDir } };
}

function copyHooks(names: readonly string[]): nodejs.ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => names.map((name) => copyCommand(name, outputDir)),
  };
}

function copyCommand(name: string, outputDir: string): string {
  if (platform() === 'win32') return `copy /Y "%${SOURCE_DIR_ENV}%\\${name}" "${outputDir}\\${name}"`;
  return `cp "$${SOURCE_DIR_ENV}/${name}" ${shellQuote(`${outputDir}/${name}`)}`;
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
