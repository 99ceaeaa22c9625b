/**
 * Whether a bench module is the script node was started with (`npx tsx bench/<name>.ts`), so it
 * runs its own section only then and not when bench/run.ts imports it.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * True when `moduleUrl` (the module's `import.meta.url`) is the file `script` names, as a path
 * relative to the working directory or absolute (default: `process.argv[1]`). Compared as paths:
 * the URL percent-encodes what the path does not, such as a space.
 */
export function isMainModule(moduleUrl: string, script: string | undefined = process.argv[1]): boolean {
  return script !== undefined && fileURLToPath(moduleUrl) === resolve(script);
}
